package dev.netns.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Plans of fault schedules: a pure function of the seed and the declared network, and every mistake
 * refused with its own message before anything runs.
 */
@Tag("privileged")
@NetNamespace("n3")
@NetNamespace("n1")
@NetNamespace("n4")
@NetNamespace("n2")
@Lan(
    name = "lan",
    subnet = "10.160.0.0/24",
    hosts = {"n2", "n1", "n3", "n4"})
@VethLink(a = "n3", aAddress = "10.161.0.1/24", b = "n1", bAddress = "10.161.0.2/24")
class FaultScheduleTest {
  private static final FaultSchedule EVERY_KIND =
      FaultSchedule.builder()
          .add(FaultKind.randomHalves(), 2)
          .add(FaultKind.isolateOne())
          .add(FaultKind.isolate("the leader", () -> "n2"))
          .add(FaultKind.majoritiesRing())
          .add(FaultKind.bridge())
          .add(FaultKind.oneWayCut())
          .add(FaultKind.flap(Duration.ofMillis(100)))
          .add(FaultKind.impair(Impairment.none().withLoss(20)))
          .add(FaultKind.custom("pause n4", (network, random) -> network.cut("n4", "n1")))
          .interval(Duration.ofMillis(100), Duration.ofMillis(400))
          .duration(Duration.ofMillis(200), Duration.ofMillis(600))
          .build();

  @Test
  void theSameSeedGivesTheSamePlanAndAnotherSeedAnother(Network network) {
    List<String> first = lines(EVERY_KIND, 42, network, 40);
    assertThat(lines(EVERY_KIND, 42, network, 40)).isEqualTo(first);
    assertThat(EVERY_KIND.plan(42, network).limit(40).toList())
        .isEqualTo(EVERY_KIND.plan(42, network).limit(40).toList());
    assertThat(lines(EVERY_KIND, 43, network, 40)).isNotEqualTo(first);
    // Every kind turns up in 40 faults of this seed.
    assertThat(EVERY_KIND.plan(42, network).limit(40).map(ScheduledFault::kind).distinct())
        .hasSize(9);
  }

  @Test
  void aPlanIsFixedByItsSeed(Network network) {
    // Pinned: a plan must not change with the JVM, the declaration order or hash ordering.
    assertThat(lines(EVERY_KIND, 7, network, 12))
        .containsExactly(
            "#0 at 0.300 s for 0.391 s: isolate the leader",
            "#1 at 0.846 s for 0.594 s: pause n4",
            "#2 at 1.788 s for 0.281 s: pause n4",
            "#3 at 2.420 s for 0.411 s: bridge n4: partition {n1, n2} | {n3}",
            "#4 at 2.952 s for 0.100 s: link n1<->n3 down (flap 1 of 1)",
            "#5 at 3.556 s for 0.593 s: pause n4",
            "#6 at 4.443 s for 0.496 s: partition {n1, n2} | {n3, n4}",
            "#7 at 5.258 s for 0.342 s: cut n4 -> n2",
            "#8 at 5.977 s for 0.234 s: partition {n1} | {n2, n3, n4}",
            "#9 at 6.392 s for 0.443 s: majorities ring: n1 hears {n1, n3, n4}; n2 hears"
                + " {n2, n3, n4}; n3 hears {n1, n2, n3}; n4 hears {n1, n2, n4}",
            "#10 at 6.962 s for 0.532 s: isolate the leader",
            "#11 at 7.728 s for 0.512 s: partition {n2, n4} | {n1, n3}");
  }

  @Test
  void faultsFollowEachOtherWithoutOverlapping(Network network) {
    List<ScheduledFault> plan = EVERY_KIND.plan(3, network).limit(100).toList();
    for (int i = 1; i < plan.size(); i++) {
      ScheduledFault before = plan.get(i - 1);
      assertThat(plan.get(i).start())
          .isGreaterThanOrEqualTo(before.start().plus(before.duration()));
      assertThat(plan.get(i).index()).isEqualTo(i);
    }
  }

  @Test
  void aLimitEndsThePlan(Network network) {
    FaultSchedule three = FaultSchedule.builder().add(FaultKind.oneWayCut()).limit(3).build();
    assertThat(three.plan(1, network).toList()).hasSize(3);
  }

  @Test
  void aFlapIsPlannedAsDownsAndUpsOfOnePort(Network network) {
    FaultSchedule flaps =
        FaultSchedule.builder()
            .add(FaultKind.flap(Duration.ofMillis(100)))
            .interval(Duration.ZERO, Duration.ZERO)
            .duration(Duration.ofMillis(450), Duration.ofMillis(450))
            .limit(2)
            .build();
    List<ScheduledFault> plan = flaps.plan(11, network).toList();
    assertThat(plan.get(0).targets()).isEqualTo(plan.get(1).targets());
    assertThat(plan.get(0).start()).isEqualTo(Duration.ZERO);
    assertThat(plan.get(1).start()).isEqualTo(Duration.ofMillis(200));
    assertThat(plan).allSatisfy(f -> assertThat(f.duration()).isEqualTo(Duration.ofMillis(100)));
    assertThat(plan.get(1).description()).endsWith("(flap 2 of 2)");
  }

  @Test
  void hostsLimitWhatIsFaulted(Network network) {
    FaultSchedule two =
        FaultSchedule.builder().add(FaultKind.randomHalves()).hosts("n4", "n2").limit(20).build();
    assertThat(two.plan(5, network).map(ScheduledFault::description).distinct())
        .containsExactlyInAnyOrder("partition {n2} | {n4}", "partition {n4} | {n2}");
  }

  @Test
  void mistakesAreRefusedBeforeAnythingRuns(Network network) {
    FaultSchedule unknown =
        FaultSchedule.builder().add(FaultKind.oneWayCut()).hosts("n1", "n9").build();
    assertThatThrownBy(() -> unknown.plan(1, network))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("fault schedule: unknown host 'n9' (declared: [n1, n2, n3, n4])");
    assertThatThrownBy(() -> network.nemesis(unknown))
        .hasMessage("fault schedule: unknown host 'n9' (declared: [n1, n2, n3, n4])");
    FaultSchedule ring =
        FaultSchedule.builder().add(FaultKind.majoritiesRing()).hosts("n1", "n2").build();
    assertThatThrownBy(() -> network.nemesis(ring, 1))
        .hasMessage(
            "fault schedule: majorities ring needs at least 3 hosts, but the schedule has 2:"
                + " [n1, n2]");
    assertThat(network.faults()).isEmpty();
    FaultSchedule flapAlone =
        FaultSchedule.builder().add(FaultKind.flap(Duration.ofMillis(10))).hosts("n2").build();
    assertThat(flapAlone.plan(1, network).findFirst().orElseThrow().targets())
        .containsExactly("n2@lan");
  }

  @Test
  void badArgumentsAreRefusedByTheBuilder() {
    assertThatThrownBy(() -> FaultSchedule.builder().build())
        .hasMessage("FaultSchedule.build: no fault kinds; add at least one with add(FaultKind)");
    assertThatThrownBy(() -> FaultSchedule.builder().hosts())
        .hasMessage("FaultSchedule.hosts: no hosts given");
    assertThatThrownBy(() -> FaultSchedule.builder().hosts("n1", "n1"))
        .hasMessage("FaultSchedule.hosts: 'n1' given twice");
    assertThatThrownBy(() -> FaultSchedule.builder().duration(Duration.ZERO, Duration.ofSeconds(1)))
        .hasMessage(
            "FaultSchedule.duration: the shortest duration must be at least 1 ms, not 0 ms");
    assertThatThrownBy(
            () -> FaultSchedule.builder().duration(Duration.ofMillis(200), Duration.ofMillis(100)))
        .hasMessage(
            "FaultSchedule.duration: the longest duration (100 ms) is shorter than the shortest"
                + " (200 ms)");
    assertThatThrownBy(
            () -> FaultSchedule.builder().interval(Duration.ofMillis(-1), Duration.ofMillis(100)))
        .hasMessage(
            "FaultSchedule.interval: the shortest interval must not be negative, not -1 ms");
    assertThatThrownBy(() -> FaultSchedule.builder().add(FaultKind.bridge(), 0))
        .hasMessage("FaultSchedule.add: the weight of bridge must be positive, not 0");
    assertThatThrownBy(() -> FaultSchedule.builder().limit(0))
        .hasMessage("FaultSchedule.limit: the number of faults must be positive, not 0");
    assertThatThrownBy(() -> FaultKind.flap(Duration.ZERO))
        .hasMessage("FaultKind.flap: the period must be at least 1 ms, not 0 ms");
    assertThatThrownBy(() -> FaultKind.impair(Impairment.none()))
        .hasMessage("FaultKind.impair: the impairment does nothing");
    assertThatThrownBy(() -> FaultKind.custom(" ", (network, random) -> null))
        .hasMessage("FaultKind.custom: name the fault");
    assertThatThrownBy(() -> FaultKind.isolate("", () -> "n1"))
        .hasMessage("FaultKind.isolate: name what the chooser picks");
  }

  private static List<String> lines(FaultSchedule schedule, long seed, Network network, int n) {
    return schedule.plan(seed, network).limit(n).map(ScheduledFault::toString).toList();
  }
}
