package dev.netns.benchmarks;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.PrintWriter;
import java.io.StringWriter;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the extension adds to each test: a class of ten empty tests run through the JUnit Platform
 * Launcher (discovery, Jupiter engine, lifecycle, as a build tool runs them), once with a two-host
 * network ({@code @NetNamespace} twice and a {@code @VethLink}, fresh for every test) and once
 * without. Scores are per test; the difference between the two is the per-test overhead.
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
    return run(ExtensionFixtures.TwoHostNetwork.class);
  }

  @Benchmark
  public long withoutNetwork() {
    return run(ExtensionFixtures.NoNetwork.class);
  }

  private long run(Class<?> testClass) {
    LauncherDiscoveryRequest request =
        LauncherDiscoveryRequestBuilder.request()
            .selectors(selectClass(testClass))
            .configurationParameter("netns.require", "true")
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
