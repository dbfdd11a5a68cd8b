package dev.netns.junit;

import static dev.netns.junit.Models.Op.ADD;
import static dev.netns.junit.Models.Op.CAS;
import static dev.netns.junit.Models.Op.CONTAINS;
import static dev.netns.junit.Models.Op.READ;
import static dev.netns.junit.Models.Op.WRITE;
import static dev.netns.junit.Operation.Outcome.FAIL;
import static dev.netns.junit.Operation.Outcome.INFO;
import static dev.netns.junit.Operation.Outcome.OK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Hand-made minimal histories with known verdicts, both ways. Times are in milliseconds. */
class LinearizabilityTest {
  private static final Duration BUDGET = Duration.ofSeconds(10);

  @Test
  void aReadOfTheLastCompletedWriteIsLinearizable() {
    assertThat(
            verdict(
                Models.register(),
                op(0, WRITE, null, 1, null, OK, 0, 1),
                op(0, WRITE, null, 2, null, OK, 2, 3),
                op(1, READ, null, null, 2, OK, 4, 5)))
        .isEqualTo(CheckResult.Verdict.LINEARIZABLE);
  }

  @Test
  void aStaleReadAfterACompletedWriteIsIllegalAndNamed() {
    Operation stale = op(1, READ, null, null, 1, OK, 4, 5);
    CheckResult result =
        Linearizability.check(
            List.of(
                op(0, WRITE, null, 1, null, OK, 0, 1),
                op(0, WRITE, null, 2, null, OK, 2, 3),
                stale),
            Models.register(),
            BUDGET);

    assertThat(result.verdict()).isEqualTo(CheckResult.Verdict.ILLEGAL);
    assertThat(result.unplaceable()).contains(stale);
    assertThat(result.prefix()).extracting(Operation::argument).containsExactly(1, 2);
    assertThat(result.toString())
        .startsWith(
            "not linearizable: no order of the operations explains\n"
                + "  p1 READ -> 1 ok [4.000 ms .. 5.000 ms]\n"
                + "after the longest prefix that could be linearized (2 of 3 operations):\n"
                + "  p0 WRITE 1 ok [0.000 ms .. 1.000 ms]\n"
                + "  p0 WRITE 2 ok [2.000 ms .. 3.000 ms]");
    assertThatThrownBy(result::assertLinearizable)
        .isInstanceOf(AssertionError.class)
        .hasMessage(result.toString());
  }

  @Test
  void readsDuringConcurrentWritesMaySeeEitherOrder() {
    Operation w1 = op(0, WRITE, null, 1, null, OK, 0, 10);
    Operation w2 = op(1, WRITE, null, 2, null, OK, 1, 10);
    assertThat(
            verdict(
                Models.register(),
                w1,
                w2,
                op(2, READ, null, null, 1, OK, 2, 5),
                op(2, READ, null, null, 2, OK, 6, 9)))
        .isEqualTo(CheckResult.Verdict.LINEARIZABLE);
    assertThat(
            verdict(
                Models.register(),
                w1,
                w2,
                op(2, READ, null, null, 2, OK, 2, 5),
                op(2, READ, null, null, 1, OK, 6, 9)))
        .isEqualTo(CheckResult.Verdict.LINEARIZABLE);
    // 1, 2, 1 needs a second write of 1.
    assertThat(
            verdict(
                Models.register(),
                w1,
                w2,
                op(2, READ, null, null, 1, OK, 2, 5),
                op(2, READ, null, null, 2, OK, 6, 7),
                op(2, READ, null, null, 1, OK, 8, 9)))
        .isEqualTo(CheckResult.Verdict.ILLEGAL);
  }

  @Test
  void compareAndSetSucceedsOnlyOnTheExpectedValue() {
    Model<?> register = Models.register(0);
    assertThat(
            verdict(
                register,
                op(0, CAS, null, new Models.Cas(0, 1), true, OK, 0, 1),
                op(1, CAS, null, new Models.Cas(0, 2), false, OK, 2, 3),
                op(2, READ, null, null, 1, OK, 4, 5)))
        .isEqualTo(CheckResult.Verdict.LINEARIZABLE);
    assertThat(
            verdict(
                register,
                op(0, CAS, null, new Models.Cas(0, 1), true, OK, 0, 1),
                op(1, CAS, null, new Models.Cas(0, 2), true, OK, 2, 3)))
        .isEqualTo(CheckResult.Verdict.ILLEGAL);
    // A failed swap that saw the expected value is a lie.
    assertThat(verdict(register, op(0, CAS, null, new Models.Cas(0, 1), false, OK, 0, 1)))
        .isEqualTo(CheckResult.Verdict.ILLEGAL);
  }

  @Test
  void aWriteOfUnknownOutcomeExplainsALaterReadEvenAfterItTimedOut() {
    assertThat(
            verdict(
                Models.register(),
                op(0, WRITE, null, 1, null, OK, 0, 1),
                op(1, WRITE, null, 2, null, INFO, 2, 3),
                op(2, READ, null, null, 1, OK, 4, 5),
                op(2, READ, null, null, 2, OK, 6, 7)))
        .isEqualTo(CheckResult.Verdict.LINEARIZABLE);
  }

  @Test
  void aWriteOfUnknownOutcomeMayNeverHappen() {
    assertThat(
            verdict(
                Models.register(),
                op(0, WRITE, null, 1, null, OK, 0, 1),
                op(1, WRITE, null, 2, null, INFO, 2, 3),
                op(2, READ, null, null, 1, OK, 10, 11)))
        .isEqualTo(CheckResult.Verdict.LINEARIZABLE);
  }

  @Test
  void aWriteOfUnknownOutcomeCannotExplainAReadThatReturnedBeforeItsInvocation() {
    assertThat(
            verdict(
                Models.register(),
                op(2, READ, null, null, 1, OK, 0, 1),
                op(1, WRITE, null, 1, null, INFO, 2, 3)))
        .isEqualTo(CheckResult.Verdict.ILLEGAL);
  }

  @Test
  void aWriteOfUnknownOutcomeTakesEffectOnceOnly() {
    assertThat(
            verdict(
                Models.register(),
                op(1, WRITE, null, 1, null, INFO, 0, 1),
                op(0, WRITE, null, 2, null, OK, 2, 3),
                op(2, READ, null, null, 1, OK, 4, 5),
                op(0, WRITE, null, 3, null, OK, 6, 7),
                op(2, READ, null, null, 1, OK, 8, 9)))
        .isEqualTo(CheckResult.Verdict.ILLEGAL);
  }

  @Test
  void aFailedWriteDidNotHappen() {
    assertThat(
            verdict(
                Models.register(),
                op(1, WRITE, null, 1, null, FAIL, 0, 1),
                op(2, READ, null, null, 1, OK, 2, 3)))
        .isEqualTo(CheckResult.Verdict.ILLEGAL);
  }

  @Test
  void aKeyValueMapIsCheckedPerKey() {
    Operation[] history = {
      op(0, WRITE, "x", 1, null, OK, 0, 1),
      op(1, WRITE, "y", 2, null, OK, 2, 3),
      op(2, READ, "x", null, 1, OK, 4, 5),
      op(2, READ, "y", null, 2, OK, 6, 7)
    };
    assertThat(verdict(Models.keyValue(), history)).isEqualTo(CheckResult.Verdict.LINEARIZABLE);
    // As one register, the same history is illegal: the read of x comes after y was written.
    assertThat(verdict(Models.register(), history)).isEqualTo(CheckResult.Verdict.ILLEGAL);

    CheckResult stale =
        Linearizability.check(
            List.of(
                op(0, WRITE, "x", 1, null, OK, 0, 1),
                op(1, WRITE, "y", 1, null, OK, 0, 1),
                op(1, WRITE, "y", 2, null, OK, 2, 3),
                op(2, READ, "y", null, 1, OK, 4, 5)),
            Models.keyValue(),
            BUDGET);
    assertThat(stale.verdict()).isEqualTo(CheckResult.Verdict.ILLEGAL);
    assertThat(stale.unplaceable().orElseThrow().key()).isEqualTo("y");
  }

  @Test
  void aSetShowsWhatWasAdded() {
    Operation add1 = op(0, ADD, null, 1, null, OK, 0, 1);
    Operation add2 = op(1, ADD, null, 2, null, OK, 0, 3);
    assertThat(
            verdict(
                Models.set(),
                add1,
                add2,
                op(2, READ, null, null, Set.of(1), OK, 2, 2),
                op(2, CONTAINS, null, 2, true, OK, 4, 5),
                op(2, READ, null, null, List.of(2, 1), OK, 6, 7)))
        .isEqualTo(CheckResult.Verdict.LINEARIZABLE);
    assertThat(verdict(Models.set(), add1, add2, op(2, READ, null, null, Set.of(2), OK, 4, 5)))
        .isEqualTo(CheckResult.Verdict.ILLEGAL);
    assertThat(verdict(Models.set(), add1, op(2, CONTAINS, null, 1, false, OK, 4, 5)))
        .isEqualTo(CheckResult.Verdict.ILLEGAL);
  }

  private enum CounterOp {
    INCREMENT,
    GET
  }

  /** A user's own model: a counter, its state an immutable Long. */
  private static final Model<Long> COUNTER =
      new Model<>() {
        @Override
        public Long initial() {
          return 0L;
        }

        @Override
        public Optional<Long> step(Long value, Operation op) {
          return switch ((CounterOp) op.function()) {
            case INCREMENT -> Optional.of(value + 1);
            case GET ->
                op.resultKnown() && value.equals(op.result())
                    ? Optional.of(value)
                    : Optional.empty();
          };
        }
      };

  @Test
  void aUserModelDecidesByItsStepFunction() {
    Operation inc0 = op(0, CounterOp.INCREMENT, null, null, null, OK, 0, 10);
    Operation inc1 = op(1, CounterOp.INCREMENT, null, null, null, INFO, 0, 10);
    assertThat(verdict(COUNTER, inc0, inc1, op(2, CounterOp.GET, null, null, 2L, OK, 1, 2)))
        .isEqualTo(CheckResult.Verdict.LINEARIZABLE);
    assertThat(verdict(COUNTER, inc0, inc1, op(2, CounterOp.GET, null, null, 3L, OK, 1, 2)))
        .isEqualTo(CheckResult.Verdict.ILLEGAL);
    assertThat(verdict(COUNTER, inc0, op(2, CounterOp.GET, null, null, 0L, OK, 11, 12)))
        .isEqualTo(CheckResult.Verdict.ILLEGAL);
  }

  @Test
  void aPathologicalHistoryEndsUnknownWithinItsBudget() {
    // Thirty concurrent writes of unknown outcome and a read nobody could have caused: to prove
    // it illegal, the search would try every subset of the writes.
    List<Operation> history = new ArrayList<>();
    for (int p = 0; p < 30; p++) {
      history.add(op(p, WRITE, null, p, null, INFO, 0, 1));
    }
    history.add(op(30, READ, null, null, -1, OK, 2, 3));

    CheckResult result = Linearizability.check(history, Models.register(), Duration.ofMillis(200));

    assertThat(result.verdict()).isEqualTo(CheckResult.Verdict.UNKNOWN);
    assertThat(result.isLinearizable()).isFalse();
    // The budget is honoured, give or take a clock check and a slow shared machine.
    assertThat(result.elapsed()).isLessThan(Duration.ofSeconds(5));
    assertThat(result.toString())
        .startsWith("linearizability unknown: the search ran out of its budget");
  }

  @Test
  void theBuiltInModelsRejectOperationsTheyDoNotKnow() {
    assertThatThrownBy(() -> verdict(Models.set(), op(0, WRITE, null, 1, null, OK, 0, 1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "the model takes [ADD, READ, CONTAINS], not WRITE: p0 WRITE 1 ok [0.000 ms .. 1.000 ms]");
  }

  private static CheckResult.Verdict verdict(Model<?> model, Operation... history) {
    return Linearizability.check(List.of(history), model, BUDGET).verdict();
  }

  static Operation op(
      int process,
      Enum<?> function,
      Object key,
      Object argument,
      Object result,
      Operation.Outcome outcome,
      long invokedMillis,
      long completedMillis) {
    return new Operation(
        process,
        function,
        key,
        argument,
        result,
        outcome,
        invokedMillis * 1_000_000,
        completedMillis * 1_000_000);
  }
}
