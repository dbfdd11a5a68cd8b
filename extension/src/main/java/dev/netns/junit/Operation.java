package dev.netns.junit;

import java.util.Locale;
import java.util.Objects;

/**
 * One client operation of a {@link History}: who asked what, what came back, and when. Times are
 * {@link System#nanoTime()} relative to the history's start. An operation whose outcome is {@link
 * Outcome#INFO} may or may not have taken effect; its {@code result} means nothing and the checker
 * lets it take effect at any time after {@code invokedNanos}, or never.
 *
 * <pre>{@code
 * Operation write = history.operations().get(0);
 * // p0 WRITE x 3 ok [0.012 ms .. 0.480 ms]
 * }</pre>
 *
 * @param process the client process that ran it; a process runs one operation at a time
 * @param function what it did, as the model defines it (for the built-in models, {@link Models.Op})
 * @param key what it did it to (null when the model has a single object)
 * @param argument what it was given (the value written, a {@link Models.Cas}, an element)
 * @param result what came back (the value read, whether a compare-and-set succeeded)
 * @param outcome whether it happened, did not, or may have
 * @param invokedNanos when it was invoked
 * @param completedNanos when the answer (or the timeout) came back
 */
public record Operation(
    int process,
    Enum<?> function,
    Object key,
    Object argument,
    Object result,
    Outcome outcome,
    long invokedNanos,
    long completedNanos) {

  /** Whether an operation happened. */
  public enum Outcome {
    /** It took effect, with the result recorded. */
    OK,
    /** It certainly did not take effect; the checker leaves it out. */
    FAIL,
    /**
     * Unknown (a timeout, a lost connection): it may have taken effect, once, at any later time.
     */
    INFO
  }

  /** Checks the fields. */
  public Operation {
    Objects.requireNonNull(function, "function");
    Objects.requireNonNull(outcome, "outcome");
    if (completedNanos < invokedNanos) {
      throw new IllegalArgumentException(
          "operation completed ("
              + completedNanos
              + " ns) before it was invoked ("
              + invokedNanos
              + " ns)");
    }
  }

  /** True when {@link #result} is what the operation returned (its outcome is OK). */
  public boolean resultKnown() {
    return outcome == Outcome.OK;
  }

  /** For example {@code p1 READ x -> 3 ok [1.250 ms .. 1.900 ms]}. */
  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("p").append(process).append(' ').append(function);
    if (key != null) {
      s.append(' ').append(key);
    }
    if (argument != null) {
      s.append(' ').append(argument);
    }
    if (outcome == Outcome.OK && result != null) {
      s.append(" -> ").append(result);
    }
    return s.append(' ')
        .append(outcome.name().toLowerCase(Locale.ROOT))
        .append(" [")
        .append(millis(invokedNanos))
        .append(" .. ")
        .append(millis(completedNanos))
        .append(']')
        .toString();
  }

  private static String millis(long nanos) {
    return nanos == Long.MAX_VALUE
        ? "never"
        : String.format(Locale.ROOT, "%.3f ms", nanos / 1_000_000.0);
  }
}
