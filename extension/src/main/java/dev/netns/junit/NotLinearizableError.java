package dev.netns.junit;

import java.util.Objects;

/**
 * The failure {@link CheckResult#assertLinearizable()} throws: its message is the result's
 * explanation, and it carries the result, so that the extension can write the history's page and
 * EDN into the failed test's report directory.
 *
 * <pre>{@code
 * try {
 *   result.assertLinearizable();
 * } catch (NotLinearizableError e) {
 *   e.result().writeHtml(Path.of("history.html"));
 *   throw e;
 * }
 * }</pre>
 */
public final class NotLinearizableError extends AssertionError {
  private static final long serialVersionUID = 1L;

  /** Not serialized: a result holds the user's operation objects, which need not be. */
  private final transient CheckResult result;

  /** The failure for {@code result}, which is not {@link CheckResult#isLinearizable()}. */
  public NotLinearizableError(CheckResult result) {
    super(Objects.requireNonNull(result, "result").toString());
    this.result = result;
  }

  /** What the check decided, with the history it checked. */
  public CheckResult result() {
    return result;
  }
}
