package dev.netns.junit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
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
  private final Map<FaultSpan, FaultEvent> inForce = new HashMap<>();

  /** Starts an empty history; its clock starts now. */
  public History() {}

  /**
   * A fault applied during the run, recorded with the operations: an instant ({@link
   * History#fault}) or an interval from when it was applied until it healed ({@link
   * History#faultStarted}).
   *
   * @param description what the fault did, for example {@code partition {n1} | {n2, n3}}
   * @param atNanos when it was applied, from the history's start
   * @param healedNanos when it healed: equal to {@code atNanos} for an instant, {@link
   *     Long#MAX_VALUE} while it is still in force
   */
  public record FaultEvent(String description, long atNanos, long healedNanos) {
    /** Checks the description and the times. */
    public FaultEvent {
      Objects.requireNonNull(description, "description");
      if (healedNanos < atNanos) {
        throw new IllegalArgumentException(
            "fault healed (" + healedNanos + " ns) before it was applied (" + atNanos + " ns)");
      }
    }

    /** An instant: something that happened at {@code atNanos}, such as a node killed. */
    public FaultEvent(String description, long atNanos) {
      this(description, atNanos, atNanos);
    }

    /** True for an instant, false for an interval (healed or still in force). */
    public boolean isInstant() {
      return healedNanos == atNanos;
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

  /** Records a fault applied now, as an instant (its end, if any, unknown to the history). */
  public void fault(String description) {
    FaultEvent event = new FaultEvent(description, now());
    synchronized (this) {
      faults.add(event);
    }
  }

  /**
   * Records a fault applied now and in force until {@link FaultSpan#healed()}: the HTML view shades
   * the interval, and the EDN export has a start and a stop.
   *
   * <pre>{@code
   * History.FaultSpan span = history.faultStarted(split.description());
   * ...
   * split.heal();
   * span.healed();
   * }</pre>
   */
  public FaultSpan faultStarted(String description) {
    FaultEvent event = new FaultEvent(description, now(), Long.MAX_VALUE);
    FaultSpan span = new FaultSpan();
    synchronized (this) {
      faults.add(event);
      inForce.put(span, event);
    }
    return span;
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

  /**
   * Writes a self-contained HTML page of this history (no scripts, fonts or network: inline SVG and
   * CSS): one lane per process, operations as bars from invocation to completion, faults as shaded
   * intervals. {@link CheckResult#writeHtml} also highlights what broke linearizability.
   *
   * <pre>{@code
   * history.writeHtml(Path.of("target", "history.html"));
   * }</pre>
   */
  public void writeHtml(Path file) throws IOException {
    Files.writeString(file, HistoryPage.render(operations(), faults(), Optional.empty()));
  }

  /**
   * This history in Jepsen's EDN form, one operation map per line, as Knossos and Jepsen's checkers
   * read it (docs/histories.md describes the mapping).
   *
   * <pre>{@code
   * {:type :invoke, :f :write, :value 3, :process 0, :time 12000, :index 0}
   * {:type :ok, :f :write, :value 3, :process 0, :time 480000, :index 1}
   * }</pre>
   */
  public String toEdn() {
    return JepsenEdn.render(operations(), faults());
  }

  /** Writes {@link #toEdn()} to {@code file}. */
  public void writeEdn(Path file) throws IOException {
    Files.writeString(file, toEdn());
  }

  private long now() {
    return System.nanoTime() - start;
  }

  /** A fault recorded by {@link #faultStarted}; say when it heals with {@link #healed()}. */
  public final class FaultSpan {
    private FaultSpan() {}

    /** Records that the fault healed now; later calls change nothing. */
    public void healed() {
      long at = now();
      synchronized (History.this) {
        FaultEvent open = inForce.remove(this);
        if (open != null) {
          faults.set(faults.indexOf(open), new FaultEvent(open.description(), open.atNanos(), at));
        }
      }
    }
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
