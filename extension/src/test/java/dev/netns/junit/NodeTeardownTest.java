package dev.netns.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netns.testing.Requirements;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * What teardown does with the nodes a test leaves behind: a paused one is resumed and killed, a
 * crashed one stays down (its fault heals without a restart), a running one is killed with its
 * children; every lifecycle fault is healed; and none of it is left to the catch-all that kills
 * strays in the namespaces. A failed test's report lists the lifecycle faults in force.
 */
@Tag("privileged")
class NodeTeardownTest {
  /** What each fixture saw, under keys of its own: the two tests may run at once. */
  static final Map<String, Object> SEEN = new ConcurrentHashMap<>();

  @TempDir Path reports;

  @BeforeEach
  void requirePrivileges() {
    Requirements.requireNamespaces();
  }

  @NetNamespace("n1")
  @NetNamespace("n2")
  @VethLink(a = "n1", aAddress = "10.150.2.1/24", b = "n2", bAddress = "10.150.2.2/24")
  static class LeavesNodesBehind {
    @Test
    void leaves(@Ns("n1") NetNs n1, @Ns("n2") NetNs n2, Network network) throws Exception {
      Node paused =
          n1.startJava(
              JavaNode.main(RecordServer.class)
                  .name("records")
                  .jvmOptions("-Xmx32m", "-XX:TieredStopAtLevel=1")
                  .args("7000", System.getProperty("java.io.tmpdir")));
      Node crashed =
          n2.startNode("crashed", new ProcessBuilder("sh", "-c", "echo started; sleep 1000"));
      Node running =
          n2.startNode(
              "running", new ProcessBuilder("sh", "-c", "sleep 1000 & echo started; wait"));
      paused.awaitLogLine("listening", Duration.ofSeconds(30));
      crashed.awaitLogLine("started", Duration.ofSeconds(10));
      running.awaitLogLine("started", Duration.ofSeconds(10));
      List<Long> pids = new java.util.ArrayList<>(List.of(paused.pid(), crashed.pid()));
      pids.add(running.pid());
      ProcessHandle.of(running.pid()).orElseThrow().descendants().forEach(d -> pids.add(d.pid()));
      SEEN.put("pids", pids);
      SEEN.put("pause", paused.pause());
      SEEN.put("crash", crashed.crash());
      SEEN.put("faults", network.faults().stream().map(Fault::description).toList());
      SEEN.put("crashedOutput", crashed.output());
    }
  }

  @NetNamespace("n1")
  static class FailsWhilePaused {
    @Test
    void fails(@Ns("n1") NetNs n1) throws Exception {
      Node node = n1.startNode("sleeper", new ProcessBuilder("sh", "-c", "echo zzz; sleep 1000"));
      node.awaitLogLine("zzz", Duration.ofSeconds(10));
      SEEN.put("sleeperPid", node.pid());
      node.pause();
      throw new AssertionError("fails with a node paused");
    }
  }

  @Test
  void teardownResumesKillsAndHealsWithoutRestarting() throws Exception {
    List<String> strays = new CopyOnWriteArrayList<>();
    Handler handler = collecting(strays);
    Logger log = Logger.getLogger("dev.netns.junit.internal.NetworkResource");
    log.addHandler(handler);
    try {
      run(LeavesNodesBehind.class).testEvents().assertStatistics(s -> s.succeeded(1).failed(0));
    } finally {
      log.removeHandler(handler);
    }
    assertThat(SEEN.get("faults"))
        .isEqualTo(List.of("pause node records in n1", "crash node crashed in n2"));
    assertThat(((Fault) SEEN.get("pause")).isActive()).isFalse();
    assertThat(((Fault) SEEN.get("crash")).isActive()).isFalse();
    @SuppressWarnings("unchecked")
    List<Long> pids = (List<Long>) SEEN.get("pids");
    assertThat(pids).hasSize(4);
    for (long pid : pids) {
      // A killed orphan may linger as a zombie until its new parent reaps it: it runs no more.
      assertThat(ProcessHandle.of(pid).filter(h -> h.isAlive() && NodeTest.runs(pid)))
          .as("pid %d after teardown", pid)
          .isEmpty();
      assertThat(NodeTest.runs(pid)).as("/proc/%d/ns/net after teardown", pid).isFalse();
    }
    // The crash's heal at teardown did not start it again.
    assertThat(Files.readAllLines((Path) SEEN.get("crashedOutput"))).containsExactly("started");
    assertThat(strays).as("processes the catch-all had to kill").isEmpty();
  }

  @Test
  void aFailedTestsReportListsTheNodeFaultsAndItsNodesOutputSitsBeside() throws Exception {
    EngineExecutionResults results = run(FailsWhilePaused.class);
    results.testEvents().assertStatistics(s -> s.failed(1));
    Path dir = reports.resolve(FailsWhilePaused.class.getName()).resolve("fails");
    long pid = (Long) SEEN.get("sleeperPid");
    Path output = dir.resolve("n1-sleeper.log");
    assertThat(Files.readString(dir.resolve("report.txt")))
        .contains(
            "== faults in force\n  pause node sleeper in n1\n\n== nodes\n  sleeper in n1: pid "
                + pid
                + ", paused; output: "
                + output
                + "\n");
    assertThat(Files.readAllLines(output)).containsExactly("zzz");
    assertThat(NodeTest.runs(pid)).isFalse();
  }

  private EngineExecutionResults run(Class<?> fixture) {
    return Fixtures.run(fixture, Map.of(NetNamespace.REPORT_DIR_PROPERTY_NAME, reports.toString()));
  }

  private static Handler collecting(List<String> messages) {
    return new Handler() {
      @Override
      public void publish(LogRecord record) {
        if (record.getMessage().startsWith(LeavesNodesBehind.class.getSimpleName() + ".")) {
          messages.add(record.getMessage());
        }
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
  }
}
