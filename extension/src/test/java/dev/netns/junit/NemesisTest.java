package dev.netns.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** A fault schedule running on a real network: applied as planned, healed when stopped. */
@Tag("privileged")
@NetNamespace("n1")
@NetNamespace("n2")
@NetNamespace("n3")
@Lan(
    name = "lan",
    subnet = "10.162.0.0/24",
    hosts = {"n1", "n2", "n3"})
class NemesisTest {
  private static final Duration SHORT = Duration.ofMillis(300);

  @Test
  void closingStopsTheScheduleAndHealsTheFaultInForce(Network network) {
    History history = new History();
    FaultSchedule schedule =
        FaultSchedule.builder()
            .add(FaultKind.isolateOne())
            .interval(Duration.ZERO, Duration.ZERO)
            .duration(Duration.ofMinutes(1), Duration.ofMinutes(1))
            .recordInto(history)
            .build();
    ScheduledFault first = schedule.plan(21, network).findFirst().orElseThrow();
    String alone = first.targets().get(0);
    String other = alone.equals("n1") ? "n2" : "n1";
    Nemesis nemesis = network.nemesis(schedule, 21);
    await().atMost(Duration.ofSeconds(30)).until(() -> nemesis.applied().size() == 1);
    assertThat(nemesis.seed()).isEqualTo(21);
    assertThat(nemesis.isRunning()).isTrue();
    assertThat(network.faults()).hasSize(1);
    assertThat(NetAssertions.assertThat(network.namespace(alone)).within(SHORT))
        .satisfies(a -> a.cannotReach(network.address(other)));

    nemesis.close();
    assertThat(nemesis.isRunning()).isFalse();
    assertThat(network.faults()).isEmpty();
    NetAssertions.awaitReachable(
        network.namespace(alone), network.address(other), Duration.ofSeconds(5));
    AppliedFault applied = nemesis.applied().get(0);
    assertThat(applied.planned()).isEqualTo(first);
    assertThat(applied.description()).isEqualTo(first.description() + " (silent)");
    assertThat(applied.healed()).isPresent();
    assertThat(history.faults())
        .singleElement()
        .satisfies(
            event -> {
              assertThat(event.description()).isEqualTo(applied.description());
              assertThat(event.isInstant()).isFalse();
              assertThat(event.healedNanos()).isLessThan(Long.MAX_VALUE);
            });
    nemesis.close(); // idempotent
  }

  @Test
  void theChooserPicksTheHostWhenTheFaultStarts(Network network) {
    java.util.Queue<String> leaders = new java.util.concurrent.ConcurrentLinkedQueue<>();
    FaultSchedule schedule =
        FaultSchedule.builder()
            .add(FaultKind.isolate("the leader", leaders::poll))
            .interval(Duration.ofMillis(10), Duration.ofMillis(10))
            .duration(Duration.ofMillis(50), Duration.ofMillis(50))
            .limit(2)
            .build();
    // Asked when each fault starts, not when the schedule is built or started.
    leaders.addAll(List.of("n3", "n1"));
    try (Nemesis nemesis = network.nemesis(schedule, 1)) {
      await().atMost(Duration.ofSeconds(30)).until(() -> !nemesis.isRunning());
      assertThat(nemesis.applied())
          .extracting(AppliedFault::description)
          .containsExactly(
              "partition {n3} | {n1, n2} (silent)", "partition {n1} | {n2, n3} (silent)");
    }
    assertThat(network.faults()).isEmpty();
  }

  @Test
  void aFaultThatCannotBeAppliedStopsTheScheduleAndFailsItsClose(Network network) {
    FaultSchedule schedule =
        FaultSchedule.builder()
            .add(FaultKind.isolate("the leader", () -> "n9"))
            .interval(Duration.ZERO, Duration.ZERO)
            .duration(Duration.ofSeconds(1), Duration.ofSeconds(1))
            .build();
    Nemesis nemesis = network.nemesis(schedule, 1);
    await().atMost(Duration.ofSeconds(30)).until(() -> !nemesis.isRunning());
    assertThatThrownBy(nemesis::close)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "the fault schedule (seed 1) could not apply #0 at 0.000 s for 1.000 s: isolate the"
                + " leader: the chooser returned 'n9', which is not one of the schedule's hosts"
                + " [n1, n2, n3]");
    assertThat(nemesis.applied()).isEmpty();
    assertThat(network.faults()).isEmpty();
  }

  @Test
  void aHealThatThrowsAnErrorAtCloseStillEndsTheScheduleAndFailsItsClose(Network network) {
    FaultSchedule schedule =
        FaultSchedule.builder()
            .add(
                FaultKind.custom(
                    "a fault whose heal fails",
                    (net, random) -> {
                      Fault cut = net.cut("n1", "n2");
                      return new Fault() {
                        @Override
                        public String description() {
                          return cut.description();
                        }

                        @Override
                        public boolean isActive() {
                          return cut.isActive();
                        }

                        @Override
                        public FaultEffect effect() {
                          return cut.effect();
                        }

                        @Override
                        public void heal() {
                          cut.heal();
                          throw new AssertionError("heal fails, on purpose");
                        }
                      };
                    }))
            .interval(Duration.ZERO, Duration.ZERO)
            .duration(Duration.ofMinutes(1), Duration.ofMinutes(1))
            .build();
    Nemesis nemesis = network.nemesis(schedule, 3);
    await().atMost(Duration.ofSeconds(30)).until(() -> nemesis.applied().size() == 1);

    assertThatThrownBy(nemesis::close)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("the fault schedule (seed 3) could not heal #0 at 0.000 s")
        .hasMessageEndingWith(": heal fails, on purpose");
    assertThat(nemesis.isRunning()).isFalse();
    assertThat(network.faults()).isEmpty();
  }

  @Test
  void customFaultsAndImpairmentsRunAndHeal(Network network) {
    List<Long> drawn = new java.util.concurrent.CopyOnWriteArrayList<>();
    FaultSchedule schedule =
        FaultSchedule.builder()
            .add(
                FaultKind.custom(
                    "cut n1 -> n2 by hand",
                    (net, random) -> {
                      drawn.add(random.nextLong());
                      return net.cut("n1", "n2");
                    }))
            .add(FaultKind.impair(Impairment.none().withLoss(50)))
            .add(FaultKind.flap(Duration.ofMillis(20)))
            .interval(Duration.ofMillis(5), Duration.ofMillis(20))
            .duration(Duration.ofMillis(40), Duration.ofMillis(80))
            .limit(12)
            .build();
    List<ScheduledFault> plan = schedule.plan(4, network).toList();
    try (Nemesis nemesis = network.nemesis(schedule, 4)) {
      await().atMost(Duration.ofSeconds(60)).until(() -> !nemesis.isRunning());
      assertThat(nemesis.applied()).extracting(AppliedFault::planned).isEqualTo(plan);
      assertThat(nemesis.applied()).allSatisfy(f -> assertThat(f.healed()).isPresent());
    }
    assertThat(network.faults()).isEmpty();
    assertThat(plan).extracting(ScheduledFault::kind).contains("cut n1 -> n2 by hand");
    // The custom fault's random numbers come from its planned seed.
    List<Long> expected =
        plan.stream()
            .filter(f -> f.kind().equals("cut n1 -> n2 by hand"))
            .map(f -> new java.util.SplittableRandom(f.seed()).nextLong())
            .toList();
    assertThat(drawn).isEqualTo(expected);
  }
}
