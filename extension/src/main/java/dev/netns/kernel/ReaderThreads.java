package dev.netns.kernel;

import java.time.Duration;

/**
 * Waiting for a thread that reads a descriptor to end, before the descriptor is closed.
 *
 * <p>A descriptor closed while another thread still polls or reads it is a bug waiting to happen:
 * its number is reused at once by the next open, so the reader may end up reading (or the next
 * owner may see its data consumed by) an unrelated file or socket. So a closer waits for the reader
 * to end, and an interrupt of the closer must not cut that wait short; and when the reader does not
 * end in time, the descriptor is left open (a leak, reported) rather than closed under it.
 *
 * <p>{@code shutdown(2)} would wake a reader blocked on a stream or datagram socket, but packet
 * sockets do not implement it ({@code EOPNOTSUPP}): readers of packet sockets are woken by a
 * receive timeout or an eventfd in their poll set instead.
 */
public final class ReaderThreads {
  private static final System.Logger LOG = System.getLogger(ReaderThreads.class.getName());

  private ReaderThreads() {}

  /**
   * Waits up to {@code timeout} for {@code thread} to end; an interrupt does not shorten the wait
   * and is kept for the caller to see. True when the thread has ended.
   */
  public static boolean awaitEnd(Thread thread, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    boolean interrupted = false;
    try {
      while (thread.isAlive()) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        try {
          thread.join(Math.max(1, left / 1_000_000));
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      return true;
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Reports descriptors left open because {@code thread} still used them. */
  public static void warnLeaked(Thread thread, String what) {
    LOG.log(
        System.Logger.Level.WARNING,
        "{0} did not end in time; {1} left open rather than closed under it",
        thread.getName(),
        what);
  }
}
