package dev.netns.junit.forked;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.netns.junit.Lan;
import dev.netns.junit.NetNamespace;
import dev.netns.junit.NetNs;
import dev.netns.junit.Ns;
import dev.netns.testing.HostState;
import dev.netns.testing.Requirements;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A JVM killed with SIGKILL while its namespace threads see their namespaces as their machines
 * leaves no mount behind: the mount and UTS namespaces are held only by its threads and
 * descriptors, and the machine's mount table and host name never changed.
 */
@Tag("privileged")
class MachineViewKillNineTest {
  static final String MARKER_PROPERTY = "netns.test.machineViewKillNine.marker";

  @NetNamespace("blue")
  @NetNamespace("red")
  @Lan(
      name = "lan",
      subnet = "10.79.0.0/24",
      hosts = {"blue", "red"})
  static class Sleeper {
    @Test
    void showTheMachinesThenSleep(@Ns("blue") NetNs blue, @Ns("red") NetNs red) throws Exception {
      String marker = System.getProperty(MARKER_PROPERTY);
      Assumptions.assumeTrue(marker != null, "runs only in the JVM that the test forks");
      ExecutorService redThreads = red.executor();
      Properties recorded = new Properties();
      recorded.setProperty("pid", Long.toString(ProcessHandle.current().pid()));
      recorded.setProperty("blue.mnt", blue.call(() -> link("/proc/thread-self/ns/mnt")));
      recorded.setProperty("blue.uts", blue.call(() -> link("/proc/thread-self/ns/uts")));
      recorded.setProperty(
          "red.mnt", redThreads.submit(() -> link("/proc/thread-self/ns/mnt")).get());
      recorded.setProperty("red.hostname", red.call(() -> read("/proc/sys/kernel/hostname")));
      ForkedJvm.writeAtomically(recorded, Path.of(marker));
      Thread.sleep(30_000);
    }
  }

  @Test
  void aKilledJvmLeavesNoMountAndTheMachineUnchanged(@TempDir Path dir) throws Exception {
    Requirements.requireNamespaces();
    String hostName = read("/proc/sys/kernel/hostname");
    List<String> mounts = HostState.machineMounts();
    Path marker = dir.resolve("view.properties");
    Set<String> views;
    try (ForkedJvm child =
        ForkedJvm.start(
            dir,
            List.of(),
            Map.of(MARKER_PROPERTY, marker.toString(), NetNamespace.REQUIRE_PROPERTY_NAME, "true"),
            Sleeper.class)) {
      Properties recorded = child.awaitMarker(marker);
      views =
          Set.of(
              recorded.getProperty("blue.mnt"),
              recorded.getProperty("blue.uts"),
              recorded.getProperty("red.mnt"));
      assertThat(recorded.getProperty("red.hostname")).isEqualTo("red\n");
      assertThat(views).hasSize(3).allSatisfy(v -> assertThat(v).matches("(mnt|uts):\\[\\d+]"));
      assertThat(holders(views, Set.of()))
          .as("the child's threads hold its views")
          .anySatisfy(h -> assertThat(h).startsWith("pid " + child.pid() + " "));
      assertThat(HostState.machineMounts()).isEqualTo(mounts);
      assertThat(read("/proc/sys/kernel/hostname")).isEqualTo(hostName);

      child.process().destroyForcibly();
      assertThat(child.awaitExit(10)).as("exit status after SIGKILL").isEqualTo(128 + 9);
    }
    // This JVM's own namespaces may reuse a freed inode number, so they are left out.
    Set<Long> ourselves = new TreeSet<>();
    ourselves.add(ProcessHandle.current().pid());
    ProcessHandle.current().descendants().forEach(p -> ourselves.add(p.pid()));
    await("the kernel freeing the killed JVM's mount and UTS namespaces")
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(100))
        .untilAsserted(() -> assertThat(holders(views, ourselves)).isEmpty());
    assertThat(HostState.machineMounts()).isEqualTo(mounts);
    assertThat(read("/proc/sys/kernel/hostname")).isEqualTo(hostName);
  }

  /** Every thread or descriptor, of any process but {@code excluded}, on one of the namespaces. */
  private static List<String> holders(Set<String> namespaces, Set<Long> excluded)
      throws IOException {
    List<String> holders = new ArrayList<>();
    try (DirectoryStream<Path> processes =
        Files.newDirectoryStream(
            Path.of("/proc"), p -> p.getFileName().toString().matches("\\d+"))) {
      for (Path process : processes) {
        long pid = Long.parseLong(process.getFileName().toString());
        if (excluded.contains(pid)) {
          continue;
        }
        try {
          for (Path task : HostState.entries(process.resolve("task"))) {
            for (String kind : List.of("mnt", "uts")) {
              String target = link(task.resolve("ns").resolve(kind).toString());
              if (namespaces.contains(target)) {
                holders.add("pid " + pid + " thread " + task.getFileName() + " in " + target);
              }
            }
          }
          for (Path fd : HostState.entries(process.resolve("fd"))) {
            String target = link(fd.toString());
            if (namespaces.contains(target)) {
              holders.add("pid " + pid + " fd " + fd.getFileName() + " on " + target);
            }
          }
        } catch (IOException e) {
          // The process ended while we looked.
        }
      }
    }
    return holders;
  }

  private static String link(String path) throws IOException {
    return Files.readSymbolicLink(Path.of(path)).toString();
  }

  private static String read(String file) throws IOException {
    return Files.readString(Path.of(file));
  }
}
