package dev.netns.junit;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A fault a {@link Nemesis} applied: the planned fault, what it actually did, and when it started
 * and was healed, from the schedule's start. The planned start and the actual one differ by the
 * time the machine took to get there.
 *
 * <pre>{@code
 * for (AppliedFault f : nemesis.applied()) {
 *   System.out.println(f);   // #0 0.736 s .. 1.950 s: partition {n1, n4} | {n2, n3} (silent)
 * }
 * }</pre>
 *
 * @param planned the fault as the plan gave it
 * @param description what was applied, as {@link Fault#description()} says (for an isolated leader,
 *     which host it was)
 * @param started when it was applied, from the schedule's start
 * @param healed when it was healed, from the schedule's start; empty while in force
 */
public record AppliedFault(
    ScheduledFault planned, String description, Duration started, Optional<Duration> healed) {
  /** Checks that every part is there. */
  public AppliedFault {
    Objects.requireNonNull(planned, "planned");
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(started, "started");
    Objects.requireNonNull(healed, "healed");
  }

  /** For example {@code #2 4.251 s .. 5.262 s: cut n2 -> n3 (silent)}. */
  @Override
  public String toString() {
    return "#"
        + planned.index()
        + " "
        + ScheduledFault.seconds(started)
        + " .. "
        + healed.map(ScheduledFault::seconds).orElse("(in force)")
        + ": "
        + description;
  }
}
