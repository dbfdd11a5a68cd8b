package dev.netns.junit;

import static dev.netns.junit.Models.Op.READ;
import static dev.netns.junit.Models.Op.WRITE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class HistoryTest {
  private static final Predicate<Throwable> REFUSED = e -> e instanceof ConnectException;

  @Test
  void aCallThatReturnsIsOkWithItsResult() throws Exception {
    History history = new History();

    Integer read = history.call(0, READ, "x", null, () -> 7, REFUSED);

    assertThat(read).isEqualTo(7);
    Operation op = history.operations().get(0);
    assertThat(op)
        .extracting(
            Operation::process,
            Operation::function,
            Operation::key,
            Operation::result,
            Operation::outcome)
        .containsExactly(0, READ, "x", 7, Operation.Outcome.OK);
    assertThat(op.completedNanos()).isGreaterThanOrEqualTo(op.invokedNanos());
  }

  @Test
  void anExceptionTheRuleAcceptsIsADefiniteFailure() {
    History history = new History();

    assertThatThrownBy(
            () ->
                history.call(
                    0,
                    WRITE,
                    "x",
                    1,
                    () -> {
                      throw new ConnectException("refused");
                    },
                    REFUSED))
        .isInstanceOf(ConnectException.class);

    assertThat(history.operations())
        .extracting(Operation::outcome)
        .containsExactly(Operation.Outcome.FAIL);
  }

  @Test
  void anyOtherExceptionLeavesTheOutcomeUnknown() {
    History history = new History();

    assertThatThrownBy(
            () ->
                history.call(
                    0,
                    WRITE,
                    "x",
                    1,
                    () -> {
                      throw new SocketTimeoutException("late");
                    },
                    REFUSED))
        .isInstanceOf(SocketTimeoutException.class);
    assertThatThrownBy(
            () ->
                history.call(
                    0,
                    WRITE,
                    "x",
                    2,
                    () -> {
                      throw new IllegalStateException("bug");
                    },
                    REFUSED))
        .isInstanceOf(IllegalStateException.class);

    assertThat(history.operations())
        .extracting(Operation::outcome)
        .containsExactly(Operation.Outcome.INFO, Operation.Outcome.INFO);
  }

  @Test
  void anOperationStillPendingCountsAsUnknownWithNoEnd() {
    History history = new History();
    history.invoke(3, WRITE, "x", 1);

    Operation op = history.operations().get(0);

    assertThat(op.outcome()).isEqualTo(Operation.Outcome.INFO);
    assertThat(op.completedNanos()).isEqualTo(Long.MAX_VALUE);
    assertThat(op).hasToString("p3 WRITE x 1 info [" + millis(op.invokedNanos()) + " .. never]");
  }

  @Test
  void aProcessRunsOneOperationAtATimeAndCompletesEachOnce() {
    History history = new History();
    History.Pending write = history.invoke(0, WRITE, "x", 1);

    assertThatThrownBy(() -> history.invoke(0, READ, "x", null))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("process 0 invoked READ before completing p0 WRITE x");
    write.ok(null);
    assertThatThrownBy(write::info)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("already completed: p0 WRITE x");
  }

  @Test
  void faultsAreRecordedInOrderWithTheirTime() {
    History history = new History();
    history.fault("partition {n1} | {n2, n3}");
    history.fault("heal partition {n1} | {n2, n3}");

    assertThat(history.faults())
        .extracting(History.FaultEvent::description)
        .containsExactly("partition {n1} | {n2, n3}", "heal partition {n1} | {n2, n3}");
    assertThat(history.faults().get(1).atNanos())
        .isGreaterThanOrEqualTo(history.faults().get(0).atNanos());
  }

  @Test
  void manyThreadsRecordWithoutLosingOrMixingOperations() throws Exception {
    int threads = 16;
    int each = 2_000;
    History history = new History();
    AtomicInteger register = new AtomicInteger();
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int process = t;
        done.add(
            pool.submit(
                () -> {
                  start.await();
                  for (int i = 0; i < each; i++) {
                    int value = process * each + i;
                    if (i % 2 == 0) {
                      history.call(
                          process,
                          WRITE,
                          "r",
                          value,
                          () -> {
                            register.set(value);
                            return null;
                          },
                          REFUSED);
                    } else if (i % 7 == 0) {
                      // Refused before it left: no effect. (Thousands of unknown-outcome writes
                      // would make the check below exponential; HistoryTest is about recording.)
                      history.invoke(process, WRITE, "r", value).fail();
                    } else {
                      history.call(process, READ, "r", null, register::get, REFUSED);
                    }
                  }
                  return null;
                }));
      }
      start.countDown();
      for (Future<?> f : done) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    List<Operation> ops = history.operations();
    assertThat(ops).hasSize(threads * each);
    Map<Integer, List<Operation>> byProcess =
        ops.stream().collect(Collectors.groupingBy(Operation::process));
    assertThat(byProcess).hasSize(threads);
    for (List<Operation> own : byProcess.values()) {
      assertThat(own).hasSize(each);
      // A process's operations do not overlap: each starts after the previous one ended.
      for (int i = 1; i < own.size(); i++) {
        assertThat(own.get(i).invokedNanos())
            .isGreaterThanOrEqualTo(own.get(i - 1).completedNanos());
      }
    }
    // An AtomicInteger is a linearizable register, so what was recorded must check as one.
    CheckResult result = Linearizability.check(history, Models.register(0), Duration.ofMinutes(1));
    assertThat(result.isLinearizable()).as(result.toString()).isTrue();
  }

  @Test
  void aRealInMemoryStoreThatLosesWritesIsCaught() throws Exception {
    History history = new History();
    // A "cache" that answers reads from a copy refreshed only every third write: stale reads.
    int[] store = {0};
    int[] cache = {0};
    for (int i = 1; i <= 9; i++) {
      int value = i;
      history.call(
          0,
          WRITE,
          null,
          value,
          () -> {
            store[0] = value;
            if (value % 3 == 0) {
              cache[0] = value;
            }
            return null;
          },
          REFUSED);
      history.call(1, READ, null, null, () -> cache[0], REFUSED);
    }

    CheckResult result = Linearizability.check(history, Models.register(0), Duration.ofSeconds(10));

    assertThat(result.verdict()).isEqualTo(CheckResult.Verdict.ILLEGAL);
    assertThat(result.unplaceable().orElseThrow())
        .extracting(Operation::function, Operation::result)
        .containsExactly(READ, 0);
  }

  private static String millis(long nanos) {
    return String.format(java.util.Locale.ROOT, "%.3f ms", nanos / 1_000_000.0);
  }
}
