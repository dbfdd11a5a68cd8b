package dev.netns.topology;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a fault did to traffic while it was in force, read from counters the kernel or the userspace
 * forwarder keep.
 *
 * <pre>{@code
 * ActiveFault split = network.faults().partition(groups, DropMode.SILENT);
 * ...   // traffic
 * FaultCounts counts = split.counts();   // dropped 12 (shared: packets swallowed in n1, n2, n3)
 * }</pre>
 *
 * @param dropped packets or frames the fault made vanish
 * @param refused packets the sender's kernel refused to send (no route while a link was down)
 * @param delayed frames held back before being sent on
 * @param duplicated frames sent twice
 * @param reordered frames sent ahead of one that arrived before them
 * @param accuracy how far the numbers belong to this fault alone
 * @param counter what was counted, for example {@code packets swallowed in n1}
 */
public record FaultCounts(
    long dropped,
    long refused,
    long delayed,
    long duplicated,
    long reordered,
    Accuracy accuracy,
    String counter) {

  /** How far the numbers belong to this fault alone. */
  public enum Accuracy {
    /** Every number is what this fault did, no more and no less. */
    EXACT,
    /**
     * The counter belongs to a namespace, not to the fault: it also counts what other faults of the
     * same mechanism did there while this one was in force (and, for a link down, any send that
     * found no route).
     */
    SHARED,
    /** No counter exists for this mechanism; the numbers are 0 and mean nothing. */
    NOT_COUNTED
  }

  /** Checks the fields. */
  public FaultCounts {
    Objects.requireNonNull(accuracy, "accuracy");
    Objects.requireNonNull(counter, "counter");
  }

  /** No counter for this fault, and why. */
  static FaultCounts notCounted(String why) {
    return new FaultCounts(0, 0, 0, 0, 0, Accuracy.NOT_COUNTED, why);
  }

  /** True when a counter moved: the fault touched traffic. */
  public boolean touchedTraffic() {
    return accuracy != Accuracy.NOT_COUNTED
        && dropped + refused + delayed + duplicated + reordered > 0;
  }

  /**
   * For example {@code dropped 12, delayed 3 (exact: frames the userspace forwarder handled)}, or
   * {@code not counted (...)}.
   */
  @Override
  public String toString() {
    if (accuracy == Accuracy.NOT_COUNTED) {
      return "not counted (" + counter + ")";
    }
    List<String> parts = new ArrayList<>();
    add(parts, "dropped", dropped);
    add(parts, "refused", refused);
    add(parts, "delayed", delayed);
    add(parts, "duplicated", duplicated);
    add(parts, "reordered", reordered);
    String what = parts.isEmpty() ? "no traffic touched" : String.join(", ", parts);
    return what + " (" + accuracy.name().toLowerCase(java.util.Locale.ROOT) + ": " + counter + ")";
  }

  private static void add(List<String> parts, String name, long value) {
    if (value != 0) {
      parts.add(name + " " + value);
    }
  }
}
