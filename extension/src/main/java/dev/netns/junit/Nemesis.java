package dev.netns.junit;

import java.util.List;

/**
 * A {@link FaultSchedule} running in the background on a test's network: it applies each planned
 * fault at its time, heals it when its duration is up, and records both. Closing it stops it and
 * heals the fault in force; the test's teardown does the same for a nemesis left running. When the
 * test fails, the failure carries the seed, a line that replays it, and every fault applied with
 * its time.
 *
 * <pre>{@code
 * try (Nemesis nemesis = network.nemesis(schedule)) {
 *   runClients(Duration.ofSeconds(10));
 * }
 * Linearizability.check(history, Models.keyValue(), Duration.ofSeconds(10)).assertLinearizable();
 * }</pre>
 */
public interface Nemesis extends AutoCloseable {
  /** The seed its plan was drawn from. */
  long seed();

  /** The faults applied so far, oldest first, healed or in force. */
  List<AppliedFault> applied();

  /** True until it stops: closed, its plan done (with a limit), or a fault failed to apply. */
  boolean isRunning();

  /**
   * Stops it and heals the fault it has in force; idempotent.
   *
   * @throws IllegalStateException when a fault could not be applied or healed (the cause)
   */
  void stop();

  /** Stops it, as {@link #stop()}. */
  @Override
  default void close() {
    stop();
  }
}
