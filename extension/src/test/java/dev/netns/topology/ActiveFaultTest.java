package dev.netns.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A heal that fails half-way runs only what failed when retried: nothing is undone twice. */
class ActiveFaultTest {

  @Test
  void aRetriedHealRunsOnlyTheStepsThatFailed() {
    AtomicInteger firstRuns = new AtomicInteger();
    AtomicInteger secondRuns = new AtomicInteger();
    AtomicInteger thirdRuns = new AtomicInteger();
    ActiveFault fault =
        new ActiveFault(
            "two routes",
            new FaultScope.Cut("a", "b", DropMode.SILENT),
            List.of(
                firstRuns::incrementAndGet,
                () -> {
                  if (secondRuns.incrementAndGet() == 1) {
                    throw new IllegalStateException("EBUSY, once");
                  }
                },
                thirdRuns::incrementAndGet),
            () -> FaultCounts.notCounted("test"));
    assertThatThrownBy(fault::heal).hasMessage("EBUSY, once");
    assertThat(fault.isActive()).as("active while a step is left").isTrue();
    assertThat(thirdRuns).as("later steps still run").hasValue(1);
    fault.heal();
    assertThat(fault.isActive()).isFalse();
    assertThat(firstRuns).as("a step that succeeded runs once").hasValue(1);
    assertThat(secondRuns).hasValue(2);
    assertThat(thirdRuns).hasValue(1);
    fault.heal();
    assertThat(secondRuns).as("healed: nothing runs again").hasValue(2);
  }

  @Test
  void countsAreReadLiveUntilTheHealAndFinalFromItsStart() {
    AtomicInteger dropped = new AtomicInteger();
    ActiveFault fault =
        new ActiveFault(
            "counted",
            new FaultScope.Cut("a", "b", DropMode.SILENT),
            List.of(
                () -> {
                  // the heal closes what counted; a later reading would fail
                  dropped.set(-1);
                  throw new IllegalStateException("EBUSY");
                }),
            () -> {
              if (dropped.get() < 0) {
                throw new IllegalStateException("counter gone");
              }
              return new FaultCounts(
                  dropped.get(), 0, 0, 0, 0, FaultCounts.Accuracy.EXACT, "test frames");
            });
    dropped.set(2);
    assertThat(fault.counts().dropped()).isEqualTo(2);
    dropped.set(5);
    assertThat(fault.counts()).hasToString("dropped 5 (exact: test frames)");
    assertThatThrownBy(fault::heal).hasMessage("EBUSY");
    assertThat(fault.counts())
        .as("final from the first heal")
        .hasToString("dropped 5 (exact: test frames)");
  }
}
