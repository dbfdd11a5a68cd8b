package dev.netns.kernel;

import dev.netns.nativeaccess.LibC;

/**
 * How late the kernel may end the calling thread's timed waits (poll, futex, sleep) so as to batch
 * wake-ups: 50 µs unless set. A thread whose waits end at deadlines that matter, such as a
 * forwarder releasing delayed frames, asks for less.
 */
public final class TimerSlack {
  private TimerSlack() {}

  /**
   * Sets the calling thread's timer slack (prctl PR_SET_TIMERSLACK); false when the kernel refused,
   * which leaves the default: waits a little later, nothing worse.
   */
  public static boolean set(long nanos) {
    try {
      LibC.instance().prctl(LibC.PR_SET_TIMERSLACK, nanos);
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }
}
