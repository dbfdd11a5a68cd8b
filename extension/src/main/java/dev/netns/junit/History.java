package dev.netns.junit;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.Predicate;

/**
 * A thread-safe record of what clients asked a system and what they got, for {@link
 * Linearizability}. Each client is a process number and runs one operation at a time; an operation
 * is invoked, then completes as ok, fail (certainly did not happen) or info (outcome unknown, such
 * as a timeout). Times are {@link System#nanoTime()} from the history's creation. Faults applied
 * during the run go in the same history.
 *
 * <pre>{@code
 * History history = new History();
 * // on client thread 0, many times:
 * Integer read = history.call(0, Models.Op.READ, "x", null, () -> client.get("x"),
 *     e -> e instanceof ConnectException);   // refused: the request never left
 * // after the run:
 * Linearizability.check(history, Models.keyValue(), Duration.ofSeconds(10)).assertLinearizable();
 * }</pre>
 */
public final class History {
  private final long start = System.nanoTime();
  private final List<Operation> completed = new ArrayList<>();
  private final Map<Integer, Pending> pending = new HashMap<>();
  private final List<FaultEvent> faults = new ArrayList<>();

  /** Starts an empty history; its clock starts now. */
  public History() {}

  /**
   * A fault applied during the run, recorded with the operations.
   *
   * @param description what the fault did, for example {@code partition {n1} | {n2, n3}}
   * @param atNanos when, from the history's start
   */
  public record FaultEvent(String description, long atNanos) {
    /** Checks the description. */
    public FaultEvent {
      Objects.requireNonNull(description, "description");
    }
  }

  /**
   * Records that {@code process} invokes an operation; complete it with {@link Pending#ok}, {@link
   * Pending#fail} or {@link Pending#info}.
   *
   * @throws IllegalStateException when the process has an operation not yet completed
   */
  public Pending invoke(int process, Enum<?> function, Object key, Object argument) {
    Objects.requireNonNull(function, "function");
    synchronized (this) {
      Pending before = pending.get(process);
      if (before != null) {
        throw new IllegalStateException(
            "process " + process + " invoked " + function + " before completing " + before.show());
      }
      Pending p = new Pending(process, function, key, argument, now());
      pending.put(process, p);
      return p;
    }
  }

  /**
   * Runs {@code call} as one operation of {@code process} and records it: ok with what it returns;
   * fail when it throws something {@code definitelyFailed} accepts (the operation certainly did not
   * take effect, such as a refused connection); info for anything else, because a timeout or a lost
   * reply may hide an operation that did happen. The exception is rethrown.
   */
  public <T> T call(
      int process,
      Enum<?> function,
      Object key,
      Object argument,
      Callable<T> call,
      Predicate<? super Throwable> definitelyFailed)
      throws Exception {
    Objects.requireNonNull(definitelyFailed, "definitelyFailed");
    Pending p = invoke(process, function, key, argument);
    T result;
    try {
      result = call.call();
    } catch (Throwable t) {
      if (definitelyFailed.test(t)) {
        p.fail();
      } else {
        p.info();
      }
      throw t;
    }
    p.ok(result);
    return result;
  }

  /** Records a fault applied now. */
  public void fault(String description) {
    FaultEvent event = new FaultEvent(description, now());
    synchronized (this) {
      faults.add(event);
    }
  }

  /**
   * Every operation so far in order of invocation; one still pending counts as info with no
   * completion time, since it may yet take effect.
   */
  public synchronized List<Operation> operations() {
    List<Operation> all = new ArrayList<>(completed);
    for (Pending p : pending.values()) {
      all.add(p.complete(Operation.Outcome.INFO, null, Long.MAX_VALUE));
    }
    all.sort(Comparator.comparingLong(Operation::invokedNanos));
    return List.copyOf(all);
  }

  /** Every fault recorded so far, in order. */
  public synchronized List<FaultEvent> faults() {
    return List.copyOf(faults);
  }

  private long now() {
    return System.nanoTime() - start;
  }

  /** An invoked operation waiting for its outcome; complete it exactly once. */
  public final class Pending {
    private final int process;
    private final Enum<?> function;
    private final Object key;
    private final Object argument;
    private final long invoked;

    private Pending(int process, Enum<?> function, Object key, Object argument, long invoked) {
      this.process = process;
      this.function = function;
      this.key = key;
      this.argument = argument;
      this.invoked = invoked;
    }

    /** It took effect and returned {@code result}. */
    public void ok(Object result) {
      finish(Operation.Outcome.OK, result);
    }

    /** It certainly did not take effect. */
    public void fail() {
      finish(Operation.Outcome.FAIL, null);
    }

    /** Its outcome is unknown: it may have taken effect, or may yet. */
    public void info() {
      finish(Operation.Outcome.INFO, null);
    }

    private void finish(Operation.Outcome outcome, Object result) {
      long at = now();
      synchronized (History.this) {
        if (pending.get(process) != this) {
          throw new IllegalStateException("already completed: " + show());
        }
        pending.remove(process);
        completed.add(complete(outcome, result, at));
      }
    }

    private Operation complete(Operation.Outcome outcome, Object result, long at) {
      return new Operation(process, function, key, argument, result, outcome, invoked, at);
    }

    private String show() {
      return "p" + process + " " + function + (key == null ? "" : " " + key);
    }
  }
}
