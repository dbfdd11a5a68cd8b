package dev.netns.benchmarks;

import dev.netns.topology.RunningTopology;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Many two-namespace pairs created and closed back to back, with the kernel's asynchronous cleanup
 * counted: each operation is a burst of {@value #BURST} pairs followed by a wait until the kernel
 * has freed every one of them ({@link KernelCleanup}). Scores are per pair.
 *
 * <ul>
 *   <li>{@link #libraryUntilFreed}: the pair of {@link TopologyBenchmark#pair} through the library.
 *   <li>{@link #floorUntilFreed}: the pair of {@link TopologyBenchmark#pairFloor}.
 *   <li>{@link #libraryBurstOnly}: the burst without the final wait: what a loop of tests sees
 *       while the kernel catches up behind it, on the other core.
 *   <li>{@link #canariesOnly}: the wait alone, with nothing else to free, spread over {@value
 *       #BURST} pairs like the others: the part of the figures above that is the measuring device
 *       itself (two kernel cleanup batches, each with its RCU grace periods), to subtract.
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@OperationsPerInvocation(ChurnBenchmark.BURST)
@Fork(1)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 5, time = 5)
public class ChurnBenchmark {
  static final int BURST = 100;

  private HomeNamespace home;
  private KernelCleanup cleanup;

  @Setup(Level.Trial)
  public void open() {
    home = HomeNamespace.ofCurrentThread();
    cleanup = KernelCleanup.onCurrentThread();
  }

  @TearDown(Level.Trial)
  public void close() {
    cleanup.close();
    home.close();
  }

  @Benchmark
  public long libraryUntilFreed() {
    return libraryBurst() + cleanup.await();
  }

  @Benchmark
  public long floorUntilFreed() {
    long made = 0;
    for (int i = 0; i < BURST; i++) {
      made += TopologyBenchmark.pairFloor(home);
    }
    return made + cleanup.await();
  }

  @Benchmark
  public long canariesOnly() {
    return cleanup.await();
  }

  @Benchmark
  public long libraryBurstOnly() {
    return libraryBurst();
  }

  private static long libraryBurst() {
    long made = 0;
    for (int i = 0; i < BURST; i++) {
      try (RunningTopology network = TopologyBenchmark.pairTopology().start()) {
        made += network.namespaces().size();
      }
    }
    return made;
  }
}
