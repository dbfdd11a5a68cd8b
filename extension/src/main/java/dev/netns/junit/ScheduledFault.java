package dev.netns.junit;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * One fault of a {@link FaultSchedule}'s plan: what it does, to whom, when it starts (from the
 * schedule's start) and how long it lasts. Plans are pure functions of the seed and the declared
 * network, so two plans with the same seed are equal, fault by fault.
 *
 * <pre>{@code
 * List<ScheduledFault> first = schedule.plan(42, network).limit(5).toList();
 * // first.get(0).toString(): "#0 at 0.734 s for 1.208 s: partition {n1, n4} | {n2, n3}"
 * try (Fault byHand = first.get(0).apply(network)) { ... }   // one planned fault, applied now
 * }</pre>
 */
public final class ScheduledFault {
  private final int index;
  private final String kind;
  private final String description;
  private final List<String> targets;
  private final Duration start;
  private final Duration duration;
  private final long seed;
  private final FaultKind.Applier applier;

  ScheduledFault(
      int index,
      String kind,
      String description,
      List<String> targets,
      Duration start,
      Duration duration,
      long seed,
      FaultKind.Applier applier) {
    this.index = index;
    this.kind = kind;
    this.description = description;
    this.targets = List.copyOf(targets);
    this.start = start;
    this.duration = duration;
    this.seed = seed;
    this.applier = applier;
  }

  /** Its place in the plan, from 0. */
  public int index() {
    return index;
  }

  /** The name of its {@link FaultKind}, for example {@code random halves}. */
  public String kind() {
    return kind;
  }

  /** What it does, for example {@code partition {n1, n4} | {n2, n3}} or {@code cut n2 -> n3}. */
  public String description() {
    return description;
  }

  /**
   * The hosts ({@code n1}) or ports ({@code n1@lan}, {@code a->b}) it acts on, as planned; empty
   * when the test chooses them when the fault starts.
   */
  public List<String> targets() {
    return targets;
  }

  /** When it starts, from the schedule's start. */
  public Duration start() {
    return start;
  }

  /** How long it stays in force. */
  public Duration duration() {
    return duration;
  }

  /** The seed of its own random choices (an impairment's, a custom fault's). */
  public long seed() {
    return seed;
  }

  /** Applies it to {@code network} now; the caller heals the fault returned. */
  public Fault apply(Network network) throws Exception {
    Objects.requireNonNull(network, "network");
    return applier.apply(network, seed);
  }

  /** For example {@code #3 at 4.250 s for 1.000 s: cut n2 -> n3}. */
  @Override
  public String toString() {
    return "#" + index + " at " + seconds(start) + " for " + seconds(duration) + ": " + description;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ScheduledFault f
        && index == f.index
        && seed == f.seed
        && kind.equals(f.kind)
        && description.equals(f.description)
        && targets.equals(f.targets)
        && start.equals(f.start)
        && duration.equals(f.duration);
  }

  @Override
  public int hashCode() {
    return Objects.hash(index, kind, description, targets, start, duration, seed);
  }

  static String seconds(Duration d) {
    long millis = d.toMillis();
    return String.format(java.util.Locale.ROOT, "%d.%03d s", millis / 1000, millis % 1000);
  }
}
