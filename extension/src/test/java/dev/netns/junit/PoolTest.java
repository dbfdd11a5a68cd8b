package dev.netns.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netns.kernel.NamespaceInode;
import dev.netns.kernel.NamespacePool;
import dev.netns.testing.Requirements;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.parallel.Isolated;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * {@code netns.pool}: a run's tests take their namespaces from a warm pool, under their declared
 * names and with routers forwarding, and the pool is gone (its stock closed) when the run ends.
 */
@Tag("privileged")
@Isolated("the pool is the JVM's: every namespace made meanwhile would come from it")
class PoolTest {
  /** What each fixture test saw, in order. */
  record Seen(String blue, String router, long blueInode, String forwarding, long handedOut) {}

  static final List<Seen> SEEN = new CopyOnWriteArrayList<>();
  static final List<NamespacePool> POOLS = new CopyOnWriteArrayList<>();

  @NetNamespace("blue")
  @Router("r")
  @VethLink(a = "blue", aAddress = "10.251.3.1/24", b = "r", bAddress = "10.251.3.2/24")
  @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
  static class ThreeTests {
    private static void record(NetNs blue, NetNs r) throws Exception {
      NamespacePool pool = NamespacePool.running().orElseThrow();
      POOLS.add(pool);
      SEEN.add(
          new Seen(
              blue.name(),
              r.name(),
              blue.call(NamespaceInode::ofCurrentThread),
              r.call(() -> Files.readString(Path.of("/proc/sys/net/ipv4/ip_forward")).trim()),
              pool.handedOut()));
      // As after a test that took longer than the refill: the next one finds the pool full.
      assertThat(pool.awaitFull(Duration.ofSeconds(30))).as("pool filled: %s", pool).isTrue();
    }

    @Test
    @Order(1)
    void first(@Ns("blue") NetNs blue, @Ns("r") NetNs r) throws Exception {
      record(blue, r);
    }

    @Test
    @Order(2)
    void second(@Ns("blue") NetNs blue, @Ns("r") NetNs r) throws Exception {
      record(blue, r);
    }

    @Test
    @Order(3)
    void third(@Ns("blue") NetNs blue, @Ns("r") NetNs r) throws Exception {
      record(blue, r);
    }
  }

  @Test
  void testsTakeWarmNamespacesAndThePoolEndsWithTheRun() {
    Requirements.requireNamespaces();
    // Under -Dnetns.pool=N the run's own pool serves this JVM, and the fixture's run uses it.
    Assumptions.assumeTrue(
        NamespacePool.running().isEmpty(), "the run's namespace pool serves this JVM");
    SEEN.clear();
    POOLS.clear();
    EngineExecutionResults results =
        Fixtures.run(ThreeTests.class, Map.of("netns.pool", "4", "netns.require", "true"));
    results.testEvents().assertStatistics(s -> s.succeeded(3).failed(0));

    assertThat(SEEN).hasSize(3);
    assertThat(SEEN)
        .allSatisfy(
            seen -> {
              assertThat(seen.blue()).isEqualTo("blue");
              assertThat(seen.router()).isEqualTo("r");
              assertThat(seen.forwarding()).as("forwarding in the router").isEqualTo("1");
            });
    // The pool fills while the first test runs; the second and third take both of theirs from it.
    assertThat(SEEN.get(1).handedOut() - SEEN.get(0).handedOut()).isEqualTo(2);
    assertThat(SEEN.get(2).handedOut() - SEEN.get(1).handedOut()).isEqualTo(2);
    assertThat(POOLS).as("one pool for the run").containsOnly(POOLS.get(0));
    NamespacePool pool = POOLS.get(0);
    assertThat(pool.size()).as("stocked after the run").isZero();
    assertThat(pool.toString()).endsWith(", closed]");
    assertThat(NamespacePool.running()).as("a pool left running after the run").isEmpty();
  }
}
