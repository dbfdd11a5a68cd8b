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
                thirdRuns::incrementAndGet));
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
}
