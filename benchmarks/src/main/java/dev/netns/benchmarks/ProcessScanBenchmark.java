package dev.netns.benchmarks;

import dev.netns.kernel.NamespaceProcesses;
import dev.netns.kernel.NetworkNamespace;
import dev.netns.kernel.ProcessInfo;
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
 * What teardown's search for processes left inside a test's namespaces costs when there are none,
 * as in almost every test: one pass over {@code /proc}, reading each process's {@code ns/net} link.
 * It grows with the number of processes on the machine, which the output of the run should be read
 * with ({@code ls /proc | grep -c '^[0-9]'}).
 *
 * <ul>
 *   <li>{@link #killAllInsideTwoNamespaces}: what {@code NetworkResource} calls for a two-host
 *       network with nothing inside.
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(2)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ProcessScanBenchmark {
  private List<NetworkNamespace> namespaces;

  @Setup(Level.Trial)
  public void create() {
    namespaces = NetworkNamespace.createAll(List.of("scan-a", "scan-b"));
  }

  @TearDown(Level.Trial)
  public void close() {
    namespaces.forEach(NetworkNamespace::close);
  }

  @Benchmark
  public List<ProcessInfo> killAllInsideTwoNamespaces() {
    return NamespaceProcesses.killAllInside(namespaces, Duration.ofSeconds(5));
  }
}
