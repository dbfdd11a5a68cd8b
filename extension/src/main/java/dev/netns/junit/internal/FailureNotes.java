package dev.netns.junit.internal;

import dev.netns.junit.AppliedFault;
import dev.netns.junit.NetNamespace;
import dev.netns.junit.NetNs;
import java.util.List;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What a failure of a test or lifecycle method carries along: the seeds of the userspace
 * impairments it ran (to replay it), a hint when a socket was made on the test's own thread (see
 * {@link ThreadHint}), and a pointer to the report of the network as the failure left it (see
 * {@link Diagnostics}).
 */
final class FailureNotes {
  private FailureNotes() {}

  /** Adds the notes to {@code failure} and returns it; {@code resource} may be null. */
  static Throwable annotate(ExtensionContext context, NetworkResource resource, Throwable failure) {
    if (resource == null) {
      return failure;
    }
    if (!resource.network().seedsUsed().isEmpty()) {
      failure.addSuppressed(
          new ImpairmentSeeds(
              "netns: this test ran userspace impairments: "
                  + String.join("; ", resource.network().seedsUsed())
                  + ". Replay with Impairment.withSeed(...) or the configuration parameter "
                  + NetNamespace.SEED_PROPERTY_NAME
                  + "=<seed>."));
    }
    for (RunningNemesis nemesis : resource.network().nemeses()) {
      failure.addSuppressed(new FaultScheduleReplay(replayNote(context, nemesis)));
    }
    ThreadHint.of(failure, resource.network().namespaces().stream().map(NetNs::name).toList())
        .ifPresent(hint -> failure.addSuppressed(new ThreadHint.Hint(hint)));
    resource.diagnostics().failed(context, failure);
    return failure;
  }

  /**
   * The seed of a fault schedule, the line that replays the test with it, and each fault it
   * applied.
   */
  static String replayNote(ExtensionContext context, RunningNemesis nemesis) {
    String test =
        context.getRequiredTestClass().getName()
            + context.getTestMethod().map(m -> "#" + m.getName()).orElse("");
    StringBuilder note =
        new StringBuilder("netns: this test ran a fault schedule with seed ")
            .append(nemesis.seed())
            .append(" (")
            .append(nemesis.origin().word())
            .append("); replay it with: ")
            .append(nemesis.origin().replay(nemesis.seed(), test));
    List<AppliedFault> applied = nemesis.applied();
    note.append(
        applied.isEmpty() ? "\nfaults applied: none" : "\nfaults applied (from its start):");
    for (AppliedFault fault : applied) {
      note.append("\n  ").append(fault);
    }
    return note.toString();
  }

  /** Carries a fault schedule's seed, replay line and faults in a failed test's report. */
  static final class FaultScheduleReplay extends RuntimeException {
    private static final long serialVersionUID = 1L;

    FaultScheduleReplay(String message) {
      super(message, null, false, false);
    }
  }

  /** Carries the seeds of a failed test's impairments in its report. */
  static final class ImpairmentSeeds extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ImpairmentSeeds(String message) {
      super(message, null, false, false);
    }
  }
}
