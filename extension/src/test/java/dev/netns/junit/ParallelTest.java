package dev.netns.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netns.testing.HostState;
import dev.netns.testing.Oracle;
import dev.netns.testing.Requirements;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * Many test classes and methods at once in JUnit's parallel mode: every test gets its own
 * namespaces (the same addresses in all of them, never crossing), and nothing is left afterwards.
 */
@Tag("privileged")
@Isolated("compares the machine's links and the JVM's threads before and after")
class ParallelTest {

  /** Each test sends a token to its own peer and must get exactly that token back. */
  abstract static class Pair {
    @RepeatedTest(6)
    void ownTokenComesBack(@Ns("a") NetNs a, @Ns("b") NetNs b) throws Exception {
      byte[] token = UUID.randomUUID().toString().getBytes();
      try (DatagramChannel receiver =
              b.openDatagramChannel(new InetSocketAddress("10.1.1.2", 9000));
          DatagramChannel sender = a.openDatagramChannel(new InetSocketAddress("10.1.1.1", 0))) {
        sender.send(ByteBuffer.wrap(token), new InetSocketAddress("10.1.1.2", 9000));
        ByteBuffer got = ByteBuffer.allocate(64);
        receiver.receive(got);
        assertThat(new String(got.array(), 0, got.position())).isEqualTo(new String(token));
      }
    }
  }

  @NetNamespace("a")
  @NetNamespace("b")
  @VethLink(a = "a", aAddress = "10.1.1.1/24", b = "b", bAddress = "10.1.1.2/24")
  static class First extends Pair {}

  @NetNamespace("a")
  @NetNamespace("b")
  @VethLink(a = "a", aAddress = "10.1.1.1/24", b = "b", bAddress = "10.1.1.2/24")
  static class Second extends Pair {}

  /**
   * The machine's namespace is shared by all: a host-side subnet can be used by one test at once.
   */
  @NetNamespace("a")
  @NetNamespace("b")
  @VethLink(a = "a", aAddress = "10.1.1.1/24", b = "b", bAddress = "10.1.1.2/24")
  @VethLink(a = "a", b = VethLink.HOST, bAddress = "10.79.0.1/30", aAddress = "10.79.0.2/30")
  static class WithHostLink {
    @Test
    void hostLinkBesideThePair(@Ns("a") NetNs a) {
      assertThat(a.addresses())
          .anySatisfy(x -> assertThat(x.address()).hasToString("10.79.0.2/30"));
    }
  }

  @Test
  void manyTestsAtOnceNeitherCollideNorLeak() {
    Requirements.requireNamespaces();
    Set<String> linksBefore = HostState.hostLinks();
    String routesBefore = Oracle.hostIp("route", "show");

    EngineTestKit.engine("junit-jupiter")
        .configurationParameters(
            Map.of(
                "junit.jupiter.execution.parallel.enabled", "true",
                "junit.jupiter.execution.parallel.mode.default", "concurrent",
                "junit.jupiter.execution.parallel.mode.classes.default", "concurrent",
                "junit.jupiter.execution.parallel.config.strategy", "fixed",
                "junit.jupiter.execution.parallel.config.fixed.parallelism", "8"))
        .selectors(
            DiscoverySelectors.selectClass(First.class),
            DiscoverySelectors.selectClass(Second.class),
            DiscoverySelectors.selectClass(WithHostLink.class))
        .execute()
        .testEvents()
        .assertStatistics(stats -> stats.started(13).succeeded(13));

    // Host-side ends go down at teardown and vanish with their namespaces moments later.
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(5))
        .untilAsserted(() -> assertThat(HostState.hostLinks()).isEqualTo(linksBefore));
    assertThat(Oracle.hostIp("route", "show")).isEqualTo(routesBefore);
    assertThat(HostState.threadsOutsideHostNamespace()).isEmpty();
  }
}
