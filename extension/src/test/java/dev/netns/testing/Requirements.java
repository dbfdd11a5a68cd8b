package dev.netns.testing;

import dev.netns.junit.ClockSkew;
import dev.netns.kernel.Capabilities;
import dev.netns.kernel.UserNamespaces;
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

  /**
   * Skips a test that needs the machine's own user namespace when this JVM runs rootless (started
   * by the rootless launcher, inside a user namespace), naming {@code what} needs it. Not subject
   * to netns.require: such a test cannot work rootless, whatever the machine allows.
   */
  public static void requireMachineUserNamespace(String what) {
    if (UserNamespaces.insideUserNamespace()) {
      Assumptions.abort(
          "rootless: "
              + what
              + " needs root in the machine's own user namespace, and this JVM runs inside a user"
              + " namespace of its own");
    }
  }

  /**
   * Skips a test that needs libfaketime when it is not installed, or fails it under netns.require.
   */
  public static void requireFaketime() {
    if (ClockSkew.library().isEmpty()) {
      String problem =
          "libfaketime is not installed (apt-get install faketime), which ClockSkew needs";
      if (Boolean.getBoolean("netns.require")) {
        throw new AssertionError("netns.require=true but " + problem);
      }
      Assumptions.abort(problem);
    }
  }

  public static void requireQdisc(String kind) {
    requireNamespaces();
    if (!Capabilities.hasQdisc(kind)) {
      Assumptions.abort("this kernel has no '" + kind + "' qdisc");
    }
  }
}
