package dev.netns.junit.internal;

import dev.netns.junit.NetNamespace;
import dev.netns.kernel.Capabilities;
import java.util.Optional;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.opentest4j.TestAbortedException;

/**
 * Decides what a test does when this process cannot create namespaces: skip (abort) with the
 * reason, or, under {@code netns.require=true}, fail with it.
 */
final class Requirements {
  private Requirements() {}

  static void check(ExtensionContext context) {
    Optional<String> problem = Capabilities.namespaceProblem();
    if (problem.isEmpty()) {
      return;
    }
    if (required(context)) {
      throw new IllegalStateException(
          NetNamespace.REQUIRE_PROPERTY_NAME
              + "=true, so this test fails instead of being skipped: "
              + problem.get());
    }
    throw new TestAbortedException(
        "skipped: "
            + problem.get()
            + " Set "
            + NetNamespace.REQUIRE_PROPERTY_NAME
            + "=true to fail instead of skipping.");
  }

  static boolean required(ExtensionContext context) {
    return context
        .getConfigurationParameter(NetNamespace.REQUIRE_PROPERTY_NAME)
        .map(v -> Boolean.parseBoolean(v.trim()))
        .orElse(false);
  }
}
