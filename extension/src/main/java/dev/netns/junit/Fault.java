package dev.netns.junit;

/**
 * A fault in force on the test's network: a partition, a one-way cut, a link down, an impairment.
 * Closing it heals it, so try-with-resources bounds it; faults the test leaves in force are healed
 * at teardown. Faults compose, and heal independently.
 *
 * <pre>{@code
 * try (Fault split = network.partition(Set.of("n1"), Set.of("n2", "n3"))) {
 *   // n1 is cut off; n2 and n3 still talk
 * }
 * // healed: established TCP connections that did not time out carry on
 * }</pre>
 */
public interface Fault extends AutoCloseable {
  /** What the fault does, for example {@code partition {n1} | {n2, n3} (silent)}. */
  String description();

  /** True until healed. */
  boolean isActive();

  /**
   * What the fault has done to traffic: so far while in force, final once healed.
   *
   * <pre>{@code
   * assertThat(split.effect().touchedTraffic()).as(split.effect().toString()).isTrue();
   * }</pre>
   */
  FaultEffect effect();

  /** Undoes the fault; idempotent. */
  void heal();

  /** Heals the fault. */
  @Override
  default void close() {
    heal();
  }
}
