package dev.netns.junit;

import static dev.netns.junit.Models.Op.READ;
import static dev.netns.junit.Models.Op.WRITE;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Histories made by a correct register with random overlaps are always linearizable; the same
 * histories with one read's result changed mostly are not.
 */
class RandomHistoriesTest {
  private static final Duration BUDGET = Duration.ofSeconds(30);

  @Test
  void historiesOfACorrectRegisterAreLinearizable() {
    for (long seed = 0; seed < 200; seed++) {
      List<Operation> history = RegisterSimulation.run(new Random(seed), 5, 60);
      CheckResult result = Linearizability.check(history, Models.register(0), BUDGET);
      assertThat(result.isLinearizable()).as("seed %d: %s", seed, result).isTrue();
    }
  }

  @Test
  void aChangedReadResultIsMostlyCaught() {
    int mutated = 0;
    int caught = 0;
    for (long seed = 0; seed < 200; seed++) {
      Random random = new Random(seed);
      List<Operation> history = new ArrayList<>(RegisterSimulation.run(random, 5, 60));
      List<Integer> reads = new ArrayList<>();
      for (int i = 0; i < history.size(); i++) {
        if (history.get(i).function() == READ && history.get(i).resultKnown()) {
          reads.add(i);
        }
      }
      if (reads.isEmpty()) {
        continue;
      }
      int at = reads.get(random.nextInt(reads.size()));
      Operation read = history.get(at);
      // Another value some write of the history wrote: the checker has to reason to reject it.
      List<Object> written = new ArrayList<>();
      for (Operation op : history) {
        if (op.function() == WRITE && !op.argument().equals(read.result())) {
          written.add(op.argument());
        }
      }
      if (written.isEmpty()) {
        continue;
      }
      Object other = written.get(random.nextInt(written.size()));
      history.set(
          at,
          new Operation(
              read.process(),
              READ,
              read.key(),
              null,
              other,
              read.outcome(),
              read.invokedNanos(),
              read.completedNanos()));
      mutated++;
      CheckResult result = Linearizability.check(history, Models.register(0), BUDGET);
      assertThat(result.verdict()).isNotEqualTo(CheckResult.Verdict.UNKNOWN);
      if (result.verdict() == CheckResult.Verdict.ILLEGAL) {
        caught++;
      }
    }
    assertThat(mutated).isGreaterThan(150);
    // Some changes stay legal (the other value was written concurrently with the read).
    assertThat(caught).as("caught %d of %d", caught, mutated).isGreaterThan(mutated * 3 / 4);
  }
}
