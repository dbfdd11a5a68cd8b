package dev.netns.topology;

/**
 * A fault in force on a running topology, until {@link #heal()} (or {@link #close()}) undoes it.
 * Healing is idempotent.
 *
 * <pre>{@code
 * try (ActiveFault split = network.faults().partition(List.of(Set.of("n1"), Set.of("n2", "n3")), false)) {
 *   ...   // n1 cannot reach n2 or n3, silently
 * }     // healed
 * }</pre>
 */
public final class ActiveFault implements AutoCloseable {
  private final String description;
  private final Runnable heal;
  private volatile boolean healed;

  ActiveFault(String description, Runnable heal) {
    this.description = description;
    this.heal = heal;
  }

  /** What the fault does, for example {@code partition {n1} | {n2, n3} (silent)}. */
  public String description() {
    return description;
  }

  /** True until healed. */
  public boolean isActive() {
    return !healed;
  }

  /** Undoes the fault. */
  public synchronized void heal() {
    if (!healed) {
      heal.run();
      healed = true;
    }
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
