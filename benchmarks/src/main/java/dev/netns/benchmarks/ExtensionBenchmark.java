package dev.netns.benchmarks;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.netns.kernel.NamespacePool;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;
import org.openjdk.jmh.annotations.AuxCounters;
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
 * What the extension adds to each test: a class of ten empty tests run through the JUnit Platform
 * Launcher (discovery, Jupiter engine, lifecycle, as a build tool runs them), once with a two-host
 * network ({@code @NetNamespace} twice and a {@code @VethLink}, fresh for every test) and once
 * without. Scores are per test; the difference between the two is the per-test overhead.
 *
 * <p>With a warm pool of namespaces ({@code netns.pool}), once more: {@link #withNetworkPooled}
 * runs the class back to back with a pool of {@value Pool#CAPACITY} that lives for the whole trial,
 * as in one long run (the extension finds it running and uses it), so the refill competes with the
 * tests for the two cores and falls behind when tests are as short as these; {@link
 * #withNetworkWarmPool} waits, untimed, until the pool is full before each class, as it is when
 * earlier tests took longer than its refill.
 *
 * <p>On a shared machine the load changes between those benchmarks; {@link #interleaved} runs the
 * three cases in every operation, each timed on its own, and reports per-test medians of one
 * iteration as secondary results: without a network, with it, and with it from a pool that was
 * started and filled (untimed) just before the class ran, then closed (untimed, nothing left in it:
 * it holds exactly the class's namespaces). The overheads per test are the differences from the run
 * without a network, which the same load slowed too.
 *
 * <p>Each operation ends with a cheap check that all ten tests passed, run with {@code
 * netns.require=true}: a missing privilege then fails the benchmark instead of skipping the tests
 * and making the network look free.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@OperationsPerInvocation(ExtensionFixtures.TESTS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ExtensionBenchmark {
  private Launcher launcher;

  @Setup(Level.Trial)
  public void createLauncher() {
    launcher = LauncherFactory.create();
  }

  @Benchmark
  public long withNetwork() {
    return run(ExtensionFixtures.TwoHostNetwork.class, false);
  }

  @Benchmark
  public long withNetworkPooled(Pool pool) {
    return run(ExtensionFixtures.TwoHostNetwork.class, true);
  }

  @Benchmark
  public long withNetworkWarmPool(WarmPool pool) {
    return run(ExtensionFixtures.TwoHostNetwork.class, true);
  }

  @Benchmark
  public long withoutNetwork() {
    return run(ExtensionFixtures.NoNetwork.class, false);
  }

  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OperationsPerInvocation(1)
  public long interleaved(Medians medians, Cleanup cleanup) throws InterruptedException {
    cleanup.await();
    long t0 = System.nanoTime();
    long passed = run(ExtensionFixtures.NoNetwork.class, false);
    long t1 = System.nanoTime();
    cleanup.await();
    long t1b = System.nanoTime();
    passed += run(ExtensionFixtures.TwoHostNetwork.class, false);
    long t2 = System.nanoTime();
    NamespacePool pool = NamespacePool.startIfNoneRuns(Pool.CAPACITY).orElseThrow();
    long t4;
    long t3;
    try {
      if (!pool.awaitFull(Duration.ofSeconds(30))) {
        throw new IllegalStateException("the pool did not fill: " + pool);
      }
      cleanup.await();
      t3 = System.nanoTime();
      passed += run(ExtensionFixtures.TwoHostNetwork.class, true);
      t4 = System.nanoTime();
    } finally {
      pool.close();
    }
    medians.add(t1 - t0, t2 - t1b, t4 - t3);
    return passed;
  }

  /**
   * Waits, untimed, until the kernel has freed the namespaces closed so far: each case of {@link
   * #interleaved} pays for freeing only its own, not for the backlog of the case before it.
   */
  @State(Scope.Thread)
  public static class Cleanup {
    private HomeNamespace home;
    private KernelCleanup cleanup;

    @Setup(Level.Trial)
    public void open() {
      home = HomeNamespace.ofCurrentThread();
      cleanup = KernelCleanup.onCurrentThread();
    }

    void await() {
      cleanup.await();
    }

    @TearDown(Level.Trial)
    public void close() {
      cleanup.close();
      home.close();
    }
  }

  /** Per-test medians of one iteration of {@link #interleaved}, as secondary results. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.EVENTS)
  public static class Medians {
    private static final int CAPACITY = 1 << 14;

    private final long[][] samples = new long[3][CAPACITY];
    private int count;

    /** Milliseconds per test without a network. */
    public double noneMillis;

    /** Milliseconds per test with the pair made for each test. */
    public double offMillis;

    /** Milliseconds per test with the pair taken from a warm pool. */
    public double pooledMillis;

    /** What the network adds per test, without a pool, in milliseconds. */
    public double overheadOffMillis;

    /** What the network adds per test, from a warm pool, in milliseconds. */
    public double overheadPooledMillis;

    /** Pooled over unpooled overhead. */
    public double overheadRatio;

    @Setup(Level.Iteration)
    public void clear() {
      count = 0;
    }

    void add(long none, long off, long pooled) {
      if (count < CAPACITY) {
        samples[0][count] = none;
        samples[1][count] = off;
        samples[2][count] = pooled;
        count++;
      }
      noneMillis = median(samples[0], count) / 1e6 / ExtensionFixtures.TESTS;
      offMillis = median(samples[1], count) / 1e6 / ExtensionFixtures.TESTS;
      pooledMillis = median(samples[2], count) / 1e6 / ExtensionFixtures.TESTS;
      overheadOffMillis = offMillis - noneMillis;
      overheadPooledMillis = pooledMillis - noneMillis;
      overheadRatio = overheadPooledMillis / overheadOffMillis;
    }

    private static double median(long[] values, int count) {
      long[] sorted = Arrays.copyOf(values, count);
      Arrays.sort(sorted);
      return sorted[count / 2];
    }
  }

  /** A namespace pool for the whole trial. */
  @State(Scope.Thread)
  public static class Pool {
    /** Both namespaces of every test of one class. */
    static final int CAPACITY = 2 * ExtensionFixtures.TESTS;

    NamespacePool pool;

    @Setup(Level.Trial)
    public void start() {
      pool = NamespacePool.startIfNoneRuns(CAPACITY).orElseThrow();
    }

    @TearDown(Level.Trial)
    public void close() {
      pool.close();
    }
  }

  /** The trial's pool, full before each operation. */
  @State(Scope.Thread)
  public static class WarmPool extends Pool {
    @Setup(Level.Invocation)
    public void awaitFull() throws InterruptedException {
      if (!pool.awaitFull(Duration.ofSeconds(30))) {
        throw new IllegalStateException("the pool did not fill: " + pool);
      }
    }
  }

  private long run(Class<?> testClass, boolean pooled) {
    LauncherDiscoveryRequest request =
        LauncherDiscoveryRequestBuilder.request()
            .selectors(selectClass(testClass))
            .configurationParameter("netns.require", "true")
            // With a pool running (the benchmark's), the extension uses it and starts none.
            .configurationParameter("netns.pool", pooled ? Integer.toString(Pool.CAPACITY) : "0")
            .build();
    SummaryGeneratingListener listener = new SummaryGeneratingListener();
    launcher.execute(request, listener);
    TestExecutionSummary summary = listener.getSummary();
    if (summary.getTestsSucceededCount() != ExtensionFixtures.TESTS
        || summary.getTotalFailureCount() != 0) {
      StringWriter failures = new StringWriter();
      summary.printFailuresTo(new PrintWriter(failures), 20);
      throw new IllegalStateException(
          testClass.getSimpleName()
              + ": "
              + summary.getTestsSucceededCount()
              + " of "
              + ExtensionFixtures.TESTS
              + " tests passed\n"
              + failures);
    }
    return summary.getTestsSucceededCount();
  }
}
