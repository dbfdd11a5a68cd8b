package dev.netns.junit.internal;

import dev.netns.junit.FaultEffect;
import dev.netns.junit.NetNamespace;
import dev.netns.topology.ActiveFault;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the faults of a test did to traffic: one line each for the failure report, and the check
 * behind {@code netns.faults.requireEffect}.
 */
final class FaultEffects {
  private FaultEffects() {}

  /**
   * One line per fault applied, oldest first, for example {@code partition {a} | {b} (silent),
   * healed: dropped 3 (shared: packets silent routes swallowed in a, b)}.
   */
  static List<String> lines(List<ActiveFault> applied) {
    List<String> lines = new ArrayList<>();
    for (ActiveFault fault : applied) {
      lines.add(
          fault.description()
              + (fault.isActive() ? ", in force: " : ", healed: ")
              + DefaultFault.of(fault.counts()));
    }
    return lines;
  }

  /**
   * The failure of a test that applied faults none of which touched traffic; empty when one did,
   * when none was applied, or when one is not counted (nothing can tell whether it did).
   */
  static Optional<AssertionError> check(String owner, List<ActiveFault> applied) {
    if (applied.isEmpty()) {
      return Optional.empty();
    }
    List<String> idle = new ArrayList<>();
    for (ActiveFault fault : applied) {
      FaultEffect effect = DefaultFault.of(fault.counts());
      if (effect.touchedTraffic() || effect.accuracy() == FaultEffect.Accuracy.NOT_COUNTED) {
        return Optional.empty();
      }
      idle.add(fault.description() + ": " + effect);
    }
    return Optional.of(
        new AssertionError(
            owner
                + " applied faults that touched no traffic, so it proves nothing about them ("
                + NetNamespace.REQUIRE_FAULT_EFFECT_PROPERTY_NAME
                + "=true):\n  "
                + String.join("\n  ", idle)
                + "\nSend traffic across a fault while it is in force, or check that it is placed"
                + " where the traffic goes."));
  }
}
