package dev.netns.junit;

import dev.netns.check.LinearizationSearch;
import dev.netns.check.SearchResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Decides whether a {@link History} could have come from a system that behaves like its {@link
 * Model} to every client: whether each operation can be given a single instant between its
 * invocation and completion such that, in that order, the model allows every result. Failed
 * operations are left out; operations of unknown outcome may take effect at any instant after their
 * invocation, or never.
 *
 * <p>The search is exponential in the worst case (the problem is NP-complete); memoization keeps
 * ordinary histories fast, and the budget turns a pathological one into an explicit {@link
 * CheckResult.Verdict#UNKNOWN} instead of a test that runs for hours.
 *
 * <pre>{@code
 * CheckResult result = Linearizability.check(history, Models.register(), Duration.ofSeconds(10));
 * result.assertLinearizable();
 * }</pre>
 */
public final class Linearizability {
  private Linearizability() {}

  /** Checks every operation recorded in {@code history} so far. */
  public static CheckResult check(History history, Model<?> model, Duration budget) {
    return check(history.operations(), history.faults(), model, budget);
  }

  /**
   * Checks {@code operations} against {@code model} within {@code budget}. Each part of {@link
   * Model#partition} is checked on its own; the first illegal part decides, and the budget is
   * shared.
   */
  public static <S> CheckResult check(List<Operation> operations, Model<S> model, Duration budget) {
    return check(operations, List.of(), model, budget);
  }

  private static <S> CheckResult check(
      List<Operation> operations,
      List<History.FaultEvent> faults,
      Model<S> model,
      Duration budget) {
    Objects.requireNonNull(model, "model");
    List<Operation> recorded = List.copyOf(operations);
    if (budget.isNegative() || budget.isZero()) {
      throw new IllegalArgumentException("the budget must be positive, was " + budget);
    }
    long started = System.nanoTime();
    long deadline = started + saturatedNanos(budget);
    List<Operation> happened = new ArrayList<>();
    for (Operation op : operations) {
      if (op.outcome() != Operation.Outcome.FAIL) {
        happened.add(op);
      }
    }
    boolean unknown = false;
    for (List<Operation> part : model.partition(happened)) {
      Optional<CheckResult> decided = checkPart(part, model, deadline, started, happened.size());
      if (decided.isPresent()) {
        if (decided.get().verdict() == CheckResult.Verdict.ILLEGAL) {
          return withHistory(decided.get(), recorded, faults);
        }
        unknown = true;
      }
    }
    return withHistory(
        result(
            unknown ? CheckResult.Verdict.UNKNOWN : CheckResult.Verdict.LINEARIZABLE,
            happened.size(),
            started,
            List.of(),
            Optional.empty(),
            List.of()),
        recorded,
        faults);
  }

  private static CheckResult withHistory(
      CheckResult r, List<Operation> recorded, List<History.FaultEvent> faults) {
    return new CheckResult(
        r.verdict(),
        r.operations(),
        r.elapsed(),
        r.prefix(),
        r.unplaceable(),
        r.concurrent(),
        recorded,
        faults);
  }

  /** Empty when the part is linearizable; its result otherwise. */
  private static <S> Optional<CheckResult> checkPart(
      List<Operation> part, Model<S> model, long deadline, long started, int total) {
    int n = part.size();
    long[] invoked = new long[n];
    long[] completed = new long[n];
    for (int i = 0; i < n; i++) {
      Operation op = part.get(i);
      invoked[i] = op.invokedNanos();
      completed[i] = op.outcome() == Operation.Outcome.INFO ? Long.MAX_VALUE : op.completedNanos();
    }
    SearchResult found =
        LinearizationSearch.search(
            invoked, completed, model.initial(), (s, i) -> model.step(s, part.get(i)), deadline);
    return switch (found.verdict()) {
      case LINEARIZABLE -> Optional.empty();
      case UNKNOWN ->
          Optional.of(
              result(
                  CheckResult.Verdict.UNKNOWN,
                  total,
                  started,
                  List.of(),
                  Optional.empty(),
                  List.of()));
      case ILLEGAL -> {
        List<Operation> prefix = new ArrayList<>();
        Set<Integer> placed = new HashSet<>(found.longestPrefix());
        found.longestPrefix().forEach(i -> prefix.add(part.get(i)));
        Operation blocked = part.get(found.blocking());
        List<Operation> concurrent = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          if (!placed.contains(i)
              && i != found.blocking()
              && invoked[i] <= completed[found.blocking()]) {
            concurrent.add(part.get(i));
          }
        }
        yield Optional.of(
            result(
                CheckResult.Verdict.ILLEGAL,
                total,
                started,
                prefix,
                Optional.of(blocked),
                concurrent));
      }
    };
  }

  private static CheckResult result(
      CheckResult.Verdict verdict,
      int operations,
      long started,
      List<Operation> prefix,
      Optional<Operation> unplaceable,
      List<Operation> concurrent) {
    return new CheckResult(
        verdict,
        operations,
        Duration.ofNanos(System.nanoTime() - started),
        prefix,
        unplaceable,
        concurrent,
        List.of(),
        List.of());
  }

  private static long saturatedNanos(Duration budget) {
    try {
      return budget.toNanos();
    } catch (ArithmeticException tooLong) {
      return Long.MAX_VALUE / 2;
    }
  }
}
