package dev.netns.benchmarks;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.netns.kernel.NamespacePool;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;
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
