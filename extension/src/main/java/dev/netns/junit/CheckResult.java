package dev.netns.junit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link Linearizability#check} decided, and why. Its {@code toString} is the whole
 * explanation, so {@code assertThat(result.isLinearizable()).as(result.toString()).isTrue()} or
 * {@link #assertLinearizable()} shows it when a test fails.
 *
 * <pre>{@code
 * CheckResult result = Linearizability.check(history, Models.register(), Duration.ofSeconds(5));
 * result.assertLinearizable();
 * // AssertionError: not linearizable: no order of the operations explains
 * //   p1 READ -> 1 ok [3.000 ms .. 4.000 ms]
 * // after the longest prefix that could be linearized (2 of 3 operations): ...
 * }</pre>
 *
 * @param verdict linearizable, illegal, or unknown when the budget ran out
 * @param operations how many operations were checked (failed ones left out)
 * @param elapsed how long the check took
 * @param prefix when illegal: the longest sequence of operations the search linearized
 * @param unplaceable when illegal: the operation that could not be placed after {@code prefix}
 * @param concurrent when illegal: the operations besides the prefix invoked before {@code
 *     unplaceable} completed, the ones that could have been placed before it
 * @param recorded every operation given to the check, failed ones included: what {@link #writeHtml}
 *     draws
 * @param faults the faults of the history checked (none when operations were checked without their
 *     history)
 */
public record CheckResult(
    Verdict verdict,
    int operations,
    Duration elapsed,
    List<Operation> prefix,
    Optional<Operation> unplaceable,
    List<Operation> concurrent,
    List<Operation> recorded,
    List<History.FaultEvent> faults) {

  /** How the check ended. */
  public enum Verdict {
    /** Every operation can be placed, in an order the model allows, within its time span. */
    LINEARIZABLE,
    /** No such order exists: the system broke its model. */
    ILLEGAL,
    /** The time budget ran out first: the check neither passes nor fails the history. */
    UNKNOWN
  }

  /** Copies the lists. */
  public CheckResult {
    Objects.requireNonNull(verdict, "verdict");
    Objects.requireNonNull(elapsed, "elapsed");
    prefix = List.copyOf(prefix);
    Objects.requireNonNull(unplaceable, "unplaceable");
    concurrent = List.copyOf(concurrent);
    recorded = List.copyOf(recorded);
    faults = List.copyOf(faults);
  }

  /** True only when the verdict is {@link Verdict#LINEARIZABLE}; UNKNOWN is not a pass. */
  public boolean isLinearizable() {
    return verdict == Verdict.LINEARIZABLE;
  }

  /**
   * Throws a {@link NotLinearizableError} carrying {@link #toString()} unless linearizable. When a
   * test of the extension fails with it, the history's page ({@link #writeHtml}) and its EDN
   * ({@link #writeEdn}) are written into the test's report directory.
   */
  public void assertLinearizable() {
    if (!isLinearizable()) {
      throw new NotLinearizableError(this);
    }
  }

  /**
   * Writes the history checked as a self-contained HTML page ({@link History#writeHtml}), with the
   * verdict, and the operations that broke linearizability highlighted: the one that could not be
   * placed in red, the others concurrent with it in orange.
   *
   * <pre>{@code
   * CheckResult result = Linearizability.check(history, Models.register(), Duration.ofSeconds(5));
   * if (!result.isLinearizable()) {
   *   result.writeHtml(Path.of("target", "history.html"));
   * }
   * }</pre>
   */
  public void writeHtml(Path file) throws IOException {
    Files.writeString(file, HistoryPage.render(recorded, faults, Optional.of(this)));
  }

  /** Writes the history checked in Jepsen's EDN form ({@link History#toEdn()}). */
  public void writeEdn(Path file) throws IOException {
    Files.writeString(file, JepsenEdn.render(recorded, faults));
  }

  /** The verdict with its explanation: for ILLEGAL, the operations that cannot be linearized. */
  @Override
  public String toString() {
    return switch (verdict) {
      case LINEARIZABLE ->
          "linearizable: " + operations + " operations checked in " + elapsed.toMillis() + " ms";
      case UNKNOWN ->
          "linearizability unknown: the search ran out of its budget after "
              + elapsed.toMillis()
              + " ms on "
              + operations
              + " operations. Many concurrent operations of unknown outcome make the search"
              + " exponential: raise the budget, shorten the history, or check fewer keys at once";
      case ILLEGAL -> illegal();
    };
  }

  private String illegal() {
    StringBuilder s =
        new StringBuilder("not linearizable: no order of the operations explains\n  ");
    s.append(unplaceable.map(Operation::toString).orElse("?"));
    s.append("\nafter the longest prefix that could be linearized (")
        .append(prefix.size())
        .append(" of ")
        .append(operations)
        .append(" operations)")
        .append(prefix.isEmpty() ? "" : ":");
    prefix.forEach(op -> s.append("\n  ").append(op));
    if (!concurrent.isEmpty()) {
      s.append("\nwith these operations also invoked before it returned, in no order that works:");
      concurrent.forEach(op -> s.append("\n  ").append(op));
    }
    return s.toString();
  }
}
