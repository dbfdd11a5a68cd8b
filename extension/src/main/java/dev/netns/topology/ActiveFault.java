package dev.netns.topology;

import dev.netns.kernel.Failures;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * A fault in force on a running topology, until {@link #heal()} (or {@link #close()}) undoes it.
 * Healing is idempotent.
 *
 * <pre>{@code
 * try (ActiveFault split =
 *     network.faults().partition(List.of(Set.of("n1"), Set.of("n2", "n3")), DropMode.SILENT)) {
 *   ...   // n1 cannot reach n2 or n3, silently
 * }     // healed
 * }</pre>
 *
 * <p>Healing is a list of steps (one per route, per interface, ...). Each step runs until it
 * succeeds, and never again after: a heal that fails half-way throws, leaves the fault active, and
 * the next {@link #heal()} runs only the steps that failed, so that nothing is undone (or counted
 * down) twice.
 */
public final class ActiveFault implements AutoCloseable {
  private final String description;
  private final FaultScope scope;
  private final List<Runnable> remaining;
  private final EffectMeter meter;
  private volatile boolean healed;
  private volatile FaultCounts lastRead;

  /** Set at the first heal: the counts are final from then on. */
  private volatile boolean countsFinal;

  ActiveFault(String description, FaultScope scope, List<Runnable> steps, EffectMeter meter) {
    this.description = description;
    this.scope = scope;
    this.remaining = new ArrayList<>(steps);
    this.meter = meter;
    this.lastRead = FaultCounts.notCounted("not read yet");
  }

  /** What the fault does, for example {@code partition {n1} | {n2, n3} (silent)}. */
  public String description() {
    return description;
  }

  /** Which hosts, links or ports the fault acts on, and how. */
  public FaultScope scope() {
    return scope;
  }

  /** True until healed. */
  public boolean isActive() {
    return !healed;
  }

  /**
   * What the fault has done to traffic: read now while it is in force, as it was at the heal after.
   * A counter that cannot be read any more (its namespace gone) gives the last reading.
   */
  public FaultCounts counts() {
    if (countsFinal) {
      return lastRead;
    }
    synchronized (this) {
      return countsFinal ? lastRead : read();
    }
  }

  private FaultCounts read() {
    try {
      lastRead = meter.read();
    } catch (RuntimeException e) {
      // The namespace or forwarder is gone: keep what was read before.
    }
    return lastRead;
  }

  /**
   * Undoes the fault. When a step fails, the others still run; the first failure is thrown with the
   * rest suppressed, and the fault stays active with the failed steps left to run.
   */
  public synchronized void heal() {
    if (healed) {
      return;
    }
    if (!countsFinal) {
      // Read before the first step: a heal closes the forwarder and drops its counters.
      read();
      countsFinal = true;
    }
    FaultHealEvent event = new FaultHealEvent();
    event.begin();
    try {
      runEach(remaining);
      healed = true;
    } finally {
      if (event.shouldCommit()) {
        event.fault = description;
        event.succeeded = healed;
        event.commit();
      }
    }
  }

  /**
   * Runs every action, even after one failed, and drops from the list each that succeeded; then
   * throws the first failure with the others suppressed.
   */
  static void runEach(List<Runnable> actions) {
    Failures failures = new Failures();
    for (Iterator<Runnable> it = actions.iterator(); it.hasNext(); ) {
      Runnable action = it.next();
      failures.run(
          () -> {
            action.run();
            it.remove();
          });
    }
    failures.throwIfAny();
  }

  @Override
  public void close() {
    heal();
  }

  @Override
  public String toString() {
    return description + (isActive() ? "" : " (healed)");
  }
}
