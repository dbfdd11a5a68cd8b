package dev.netns.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netns.kernel.NamespaceInode;
import dev.netns.testing.Oracle;
import dev.netns.testing.PidFiles;
import dev.netns.testing.Requirements;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * No process outlives its test inside the test's namespaces, even one that nothing the test started
 * is a parent of any more: the orphan of a shell that backgrounded it, or a daemon that forked
 * twice and left its session. Checked from outside: the process is gone, no process is in the
 * namespace ({@code lsns}), and the namespace itself is gone (its veth end in the machine's
 * namespace, which lives exactly as long as the namespace, disappears).
 */
@Tag("privileged")
@Isolated(
    "looks for tasks by namespace inode after teardown; the kernel hands a freed inode number to"
        + " the next namespace made, which may be another test's")
class ProcessTeardownTest {
  /** The pid of the stray process and the inode of its namespace, as each fixture saw them. */
  static final Map<String, long[]> STRAYS = new ConcurrentHashMap<>();

  @BeforeEach
  void requirePrivileges() {
    Requirements.requireNamespaces();
  }

  @NetNamespace("n1")
  static class Orphaning {
    @Test
    void backgroundsASleep(@Ns("n1") NetNs n1) throws Exception {
      // The shell exits at once; its sleep is reparented out of the shell's descendants.
      Process shell = n1.exec("sh", "-c", "sleep 1000 </dev/null >/dev/null 2>&1 & echo $!");
      long pid = awaitSleeping(pidFrom(shell));
      STRAYS.put("orphan", new long[] {pid, n1.call(NamespaceInode::ofCurrentThread)});
    }
  }

  @NetNamespace("n1")
  static class Daemonizing {
    @Test
    void startsADaemon(@Ns("n1") NetNs n1) throws Exception {
      // setsid -f forks (1) into a new session and exits; the shell there forks (2) the sleep and
      // exits: the classic daemon, in a session and process group of its own, parented by init.
      // The daemon's pid comes through a file: setsid exits before its child writes, and the JDK
      // drains and closes a process's output pipe when the process exits.
      Path pidFile = Files.createTempFile("netns-daemon", ".pid");
      Process setsid =
          n1.exec(
              "setsid",
              "-f",
              "sh",
              "-c",
              "sleep 1000 </dev/null >/dev/null 2>&1 & echo $! > \"$0\"",
              pidFile.toString());
      assertThat(setsid.waitFor()).isZero();
      STRAYS.put(
          "daemon",
          new long[] {
            awaitSleeping(PidFiles.awaitPid(pidFile)), n1.call(NamespaceInode::ofCurrentThread)
          });
    }
  }

  @NetNamespace("n1")
  static class Tidy {
    @Test
    void runsAProcessToItsEnd(@Ns("n1") NetNs n1) throws Exception {
      long inode = n1.call(NamespaceInode::ofCurrentThread);
      assertThat(n1.exec("true").waitFor()).isZero();
      List<Long> watchdogs = watchdogsIn(inode);
      assertThat(watchdogs).as("the namespace's watchdog").hasSize(1);
      STRAYS.put("tidy", new long[] {watchdogs.get(0), inode});
    }
  }

  @Test
  void theWatchdogIsKilledAtTeardownAndNeverReported() throws Exception {
    List<String> warnings = new CopyOnWriteArrayList<>();
    Handler handler = collectWarnings(Tidy.class, warnings);
    try {
      Fixtures.run(Tidy.class).testEvents().assertStatistics(s -> s.succeeded(1).failed(0));
    } finally {
      Logger.getLogger("dev.netns.junit.internal.NetworkResource").removeHandler(handler);
    }
    long[] watchdog = STRAYS.get("tidy");
    assertThat(holdsANamespace(watchdog[0])).as("watchdog %d", watchdog[0]).isFalse();
    assertThat(watchdogsIn(watchdog[1])).isEmpty();
    assertThat(tasksInside(watchdog[1])).isEmpty();
    assertThat(warnings).as("warnings about processes left behind").isEmpty();
  }

  @Test
  void anOrphanedBackgroundProcessIsKilledAtTeardown() throws Exception {
    assertKilledAtTeardown(Orphaning.class, "orphan");
  }

  @Test
  void aDaemonThatLeftItsSessionIsKilledAtTeardown() throws Exception {
    assertKilledAtTeardown(Daemonizing.class, "daemon");
  }

  private static void assertKilledAtTeardown(Class<?> fixture, String key) throws Exception {
    List<String> warnings = new CopyOnWriteArrayList<>();
    Handler handler = collectWarnings(fixture, warnings);
    long pid = 0;
    try {
      org.junit.platform.testkit.engine.EngineExecutionResults results = Fixtures.run(fixture);
      assertThat(results.allEvents().failed().list())
          .as("failures of the fixture")
          .extracting(
              e ->
                  e.getPayload(org.junit.platform.engine.TestExecutionResult.class)
                      .flatMap(org.junit.platform.engine.TestExecutionResult::getThrowable)
                      .map(ProcessTeardownTest::stackOf)
                      .orElse("?"))
          .isEmpty();
      results.testEvents().assertStatistics(s -> s.succeeded(1));
      long[] stray = STRAYS.get(key);
      pid = stray[0];
      long inode = stray[1];

      assertThat(holdsANamespace(pid)).as("sleep %d still running after teardown", pid).isFalse();
      assertThat(Oracle.run(List.of("lsns", "-t", "net", "-n", "-o", "NS")))
          .as("namespaces that have processes, as lsns lists them")
          .doesNotContain(Long.toString(inode));
      assertThat(tasksInside(inode))
          .as("threads of any process in net:[%d], the JDK's idle process reaper aside", inode)
          .isEmpty();
      String method = fixture == Orphaning.class ? "backgroundsASleep" : "startsADaemon";
      assertThat(warnings)
          .containsExactly(
              fixture.getSimpleName()
                  + "."
                  + method
                  + "() left processes inside its network namespaces; killed them"
                  + " (SIGKILL) at teardown: pid "
                  + pid
                  + " (sleep 1000) in net:["
                  + inode
                  + "]");
    } finally {
      Logger.getLogger("dev.netns.junit.internal.NetworkResource").removeHandler(handler);
      if (pid > 0) {
        // Before the fix, the sleep would run for another quarter of an hour.
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
      }
    }
  }

  /** Collects what the teardown warns about {@code fixture}'s tests. */
  private static Handler collectWarnings(Class<?> fixture, List<String> warnings) {
    Handler handler =
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            if (record.getMessage().startsWith(fixture.getSimpleName() + ".")) {
              warnings.add(record.getMessage());
            }
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    Logger.getLogger("dev.netns.junit.internal.NetworkResource").addHandler(handler);
    return handler;
  }

  /**
   * Pids of the library's watchdogs (what {@code ps} shows as netns-junit-watchdog) in a namespace.
   */
  private static List<Long> watchdogsIn(long inode) throws IOException {
    List<Long> found = new ArrayList<>();
    String target = "net:[" + inode + "]";
    try (DirectoryStream<Path> processes = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
      for (Path process : processes) {
        try {
          String cmdline =
              new String(Files.readAllBytes(process.resolve("cmdline")), StandardCharsets.UTF_8);
          if (cmdline.contains("netns-junit-watchdog")
              && Files.readSymbolicLink(process.resolve("ns/net")).toString().equals(target)) {
            found.add(Long.parseLong(process.getFileName().toString()));
          }
        } catch (IOException e) {
          // exited while we looked
        }
      }
    }
    return found;
  }

  /**
   * Threads of every process on the machine inside the namespace with {@code inode}, except this
   * JVM's "process reaper": the JDK makes it from whichever thread first starts a process, and it
   * idles for up to a minute where it was made (docs/threads-and-sockets.md). The machine-side end
   * of the fixture's host link cannot tell whether the namespace is otherwise free for that reason.
   */
  private static List<String> tasksInside(long inode) throws IOException {
    List<String> found = new ArrayList<>();
    String self = Long.toString(ProcessHandle.current().pid());
    String target = "net:[" + inode + "]";
    try (DirectoryStream<Path> processes = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
      for (Path process : processes) {
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(process.resolve("task"))) {
          for (Path task : tasks) {
            String ns = Files.readSymbolicLink(task.resolve("ns/net")).toString();
            String name = Files.readString(task.resolve("comm")).trim();
            boolean reaper =
                process.getFileName().toString().equals(self) && name.equals("process reaper");
            if (ns.equals(target) && !reaper) {
              found.add(process.getFileName() + "/" + task.getFileName() + " " + name);
            }
          }
        } catch (IOException e) {
          // exited while we looked
        }
      }
    }
    return found;
  }

  /** The pid that {@code process} printed on its first line, once it has exited. */
  /**
   * Returns {@code pid} once it runs {@code sleep}: the shell prints a background child's pid as it
   * forks it, before the child's exec, and a fixture that ended then would leave behind a copy of
   * the shell, or a process half-way through its exec (its name already {@code sleep}, its command
   * line not yet readable), not the sleep the warning is checked for.
   */
  private static long awaitSleeping(long pid) throws Exception {
    Path cmdline = Path.of("/proc", Long.toString(pid), "cmdline");
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (true) {
      String args = new String(Files.readAllBytes(cmdline), StandardCharsets.UTF_8);
      if (args.equals("sleep\u00001000\u0000")) {
        return pid;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("pid " + pid + " did not exec sleep within 10 s: " + args);
      }
      Thread.sleep(1);
    }
  }

  private static long pidFrom(Process process) throws Exception {
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor()).isZero();
    return Long.parseLong(out.trim());
  }

  /**
   * True while {@code pid} is a process that has not exited. A killed orphan may stay a zombie (its
   * new parent may be slow to reap it), but a zombie holds no namespace: its {@code ns/net} link is
   * gone.
   */
  private static boolean holdsANamespace(long pid) {
    try {
      Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "ns", "net"));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static String stackOf(Throwable t) {
    java.io.StringWriter out = new java.io.StringWriter();
    t.printStackTrace(new java.io.PrintWriter(out));
    return out.toString();
  }
}
