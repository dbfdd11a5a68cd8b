package dev.netns.junit.forked;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.netns.junit.NetNamespace;
import dev.netns.junit.NetNs;
import dev.netns.junit.Ns;
import dev.netns.kernel.NamespaceInode;
import dev.netns.kernel.NamespacePool;
import dev.netns.testing.HostState;
import dev.netns.testing.Requirements;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A JVM killed with SIGKILL while its namespace pool is full leaves none of the stocked namespaces
 * behind: they are anonymous and held only by the JVM's descriptors, so the kernel frees them with
 * the test's own. Checked from outside the JVM, in {@code /proc}, as {@link KillNineTest} does.
 */
@Tag("privileged")
class PoolKillNineTest {
  static final String MARKER_PROPERTY = "netns.test.poolKillNine.marker";
  static final int POOL = 4;

  @NetNamespace("blue")
  static class Sleeper {
    @Test
    void fillThePoolThenSleep(@Ns("blue") NetNs blue) throws Exception {
      String marker = System.getProperty(MARKER_PROPERTY);
      Assumptions.assumeTrue(marker != null, "runs only in the JVM that PoolKillNineTest forks");
      NamespacePool pool = NamespacePool.running().orElseThrow();
      assertThat(pool.awaitFull(Duration.ofSeconds(60))).as("pool filled: %s", pool).isTrue();
      Properties recorded = new Properties();
      recorded.setProperty("pid", Long.toString(ProcessHandle.current().pid()));
      recorded.setProperty("blue", Long.toString(blue.call(NamespaceInode::ofCurrentThread)));
      recorded.setProperty("stocked", Integer.toString(pool.size()));
      ForkedJvm.writeAtomically(recorded, Path.of(marker));
      Thread.sleep(30_000); // killed long before; the bound only limits an orphan's life
    }
  }

  @Test
  void aKilledJvmLeavesNoPooledNamespace(@TempDir Path dir) throws Exception {
    Requirements.requireNamespaces();
    long home = NamespaceInode.of(Path.of("/proc/self/ns/net"));
    Path marker = dir.resolve("pool.properties");
    Set<Long> held;
    try (ForkedJvm child =
        ForkedJvm.start(
            dir,
            List.of(),
            Map.of(
                MARKER_PROPERTY,
                marker.toString(),
                NetNamespace.REQUIRE_PROPERTY_NAME,
                "true",
                NetNamespace.POOL_PROPERTY_NAME,
                Integer.toString(POOL)),
            Sleeper.class)) {
      Properties recorded = child.awaitMarker(marker);
      assertThat(recorded.getProperty("stocked")).isEqualTo(Integer.toString(POOL));
      long blue = Long.parseLong(recorded.getProperty("blue"));

      // From outside: the namespaces the child holds by descriptor, but the machine's.
      held = namespacesHeldByDescriptor(child.pid());
      held.remove(home);
      assertThat(held)
          .as("the test's namespace and the %d stocked ones, held by pid %d", POOL, child.pid())
          .contains(blue)
          .hasSizeGreaterThanOrEqualTo(POOL + 1);

      child.process().destroyForcibly();
      assertThat(child.awaitExit(10)).as("exit status after SIGKILL").isEqualTo(128 + 9);
    }
    Set<Long> inodes = held;
    await("the kernel freeing the killed JVM's namespaces")
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(100))
        .untilAsserted(
            () ->
                assertThat(KillNineTest.holders(inodes, ourselvesAndDescendants()))
                    .as("holders of the killed JVM's namespaces, pooled ones included")
                    .isEmpty());
  }

  /** The network namespaces that {@code pid} holds open, read from {@code /proc/PID/fd}. */
  private static Set<Long> namespacesHeldByDescriptor(long pid) throws IOException {
    Set<Long> inodes = new TreeSet<>();
    for (Path fd : HostState.entries(Path.of("/proc", Long.toString(pid), "fd"))) {
      try {
        String target = Files.readSymbolicLink(fd).toString();
        if (target.startsWith("net:[")) {
          inodes.add(Long.parseLong(target.substring(5, target.length() - 1)));
        }
      } catch (IOException e) {
        // closed while we looked
      }
    }
    return inodes;
  }

  /** This JVM and its children: concurrent tests here may get a freed namespace's inode number. */
  private static Set<Long> ourselvesAndDescendants() {
    Set<Long> pids = new TreeSet<>();
    pids.add(ProcessHandle.current().pid());
    ProcessHandle.current().descendants().forEach(p -> pids.add(p.pid()));
    return pids;
  }
}
