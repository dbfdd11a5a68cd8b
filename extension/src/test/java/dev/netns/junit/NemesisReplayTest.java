package dev.netns.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * Replaying a fault schedule through the engine: the seed of {@code netns.seed} gives the same
 * faults on the same network in two runs; a failed test carries the seed, the line that replays it
 * and the faults applied; teardown stops and heals a schedule the test left running.
 */
@Tag("privileged")
class NemesisReplayTest {
  static final List<String> LOG = new CopyOnWriteArrayList<>();
  static final AtomicReference<Nemesis> LEFT = new AtomicReference<>();
  static final AtomicReference<String> FIRST = new AtomicReference<>();

  @NetNamespace("n1")
  @NetNamespace("n2")
  @NetNamespace("n3")
  @NetNamespace("n4")
  @Lan(
      name = "lan",
      subnet = "10.163.0.0/24",
      hosts = {"n1", "n2", "n3", "n4"})
  abstract static class FourHosts {}

  static class RunsASchedule extends FourHosts {
    @Test
    void run(Network network) throws Exception {
      FaultSchedule schedule =
          FaultSchedule.builder()
              .add(FaultKind.randomHalves(), 2)
              .add(FaultKind.isolateOne())
              .add(FaultKind.majoritiesRing())
              .add(FaultKind.bridge())
              .add(FaultKind.oneWayCut())
              .add(FaultKind.flap(Duration.ofMillis(20)))
              .add(FaultKind.impair(Impairment.none().withLoss(30)))
              .interval(Duration.ofMillis(10), Duration.ofMillis(40))
              .duration(Duration.ofMillis(40), Duration.ofMillis(100))
              .limit(10)
              .build();
      try (Nemesis nemesis = network.nemesis(schedule)) {
        await().atMost(Duration.ofSeconds(60)).until(() -> !nemesis.isRunning());
        for (AppliedFault f : nemesis.applied()) {
          LOG.add(f.planned() + " => " + f.description());
        }
      }
      assertThat(network.faults()).isEmpty();
      NetAssertions.awaitReachable(
          network.namespace("n1"), network.address("n4"), Duration.ofSeconds(5));
    }
  }

  private static List<String> runWithSeed(String seed) {
    LOG.clear();
    Fixtures.run(RunsASchedule.class, Map.of("netns.seed", seed))
        .testEvents()
        .assertStatistics(s -> s.succeeded(1));
    return List.copyOf(LOG);
  }

  @Test
  void theSameSeedAppliesTheSameFaultsAndAnotherSeedOthers() {
    List<String> first = runWithSeed("7");
    assertThat(first).hasSize(10);
    assertThat(runWithSeed("7")).isEqualTo(first);
    assertThat(runWithSeed("8")).hasSize(10).isNotEqualTo(first);
  }

  static final Map<String, List<String>> PLANS = new java.util.concurrent.ConcurrentHashMap<>();

  /** The plan of one schedule of every kind, with seed 7. */
  static void recordPlan(String name, Network network) {
    FaultSchedule schedule =
        FaultSchedule.builder()
            .add(FaultKind.randomHalves())
            .add(FaultKind.isolateOne())
            .add(FaultKind.majoritiesRing())
            .add(FaultKind.bridge())
            .add(FaultKind.oneWayCut())
            .add(FaultKind.flap(Duration.ofMillis(50)))
            .add(FaultKind.impair(Impairment.none().withDelay(Duration.ofMillis(5))))
            .build();
    PLANS.put(name, schedule.plan(7, network).limit(30).map(ScheduledFault::toString).toList());
  }

  @NetNamespace("n4")
  @NetNamespace("n2")
  @NetNamespace("n3")
  @NetNamespace("n1")
  @Lan(
      name = "lan",
      subnet = "10.165.0.0/24",
      hosts = {"n4", "n3", "n2", "n1"})
  static class SameHostsDeclaredInAnotherOrder {
    @Test
    void run(Network network) {
      recordPlan("another order", network);
    }
  }

  static class SameHostsInOrder extends FourHosts {
    @Test
    void run(Network network) {
      recordPlan("in order", network);
    }
  }

  @Test
  void theDeclarationOrderDoesNotChangeThePlan() {
    Fixtures.run(SameHostsInOrder.class).testEvents().assertStatistics(s -> s.succeeded(1));
    Fixtures.run(SameHostsDeclaredInAnotherOrder.class)
        .testEvents()
        .assertStatistics(s -> s.succeeded(1));
    assertThat(PLANS.get("another order")).hasSize(30).isEqualTo(PLANS.get("in order"));
  }

  static class FailsWhileAFaultIsInForce extends FourHosts {
    @Test
    void run(Network network) {
      FaultSchedule schedule =
          FaultSchedule.builder()
              .add(FaultKind.randomHalves())
              .interval(Duration.ZERO, Duration.ZERO)
              .duration(Duration.ofMinutes(1), Duration.ofMinutes(1))
              .build();
      FIRST.set(schedule.plan(5, network).findFirst().orElseThrow().description());
      Nemesis nemesis = network.nemesis(schedule);
      LEFT.set(nemesis);
      await().atMost(Duration.ofSeconds(30)).until(() -> nemesis.applied().size() == 1);
      throw new IllegalStateException("the body gave up");
    }
  }

  @Test
  void aFailureCarriesTheSeedTheReplayLineAndTheFaultsAndTeardownHeals() {
    Throwable failure =
        Fixtures.onlyFailure(
            Fixtures.run(FailsWhileAFaultIsInForce.class, Map.of("netns.seed", "5")));
    assertThat(failure).hasMessage("the body gave up");
    String note = noteOf(failure);
    List<String> lines = note.lines().toList();
    assertThat(lines).hasSize(3);
    assertThat(lines.get(0))
        .isEqualTo(
            "netns: this test ran a fault schedule with seed 5 (from netns.seed); replay it with:"
                + " -Dnetns.seed=5 -Dtest=dev.netns.junit.NemesisReplayTest$FailsWhileAFaultIsInForce#run");
    assertThat(lines.get(1)).isEqualTo("faults applied (from its start):");
    assertThat(lines.get(2))
        .matches(
            "  #0 \\d+\\.\\d{3} s \\.\\. \\(in force\\): "
                + java.util.regex.Pattern.quote(FIRST.get() + " (silent)"));
    // Teardown stopped the schedule the test left running, and healed its fault.
    Nemesis left = LEFT.get();
    assertThat(left.isRunning()).isFalse();
    assertThat(left.applied()).hasSize(1);
    assertThat(left.applied().get(0).healed()).isPresent();
  }

  static class FixesItsSeedAndFailsAtOnce extends FourHosts {
    @Test
    void run(Network network) {
      network.nemesis(FaultSchedule.builder().add(FaultKind.oneWayCut()).build(), 99);
      throw new IllegalStateException("at once");
    }
  }

  @Test
  void aSeedGivenByTheTestIsReplayedByRunningTheTestAgain() {
    Throwable failure = Fixtures.onlyFailure(Fixtures.run(FixesItsSeedAndFailsAtOnce.class));
    assertThat(noteOf(failure))
        .isEqualTo(
            "netns: this test ran a fault schedule with seed 99 (given by the test); replay it"
                + " with: -Dtest=dev.netns.junit.NemesisReplayTest$FixesItsSeedAndFailsAtOnce#run"
                + " (the test fixes the seed)\n"
                + "faults applied: none");
  }

  @Test
  void aBadSeedSettingIsNamed() {
    Throwable failure =
        Fixtures.onlyFailure(
            Fixtures.run(FixesItsSeedAndFailsAtOnce.class, Map.of("netns.seed", "0x2A")));
    assertThat(failure)
        .isInstanceOf(ExtensionConfigurationException.class)
        .hasMessage(
            "configuration parameter netns.seed must be a whole number (a seed printed with a"
                + " failed test), but was '0x2A'");
  }

  @NetNamespace("a")
  @NetNamespace("b")
  @VethLink(a = "a", aAddress = "10.166.0.1/24", b = "b", bAddress = "10.166.0.2/24")
  static class ImpairsAPlainLink {
    @Test
    void run(Network network) {
      FaultSchedule schedule =
          FaultSchedule.builder()
              .add(FaultKind.impair(Impairment.none().withLoss(10)))
              .hosts("a", "b")
              .interval(Duration.ZERO, Duration.ZERO)
              .limit(1)
              .build();
      try (Nemesis nemesis = network.nemesis(schedule, 3)) {
        await().atMost(Duration.ofSeconds(30)).until(() -> !nemesis.isRunning());
      }
    }
  }

  @Test
  void anImpairmentNoPathCanCarrySkipsTheTestLikeLinkImpair() {
    dev.netns.testing.Requirements.requireNamespaces();
    EngineExecutionResults results =
        Fixtures.run(ImpairsAPlainLink.class, Map.of("netns.require", "false"));
    if (dev.netns.kernel.Capabilities.hasQdisc("netem")) {
      results.testEvents().assertStatistics(s -> s.succeeded(1));
      return;
    }
    results.testEvents().assertStatistics(s -> s.aborted(1));
    Throwable reason =
        results
            .testEvents()
            .aborted()
            .list()
            .get(0)
            .getPayload(org.junit.platform.engine.TestExecutionResult.class)
            .orElseThrow()
            .getThrowable()
            .orElseThrow();
    assertThat(reason)
        .hasMessageStartingWith(
            "skipped: impairment 'loss 10.0 %' needs the kernel's netem qdisc, which this kernel"
                + " does not have");
  }

  private static String noteOf(Throwable failure) {
    List<Throwable> notes =
        java.util.Arrays.stream(failure.getSuppressed())
            .filter(s -> s.getClass().getSimpleName().equals("FaultScheduleReplay"))
            .toList();
    assertThat(notes).hasSize(1);
    return notes.get(0).getMessage();
  }
}
