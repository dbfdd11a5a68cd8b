package dev.netns.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netns.kernel.Capabilities;
import dev.netns.testing.Requirements;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.Event;

/**
 * Latency through the kernel's netem: measured where the kernel has it; where it does not (this
 * project's CI kernel), the test is skipped with the reason, or fails under netns.require.
 */
@Tag("privileged")
class NetemTest {
  static final List<Long> ROUND_TRIPS = new CopyOnWriteArrayList<>();

  @NetNamespace("a")
  @NetNamespace("b")
  @VethLink(a = "a", aAddress = "10.3.0.1/24", b = "b", bAddress = "10.3.0.2/24")
  static class FiftyMillisEachWay {
    @Test
    void roundTripGrows(Network network) throws Exception {
      NetNs a = network.namespace("a");
      InetAddress b = network.address("b");
      ROUND_TRIPS.add(roundTripMillis(a, b));
      Link link = network.link("a", "b");
      try (Fault slow = link.impair("a", Impairment.none().withDelay(Duration.ofMillis(50)));
          Fault slowBack = link.impair("b", Impairment.none().withDelay(Duration.ofMillis(50)))) {
        ROUND_TRIPS.add(roundTripMillis(a, b));
      }
    }

    static long roundTripMillis(NetNs from, InetAddress to) throws Exception {
      long started = System.nanoTime();
      assertThat(from.call(() -> to.isReachable(2_000))).isTrue();
      return (System.nanoTime() - started) / 1_000_000;
    }
  }

  @Test
  void latencyWhereNetemExistsAClearSkipWhereNot() {
    Requirements.requireNamespaces();
    ROUND_TRIPS.clear();
    // The skip itself is under test: netns.require off, whatever the environment variable CI says.
    EngineExecutionResults results =
        Fixtures.run(FiftyMillisEachWay.class, Map.of("netns.require", "false"));
    if (Capabilities.hasQdisc("netem")) {
      results.testEvents().assertStatistics(s -> s.succeeded(1));
      assertThat(ROUND_TRIPS.get(1) - ROUND_TRIPS.get(0)).isBetween(90L, 300L);
    } else {
      results.testEvents().assertStatistics(s -> s.aborted(1));
      Event aborted = results.testEvents().aborted().list().get(0);
      Throwable reason =
          aborted
              .getPayload(org.junit.platform.engine.TestExecutionResult.class)
              .orElseThrow()
              .getThrowable()
              .orElseThrow();
      assertThat(reason)
          .hasMessage(
              "skipped: impairment 'delay 50 ms' needs the kernel's netem qdisc, which this kernel"
                  + " does not have (module sch_netem). A bandwidth limit alone works everywhere"
                  + " (Impairment.withRate), and the userspace path works on impairable links"
                  + " (@VethLink(impairable = true)).");
    }
  }

  @Test
  void missingNetemFailsUnderNetnsRequire() {
    Requirements.requireNamespaces();
    if (Capabilities.hasQdisc("netem")) {
      return; // nothing is missing here
    }
    Throwable failure =
        Fixtures.onlyFailure(
            Fixtures.run(FiftyMillisEachWay.class, java.util.Map.of("netns.require", "true")));
    assertThat(failure)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("netns.require=true, so this test fails instead of being skipped:");
  }
}
