package dev.netns.junit;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What a {@link Fault} did to traffic while it was in force: a fault nobody sent across proves
 * nothing. Read while the fault is in force, the numbers are so far; after its heal, final. The
 * failure report lists every fault of the test with its effect, and {@code
 * netns.faults.requireEffect=true} fails a test whose faults touched no traffic.
 *
 * <pre>{@code
 * try (Fault split = network.partition(Set.of("n1"), Set.of("n2", "n3"))) {
 *   client.put("x", 1);   // times out
 *   FaultEffect effect = split.effect();
 *   assertThat(effect.dropped()).isPositive();
 *   // dropped 3 (shared: packets silent routes swallowed in n1, n2, n3)
 * }
 * }</pre>
 *
 * <p>What each kind of fault counts (docs/faults.md has the details):
 *
 * <table>
 *   <caption>Counters by fault</caption>
 *   <tr><th>fault</th><th>counts</th><th>accuracy</th></tr>
 *   <tr><td>impairment on the userspace path</td><td>frames dropped, delayed, duplicated,
 *       reordered</td><td>{@link Accuracy#EXACT EXACT}</td></tr>
 *   <tr><td>silent partition or cut</td><td>packets its senders routed into the void</td>
 *       <td>{@link Accuracy#SHARED SHARED}</td></tr>
 *   <tr><td>link down, LAN port unplugged</td><td>sends refused for want of a route on the
 *       downed side</td><td>{@link Accuracy#SHARED SHARED}</td></tr>
 *   <tr><td>kernel rate limit (TBF)</td><td>packets dropped; as delayed, the times it held packets
 *       back</td><td>{@link Accuracy#EXACT EXACT}</td></tr>
 *   <tr><td>netem</td><td>packets dropped; as delayed, every packet sent when it delays</td>
 *       <td>{@link Accuracy#EXACT EXACT}; duplicates, reorders, corruptions not counted</td></tr>
 *   <tr><td>rejecting partition or cut</td><td>nothing</td>
 *       <td>{@link Accuracy#NOT_COUNTED NOT_COUNTED}</td></tr>
 * </table>
 *
 * @param dropped packets or frames the fault made vanish
 * @param refused packets the sender's kernel refused to send (no route while a link was down)
 * @param delayed frames held back before being sent on
 * @param duplicated frames sent twice
 * @param reordered frames sent ahead of one that arrived before them
 * @param accuracy how far the numbers belong to this fault alone
 * @param counter what was counted, for example {@code packets silent routes swallowed in n1}
 */
public record FaultEffect(
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
     * The counter belongs to a namespace: it also counts what other faults of the same kind did
     * there while this one was in force (and, for a link down, any send that found no route). Exact
     * when the fault is the only one of its kind in force in its namespaces.
     */
    SHARED,
    /** Nothing counts what this kind of fault does; the numbers are 0 and mean nothing. */
    NOT_COUNTED
  }

  /** Checks the fields. */
  public FaultEffect {
    Objects.requireNonNull(accuracy, "accuracy");
    Objects.requireNonNull(counter, "counter");
  }

  /** True when a counter moved: the fault touched traffic. Never for {@code NOT_COUNTED}. */
  public boolean touchedTraffic() {
    return accuracy != Accuracy.NOT_COUNTED
        && dropped + refused + delayed + duplicated + reordered > 0;
  }

  /**
   * For example {@code dropped 12, delayed 3 (exact: frames the userspace forwarder handled)},
   * {@code no traffic touched (shared: ...)} or {@code not counted (...)}.
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
    return what + " (" + accuracy.name().toLowerCase(Locale.ROOT) + ": " + counter + ")";
  }

  private static void add(List<String> parts, String name, long value) {
    if (value != 0) {
      parts.add(name + " " + value);
    }
  }
}
