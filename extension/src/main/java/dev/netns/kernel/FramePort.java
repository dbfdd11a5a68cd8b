package dev.netns.kernel;

/**
 * One port of the userspace forwarder: whole Ethernet frames of one link in and out, below IP.
 * Frames the link itself sent are never received. Reading is for one thread, sending for one
 * (possibly another) thread.
 *
 * <pre>{@code
 * byte[] frame = in.receive();        // null after at most 100 ms without a frame
 * if (frame != null) {
 *   out.enqueue(frame);
 *   int sent = out.flush();           // frames queued since the last flush that went out
 * }
 * byte[] lent = in.lendNow();         // null at once without a frame
 * if (lent != null) {
 *   out.enqueue(lent, in.length());   // copied: the array can go back at once
 *   in.recycle(lent);
 * }
 * }</pre>
 */
public interface FramePort extends AutoCloseable {
  /**
   * The next frame that arrived on the link, in a new array of its length; null when none came
   * within 100 ms or the port was closed.
   */
  byte[] receive();

  /** The next frame if one has arrived, else null at once: never waits. */
  byte[] receiveNow();

  /**
   * The next frame if one has arrived, else null at once, in an array that the port lends out again
   * once it is given back through {@link #recycle}: the frame is its first {@link #length} bytes. A
   * forwarder that carries a hundred thousand frames a second then allocates none.
   */
  byte[] lendNow();

  /** The length of the frame last returned by a receive method or by {@link #lendNow}. */
  int length();

  /**
   * Gives back an array that {@link #lendNow} returned, once nothing reads its frame any more; on
   * the reading thread only.
   */
  void recycle(byte[] frame);

  /**
   * Waits until a frame can be received or {@code timeoutNanos} have passed, whichever is first (or
   * a little sooner: a caller checks again).
   */
  void await(long timeoutNanos);

  /**
   * When the frame last returned by {@link #receive}, {@link #receiveNow} or {@link #lendNow}
   * arrived, on the {@link System#nanoTime} clock: the kernel's receive time when the port knows
   * it, else the time it was read.
   */
  long arrivalNanos();

  /** Queues a frame to send out of the link; it leaves at the latest at the next {@link #flush}. */
  default void enqueue(byte[] frame) {
    enqueue(frame, frame.length);
  }

  /** Queues the first {@code length} bytes of {@code frame}, copied: the array is free again. */
  void enqueue(byte[] frame, int length);

  /**
   * Sends what is queued; returns how many of the frames queued since the last flush went out. A
   * frame the link refuses (for example while it is down) is lost, as on a real wire.
   */
  int flush();

  /** Closes the port; only once no thread receives or sends any more. Idempotent. */
  @Override
  void close();
}
