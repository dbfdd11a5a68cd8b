package dev.netns.junit.internal;

import dev.netns.junit.NetNamespace;
import dev.netns.kernel.Capabilities;
import java.util.Optional;
import org.opentest4j.TestAbortedException;

/**
 * Decides what a test does when this process cannot create namespaces: skip (abort) with the
 * reason, or, under {@code netns.require}, fail with it. A skip also prints one line with the
 * reason on standard error, since build tools show only a count of skipped tests.
 */
final class Requirements {
  private Requirements() {}

  /** Returns when namespaces can be made; otherwise skips or fails {@code owner}. */
  static void check(Settings settings, String owner) {
    Optional<String> problem = Capabilities.namespaceProblem();
    if (problem.isEmpty()) {
      return;
    }
    if (settings.require().fails()) {
      throw new IllegalStateException(
          settings.require().describe(NetNamespace.REQUIRE_PROPERTY_NAME)
              + ", so this test fails instead of being skipped: "
              + problem.get());
    }
    throw skip(owner, problem.get());
  }

  /**
   * The abort of {@code owner} for {@code reason}, after printing it: one line on standard error,
   * {@code netns: OWNER skipped: REASON ...}, with the abort's own message.
   */
  static TestAbortedException skip(String owner, String reason) {
    String message =
        "skipped: "
            + reason
            + " Set "
            + NetNamespace.REQUIRE_PROPERTY_NAME
            + "=true to fail instead of skipping.";
    System.err.println("netns: " + owner + " " + message);
    System.err.flush();
    return new TestAbortedException(message);
  }
}
