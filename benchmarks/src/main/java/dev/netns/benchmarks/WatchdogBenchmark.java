package dev.netns.benchmarks;

import dev.netns.kernel.NamespaceProcesses;
import dev.netns.kernel.NetworkNamespace;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the watchdog adds to a namespace that starts a process: one {@code /bin/sh} started before
 * the first process, and killed and reaped when the namespace closes.
 *
 * <ul>
 *   <li>{@link #withWatchdog}: a namespace created, its watchdog started, {@code true} run inside
 *       and waited for, the teardown's sweep, the namespace closed (which kills the watchdog), as
 *       a test that runs one process does.
 *   <li>{@link #withoutWatchdog}: the same without the watchdog. The difference is its cost.
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(2)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class WatchdogBenchmark {
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
