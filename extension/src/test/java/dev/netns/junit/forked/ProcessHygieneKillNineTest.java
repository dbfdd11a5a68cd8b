package dev.netns.junit.forked;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.netns.junit.NetNamespace;
import dev.netns.junit.NetNs;
import dev.netns.junit.Ns;
import dev.netns.kernel.NamespaceInode;
import dev.netns.testing.Oracle;
import dev.netns.testing.Requirements;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * No process started through the library outlives a test JVM killed with SIGKILL: a plain child, a
 * daemon that double-forked out of every process tree, and a child JVM all die within seconds, and
 * their namespaces are freed. Nothing of the test JVM runs any more by then: the namespaces'
 * watchdogs do it. Run with the machine view on (the default: processes start in the namespace
 * thread's own mount namespace) and off.
 */
@Tag("privileged")
@Isolated(
    "checks by inode that the killed JVM's namespaces are gone; the kernel hands a freed inode"
        + " number to the next namespace made, which may be another test's (or this test's other"
        + " case, run at the same time)")
class ProcessHygieneKillNineTest {
  static final String MARKER_PROPERTY = "netns.test.processHygiene.marker";
  static final List<String> STARTED = List.of("sleep", "daemon", "java");

  @NetNamespace("blue")
  @NetNamespace("red")
  static class Starter {
    @Test
    void startProcessesThenSleep(@Ns("blue") NetNs blue, @Ns("red") NetNs red) throws Exception {
      String marker = System.getProperty(MARKER_PROPERTY);
      Assumptions.assumeTrue(marker != null, "runs only in the JVM that the test forks");
      Process sleep = blue.exec("sleep", "600");
      // setsid -f forks into a new session and exits; the shell there backgrounds the sleep and
      // exits: a daemon, parented by init, in no process tree of this JVM.
      // Its pid comes through a file: setsid exits before its child writes, and the JDK drains and
      // closes a process's output pipe when the process exits.
      Path pidFile = Files.createTempFile("netns-daemon", ".pid");
      Process setsid =
          blue.exec(
              "setsid",
              "-f",
              "sh",
              "-c",
              "sleep 601 </dev/null >/dev/null 2>&1 & echo $! > \"$0\"",
              pidFile.toString());
      assertThat(setsid.waitFor()).isZero();
      long daemon = dev.netns.testing.PidFiles.awaitPid(pidFile);
      Process java =
          red.start(
              new ProcessBuilder(
                      ForkedJvm.javaBinary(),
                      "-Xmx32m",
                      "-XX:TieredStopAtLevel=1",
                      "-cp",
                      Path.of(
                              SleepingMain.class
                                  .getProtectionDomain()
                                  .getCodeSource()
                                  .getLocation()
                                  .toURI())
                          .toString(),
                      SleepingMain.class.getName())
                  .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                  .redirectError(ProcessBuilder.Redirect.DISCARD));
      Properties recorded = new Properties();
      recorded.setProperty("pid", Long.toString(ProcessHandle.current().pid()));
      recorded.setProperty("blue", Long.toString(blue.call(NamespaceInode::ofCurrentThread)));
      recorded.setProperty("red", Long.toString(red.call(NamespaceInode::ofCurrentThread)));
      record(recorded, "sleep", sleep.pid());
      record(recorded, "daemon", daemon);
      record(recorded, "java", java.pid());
      ForkedJvm.writeAtomically(recorded, Path.of(marker));
      // The parent kills this JVM long before; the bound only limits an orphan's life.
      Thread.sleep(60_000);
    }

    private static void record(Properties recorded, String key, long pid) {
      recorded.setProperty(key + ".pid", Long.toString(pid));
      recorded.setProperty(key + ".start", startOf(pid).orElseThrow());
    }
  }

  @ParameterizedTest(name = "machine view {0}")
  @ValueSource(booleans = {true, false})
  void aKilledJvmLeavesNoProcessItStartedAndNoNamespace(boolean machineView, @TempDir Path dir)
      throws Exception {
    Requirements.requireNamespaces();
    Path marker = dir.resolve("processes.properties");
    Properties recorded = new Properties();
    Set<Long> inodes;
    try (ForkedJvm child =
        ForkedJvm.start(
            dir,
            List.of(),
            Map.of(
                MARKER_PROPERTY,
                marker.toString(),
                NetNamespace.REQUIRE_PROPERTY_NAME,
                "true",
                NetNamespace.MACHINE_VIEW_PROPERTY_NAME,
                Boolean.toString(machineView)),
            Starter.class)) {
      recorded.putAll(child.awaitMarker(marker));
      assertThat(recorded.getProperty("pid")).isEqualTo(Long.toString(child.pid()));
      long blue = Long.parseLong(recorded.getProperty("blue"));
      long red = Long.parseLong(recorded.getProperty("red"));
      inodes = Set.of(blue, red);

      // While the JVM lives: each process runs in its namespace, and each namespace has a
      // watchdog, a child of the JVM.
      assertThat(running(recorded, "sleep")).contains(blue);
      assertThat(running(recorded, "daemon")).contains(blue);
      assertThat(running(recorded, "java")).contains(red);
      assertThat(ProcessHandle.of(pidOf(recorded, "daemon")).flatMap(ProcessHandle::parent))
          .as("the daemon's parent")
          .map(ProcessHandle::pid)
          .isNotEqualTo(Optional.of(child.pid()));
      assertThat(watchdogs(blue)).singleElement().isNotNull();
      assertThat(watchdogs(red)).singleElement().isNotNull();
      for (long inode : inodes) {
        long watchdog = watchdogs(inode).get(0);
        assertThat(ProcessHandle.of(watchdog).flatMap(ProcessHandle::parent))
            .map(ProcessHandle::pid)
            .contains(child.pid());
      }

      child.process().destroyForcibly();
      assertThat(child.awaitExit(10)).as("exit status after SIGKILL").isEqualTo(128 + 9);
    }

    Set<Long> ourselves = new TreeSet<>();
    ourselves.add(ProcessHandle.current().pid());
    ProcessHandle.current().descendants().forEach(p -> ourselves.add(p.pid()));
    await("the watchdogs killing what the killed JVM started")
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(50))
        .untilAsserted(
            () ->
                assertThat(STARTED.stream().filter(key -> running(recorded, key).isPresent()))
                    .as("processes the killed JVM started, still running")
                    .isEmpty());
    await("the kernel freeing the killed JVM's namespaces")
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(50))
        .untilAsserted(
            () ->
                assertThat(KillNineTest.holders(inodes, ourselves))
                    .as("processes in, or holding, the killed JVM's namespaces")
                    .isEmpty());
    String lsns = Oracle.run(List.of("lsns", "-t", "net", "-n", "-o", "NS"));
    for (long inode : inodes) {
      assertThat(lsns.lines().map(String::trim))
          .as("namespaces that have processes, as lsns lists them")
          .doesNotContain(Long.toString(inode));
    }
  }

  private static long pidOf(Properties recorded, String key) {
    return Long.parseLong(recorded.getProperty(key + ".pid"));
  }

  /**
   * The network namespace inode of the recorded process {@code key}, if it still runs: same pid and
   * same start time (the pid may be reused), and not a zombie (which holds no namespace).
   */
  private static Optional<Long> running(Properties recorded, String key) {
    long pid = pidOf(recorded, key);
    if (!startOf(pid).equals(Optional.of(recorded.getProperty(key + ".start")))) {
      return Optional.empty();
    }
    try {
      return Optional.of(NamespaceInode.of(Path.of("/proc", Long.toString(pid), "ns", "net")));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  /** The start time of {@code pid} as {@code /proc/PID/stat} gives it, in clock ticks. */
  static Optional<String> startOf(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // Fields after the command name, which is in parentheses and may hold spaces.
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Optional.of(fields[19]);
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** Pids of the library's watchdogs in the namespace with {@code inode}. */
  private static List<Long> watchdogs(long inode) throws IOException {
    List<Long> found = new ArrayList<>();
    try (DirectoryStream<Path> processes = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
      for (Path process : processes) {
        try {
          String cmdline =
              new String(Files.readAllBytes(process.resolve("cmdline")), StandardCharsets.UTF_8);
          if (cmdline.contains("netns-junit-watchdog")
              && NamespaceInode.of(process.resolve("ns/net")) == inode) {
            found.add(Long.parseLong(process.getFileName().toString()));
          }
        } catch (IOException | RuntimeException e) {
          // exited while we looked
        }
      }
    }
    return found;
  }
}
