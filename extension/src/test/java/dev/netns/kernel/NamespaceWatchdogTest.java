package dev.netns.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.netns.testing.HostState;
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
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The watchdog as the kernel sees it: what it holds, what it kills when its pipe closes (as it does
 * when the JVM dies), what it refuses, and that teardown kills it last without reporting it. The
 * kill -9 of a whole test JVM is {@code forked.ProcessHygieneKillNineTest}.
 */
@Tag("privileged")
class NamespaceWatchdogTest {
  @Test
  void theScriptRunsShellBuiltinsOnly() {
    // A command substitution, a pipe or a background job would fork a shell inside the namespace,
    // which the sweep would find and kill (or, forked mid-sweep, miss).
    String script = NamespaceWatchdog.SCRIPT;
    assertThat(script.replace("$((", "")).doesNotContain("$(", "`");
    assertThat(script.replace("||", "")).doesNotContain("|");
    assertThat(script.replace("&&", "")).doesNotContain("&");
    List<String> commands = new ArrayList<>();
    for (String line : script.strip().split("\n")) {
      String first = line.strip().split("[ ;]")[0];
      commands.add(first);
    }
    assertThat(commands)
        .allSatisfy(
            c ->
                assertThat(c)
                    .isIn(
                        "trap",
                        "me=/proc/$$/ns/net",
                        "if",
                        "while",
                        "rounds=0",
                        "rounds=$((rounds",
                        "found=",
                        "for",
                        "kill",
                        "found=1",
                        "fi",
                        "done",
                        "exit"));
  }

  @Test
  void holdsOnlyAPipeFromTheJvmAndTheNamespaceItWatches() throws Exception {
    Requirements.requireNamespaces();
    try (NetworkNamespace blue = NetworkNamespace.create("wd-blue")) {
      NamespaceWatchdog watchdog = blue.call(() -> NamespaceWatchdog.startHere("wd-blue"));
      try {
        Path proc = Path.of("/proc", Long.toString(watchdog.process().pid()));
        // Right after exec the dynamic loader still holds ld.so.cache or libc open as fd 3 for a
        // moment: what counts is what the shell keeps once it waits on its pipe.
        Map<String, String> fds =
            await("the watchdog settled in its read")
                .atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(10))
                .until(() -> fds(proc), found -> found.size() <= 3);
        assertThat(fds.keySet()).containsExactly("0", "1", "2");
        assertThat(fds.get("0")).startsWith("pipe:[");
        assertThat(fds.get("1")).isEqualTo("/dev/null");
        assertThat(fds.get("2")).isEqualTo("/dev/null");
        assertThat(NamespaceInode.of(proc.resolve("ns/net"))).isEqualTo(blue.inode());
        assertThat(Files.readSymbolicLink(proc.resolve("cwd")).toString()).isEqualTo("/");
        assertThat(Files.readAllBytes(proc.resolve("environ"))).isEmpty();
        assertThat(cmdline(proc))
            .startsWith("/bin/sh -c trap '' INT TERM HUP")
            .endsWith(NamespaceWatchdog.NAME + " " + ProcessHandle.current().pid());
        // Signals a terminal or a service manager sends to the JVM's process group pass it by.
        for (String signal : List.of("-INT", "-TERM", "-HUP")) {
          new ProcessBuilder("kill", signal, Long.toString(watchdog.process().pid()))
              .start()
              .waitFor();
        }
        assertThat(watchdog.process().waitFor(200, TimeUnit.MILLISECONDS)).isFalse();
      } finally {
        watchdog.close();
      }
      assertThat(watchdog.process().isAlive()).isFalse();
      assertThat(watchdog.process().exitValue()).as("killed, not swept").isEqualTo(128 + 9);
    }
  }

  @Test
  void endOfFileKillsEveryProcessInItsNamespaceAndNoOther() throws Exception {
    Requirements.requireNamespaces();
    try (NetworkNamespace blue = NetworkNamespace.create("wd-blue");
        NetworkNamespace red = NetworkNamespace.create("wd-red")) {
      NamespaceWatchdog watchdog = blue.call(() -> NamespaceWatchdog.startHere("wd-blue"));
      Process sleep = blue.call(() -> new ProcessBuilder("sleep", "1000").start());
      long daemon = blue.call(NamespaceWatchdogTest::daemon);
      Process elsewhere = red.call(() -> new ProcessBuilder("sleep", "1000").start());
      try {
        assertThat(inside(daemon)).isTrue();

        watchdog.process().getOutputStream().close();

        assertThat(watchdog.process().waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(watchdog.process().exitValue()).as("swept, then exited").isZero();
        assertThat(sleep.waitFor(5, TimeUnit.SECONDS)).isTrue();
        assertThat(sleep.exitValue()).isEqualTo(128 + 9);
        assertThat(inside(daemon)).as("the daemon %d", daemon).isFalse();
        assertThat(elsewhere.isAlive()).as("a process in another namespace").isTrue();
      } finally {
        watchdog.close();
        elsewhere.destroyForcibly().waitFor();
        sleep.destroyForcibly().waitFor();
        ProcessHandle.of(daemon).ifPresent(ProcessHandle::destroyForcibly);
      }
    }
  }

  @Test
  void refusesToStartInTheJvmsOwnNamespace() throws Exception {
    Requirements.requireNamespaces();
    // Started from this thread, which is in the JVM's namespace. Its pipe stays open until it is
    // killed (SIGKILL, no sweep), so even a broken guard could not sweep anything.
    NamespaceWatchdog watchdog = NamespaceWatchdog.startHere("host");
    try {
      assertThat(watchdog.process().waitFor(10, TimeUnit.SECONDS)).isTrue();
      assertThat(watchdog.process().exitValue()).isEqualTo(2);
    } finally {
      watchdog.close();
    }
  }

  @Test
  void aNamespaceThatStartsNoProcessHasNoWatchdog() throws Exception {
    Requirements.requireNamespaces();
    try (NetworkNamespace blue = NetworkNamespace.create("wd-blue")) {
      assertThat(blue.call(NamespaceInode::ofCurrentThread)).isEqualTo(blue.inode());
      assertThat(watchdogsIn(blue.inode())).isEmpty();
    }
  }

  @Test
  void onlyCreatedNamespacesAreWatched() throws Exception {
    Requirements.requireNamespaces();
    try (NetworkNamespace host = NetworkNamespace.host()) {
      host.watchProcesses();
      assertThat(watchdogsIn(host.inode())).isEmpty();
    }
  }

  @Test
  void teardownKillsTheWatchdogLastAndNeverReportsIt() throws Exception {
    Requirements.requireNamespaces();
    NetworkNamespace blue = NetworkNamespace.create("wd-blue");
    long inode = blue.inode();
    Process sleep;
    try {
      blue.watchProcesses();
      blue.watchProcesses();
      List<Long> watchdogs = watchdogsIn(inode);
      assertThat(watchdogs).hasSize(1);
      sleep = blue.call(() -> new ProcessBuilder("sleep", "1000").start());

      List<ProcessInfo> killed =
          NamespaceProcesses.killAllInside(List.of(blue), Duration.ofSeconds(5));

      assertThat(killed).extracting(ProcessInfo::pid).containsExactly(sleep.pid());
      assertThat(watchdogsIn(inode)).as("the watchdog, still watching").isEqualTo(watchdogs);
    } finally {
      blue.close();
    }
    assertThat(watchdogsIn(inode)).isEmpty();
    assertThat(sleep.waitFor(5, TimeUnit.SECONDS)).isTrue();
  }

  /** The descriptors of a process: number to target. */
  private static Map<String, String> fds(Path proc) throws IOException {
    Map<String, String> fds = new TreeMap<>();
    for (Path fd : HostState.entries(proc.resolve("fd"))) {
      try {
        fds.put(fd.getFileName().toString(), Files.readSymbolicLink(fd).toString());
      } catch (IOException e) {
        // closed while we looked
      }
    }
    return fds;
  }

  /** Starts a daemon (setsid, then a background job of a shell that exits) and returns its pid. */
  private static long daemon() throws Exception {
    Process setsid =
        new ProcessBuilder(
                "setsid", "-f", "sh", "-c", "sleep 1000 </dev/null >/dev/null 2>&1 & echo $!")
            .start();
    String out = new String(setsid.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(setsid.waitFor()).isZero();
    return Long.parseLong(out.trim());
  }

  /** True while {@code pid} runs (a zombie has no namespace left). */
  private static boolean inside(long pid) {
    return Files.exists(Path.of("/proc", Long.toString(pid), "ns", "net"));
  }

  /** Pids of watchdogs in the namespace with {@code inode}. */
  static List<Long> watchdogsIn(long inode) throws IOException {
    List<Long> found = new ArrayList<>();
    try (DirectoryStream<Path> processes = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
      for (Path process : processes) {
        try {
          if (NamespaceInode.of(process.resolve("ns/net")) == inode
              && cmdline(process).contains(NamespaceWatchdog.NAME)) {
            found.add(Long.parseLong(process.getFileName().toString()));
          }
        } catch (IOException | RuntimeException e) {
          // exited while we looked
        }
      }
    }
    return found;
  }

  private static String cmdline(Path process) throws IOException {
    return new String(Files.readAllBytes(process.resolve("cmdline")), StandardCharsets.UTF_8)
        .replace('\0', ' ')
        .trim();
  }
}
