package dev.netns.testing;

import dev.netns.kernel.Capabilities;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/** Skips a kernel-layer test without privileges, or fails it when netns.require=true. */
public final class Requirements {
  private Requirements() {}

  public static void requireNamespaces() {
    Optional<String> problem = Capabilities.namespaceProblem();
    if (problem.isPresent()) {
      if (Boolean.getBoolean("netns.require")) {
        throw new AssertionError("netns.require=true but " + problem.get());
      }
      Assumptions.abort(problem.get());
    }
  }

  public static void requireQdisc(String kind) {
    requireNamespaces();
    if (!Capabilities.hasQdisc(kind)) {
      Assumptions.abort("this kernel has no '" + kind + "' qdisc");
    }
  }
}
