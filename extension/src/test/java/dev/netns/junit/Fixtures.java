package dev.netns.junit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/** Runs fixture classes through the Jupiter engine, as JUnit's own tests do. */
final class Fixtures {
  private Fixtures() {}

  static EngineExecutionResults run(Class<?> fixture) {
    return run(fixture, Map.of());
  }

  static EngineExecutionResults run(Class<?> fixture, Map<String, String> configuration) {
    return EngineTestKit.engine("junit-jupiter")
        .configurationParameters(configuration)
        .configurationParameter("junit.jupiter.execution.parallel.enabled", "false")
        .selectors(DiscoverySelectors.selectClass(fixture))
        .execute();
  }

  /** The exception of the one failed event (test or container), whichever failed. */
  static Throwable onlyFailure(EngineExecutionResults results) {
    List<Event> failed = results.allEvents().failed().list();
    assertThat(failed).as("failed events").hasSize(1);
    return failed
        .get(0)
        .getPayload(org.junit.platform.engine.TestExecutionResult.class)
        .orElseThrow()
        .getThrowable()
        .orElseThrow();
  }
}
