package dev.netns.benchmarks;

import dev.netns.kernel.NamespaceProcesses;
import dev.netns.kernel.NetworkNamespace;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the watchdog adds to a namespace that starts a process: one {@code /bin/sh} started before
 * the first process, and killed and reaped when the namespace closes.
 *
 * <ul>
 *   <li>{@link #withWatchdog}: a namespace created, its watchdog started, {@code true} run inside
 *       and waited for, the teardown's sweep, the namespace closed (which kills the watchdog), as a
 *       test that runs one process does.
 *   <li>{@link #withoutWatchdog}: the same without the watchdog. The difference is its cost, but
 *       creating and freeing a namespace dominates both and varies with what else the machine's
 *       kernel is doing (other namespaces being freed hold the same locks).
 *   <li>{@link #shellStartedAndKilled}: the watchdog's own cost without a namespace made each time:
 *       {@code /bin/sh} started from a namespace thread, then killed and reaped, as teardown does.
 *   <li>{@link #trueStartedAndWaited}: what it is compared with, the user's own process: {@code
 *       true} started from a namespace thread and waited for.
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(2)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class WatchdogBenchmark {
  private NetworkNamespace kept;

  @Setup(Level.Trial)
  public void create() {
    kept = NetworkNamespace.create("wd-kept");
  }

  @TearDown(Level.Trial)
  public void close() {
    kept.close();
  }

  @Benchmark
  public int shellStartedAndKilled() throws Exception {
    Process shell =
        kept.call(
            () ->
                new ProcessBuilder("/bin/sh", "-c", "while read -r _; do :; done")
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start());
    shell.destroyForcibly();
    return shell.waitFor();
  }

  @Benchmark
  public int trueStartedAndWaited() throws Exception {
    return kept.call(() -> new ProcessBuilder("true").start()).waitFor();
  }

  @Benchmark
  public int withWatchdog() throws Exception {
    return runOneProcess(true);
  }

  @Benchmark
  public int withoutWatchdog() throws Exception {
    return runOneProcess(false);
  }

  private static int runOneProcess(boolean watched) throws Exception {
    NetworkNamespace ns = NetworkNamespace.create("wd-bench");
    try {
      if (watched) {
        ns.watchProcesses();
      }
      Process process = ns.call(() -> new ProcessBuilder("true").start());
      int status = process.waitFor();
      NamespaceProcesses.killAllInside(List.of(ns), Duration.ofSeconds(5));
      return status;
    } finally {
      ns.close();
    }
  }
}
