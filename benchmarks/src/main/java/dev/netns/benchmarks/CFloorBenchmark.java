package dev.netns.benchmarks;

import dev.netns.kernel.NamespacePool;
import dev.netns.topology.RunningTopology;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
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
 * The two-namespace pair against its C floor, in one JMH run.
 *
 * <ul>
 *   <li>{@link #cFloor}: one iteration of {@code nslimit.c}'s loop ({@link CFloor}): two {@code
 *       unshare}s, the veth pair made from the benchmark thread's own namespace with both ends
 *       placed by descriptor, then in each namespace {@code setns}, a fresh netlink socket, {@code
 *       if_nametoindex}, the address, the end up and loopback up (each request acknowledged before
 *       the next), and the two descriptors closed. Compiled with {@code gcc -O2} when the benchmark
 *       starts; without a C compiler the C floor's benchmarks fail with a message saying so.
 *   <li>{@link #javaFloor}: the floor of {@link TopologyBenchmark#pairFloor}, the same outcome with
 *       bare syscalls through JNA and two netlink datagrams.
 *   <li>{@link #library}: {@code Topology.builder()...build().start()} and {@code close()}, as a
 *       test declares the pair (the declaration validated in every operation).
 *   <li>{@link #interleaved}: the C floor and the library one after the other in every operation,
 *       each timed on its own; the secondary results {@code cMedianMicros}, {@code
 *       libraryMedianMicros} and {@code ratio} (library over C) are the medians of one iteration.
 *       This is the comparison to trust on a shared machine: both sides see the same load, and each
 *       pays for the kernel's cleanup of the other's previous pair.
 * </ul>
 *
 * <ul>
 *   <li>{@link #interleavedPooled}: as {@link #interleaved}, with a warm {@link NamespacePool}:
 *       before each operation, untimed, the pool is refilled (as it is when the test before took
 *       longer than the refill), so the library's pair takes both namespaces ready. Its {@code
 *       ratio} against the C floor, beside {@link #interleaved}'s, gives pooled over unpooled.
 * </ul>
 *
 * In both, {@code librarySetupMedianMicros} is the median of {@code start()} alone: the setup a
 * test waits for, without the teardown after it.
 *
 * <p>The first three time every operation ({@code SampleTime}) and run one after another, so on a
 * shared machine the load can change between them. Between iterations, untimed, every benchmark
 * waits until the kernel has freed the iteration's namespaces.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class CFloorBenchmark {
  /** The C floor, built on the benchmark thread. */
  @State(Scope.Thread)
  public static class C {
    private CFloor floor;

    @Setup(Level.Trial)
    public void build() {
      floor = CFloor.build();
    }

    @TearDown(Level.Trial)
    public void close() {
      floor.close();
    }
  }

  /** The medians of one iteration of {@link #interleaved}, reported as secondary results. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.EVENTS)
  public static class Medians {
    private static final int CAPACITY = 1 << 16;

    private final long[] c = new long[CAPACITY];
    private final long[] library = new long[CAPACITY];
    private int count;

    /** The C floor's median in the iteration, in microseconds. */
    public double cMedianMicros;

    /** The library's median in the iteration, in microseconds. */
    public double libraryMedianMicros;

    /** Library over C floor, medians of the iteration. */
    public double ratio;

    /** The median of the library's {@code start()} alone, in microseconds. */
    public double librarySetupMedianMicros;

    /**
     * In {@link #interleavedPooled}: the median of the C floor's pair without making its namespaces
     * (veth, addresses, links up), in microseconds, what a warm pool cannot take ahead.
     */
    public double cWiringMedianMicros;

    /** The library's {@code start()} from a warm pool over the C floor's wiring alone. */
    public double setupOverWiring;

    private final long[] setup = new long[CAPACITY];
    private final long[] wiring = new long[CAPACITY];

    @Setup(Level.Iteration)
    public void clear() {
      count = 0;
    }

    void add(long cNanos, long libraryNanos, long setupNanos, long wiringNanos) {
      if (count < CAPACITY) {
        c[count] = cNanos;
        library[count] = libraryNanos;
        setup[count] = setupNanos;
        wiring[count] = wiringNanos;
        count++;
      }
      // JMH reads the fields when the iteration ends; sorting after every operation would load
      // the machine between operations for nothing.
      if (count % 8 == 0) {
        cMedianMicros = median(c, count) / 1e3;
        libraryMedianMicros = median(library, count) / 1e3;
        ratio = libraryMedianMicros / cMedianMicros;
        librarySetupMedianMicros = median(setup, count) / 1e3;
        if (wiring[0] > 0) {
          cWiringMedianMicros = median(wiring, count) / 1e3;
          setupOverWiring = librarySetupMedianMicros / cWiringMedianMicros;
        }
      }
    }

    private static double median(long[] values, int count) {
      long[] sorted = Arrays.copyOf(values, count);
      Arrays.sort(sorted);
      return sorted[count / 2];
    }
  }

  private HomeNamespace home;
  private KernelCleanup cleanup;

  @Setup(Level.Trial)
  public void openHome() {
    home = HomeNamespace.ofCurrentThread();
    cleanup = KernelCleanup.onCurrentThread();
  }

  /**
   * Untimed: lets the kernel free the iteration's namespaces, so that no benchmark pays for the
   * backlog of the one before it.
   */
  @TearDown(Level.Iteration)
  public void awaitCleanup() {
    cleanup.await();
  }

  @TearDown(Level.Trial)
  public void closeHome() {
    cleanup.close();
    home.close();
  }

  @Benchmark
  public void cFloor(C c) {
    c.floor.pair();
  }

  @Benchmark
  public int javaFloor() {
    return TopologyBenchmark.pairFloor(home);
  }

  @Benchmark
  public int library() {
    return libraryPair();
  }

  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  public int interleaved(C c, Medians medians) {
    return timeBoth(c, medians);
  }

  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  public int interleavedPooled(C c, Medians medians, Pool pool) throws InterruptedException {
    pool.awaitFull();
    return timeBoth(c, medians, c.floor.pairWiringNanos());
  }

  private static int timeBoth(C c, Medians medians) {
    return timeBoth(c, medians, 0);
  }

  private static int timeBoth(C c, Medians medians, long cWiringNanos) {
    long start = System.nanoTime();
    c.floor.pair();
    long between = System.nanoTime();
    RunningTopology network = TopologyBenchmark.pairTopology().start();
    long started = System.nanoTime();
    int size = network.namespaces().size();
    network.close();
    medians.add(between - start, System.nanoTime() - between, started - between, cWiringNanos);
    return size;
  }

  private static int libraryPair() {
    try (RunningTopology network = TopologyBenchmark.pairTopology().start()) {
      return network.namespaces().size();
    }
  }

  /** A namespace pool for the whole trial, refilled before each operation of a pooled benchmark. */
  @State(Scope.Thread)
  public static class Pool {
    /** Room for one pair and one more: the refill never waits for space. */
    static final int CAPACITY = 4;

    private NamespacePool pool;

    @Setup(Level.Trial)
    public void start() {
      pool = NamespacePool.startIfNoneRuns(CAPACITY).orElseThrow();
    }

    /** Waits, untimed by the medians, until the refill has replaced what the last pair took. */
    void awaitFull() throws InterruptedException {
      if (!pool.awaitFull(Duration.ofSeconds(30))) {
        throw new IllegalStateException("the pool did not fill: " + pool);
      }
    }

    @TearDown(Level.Trial)
    public void close() {
      pool.close();
    }
  }
}
