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
   * Waits until a frame can be received or {@code timeoutNanos} have passed, whichever is first (or
   * a little sooner: a caller checks again).
   */
  void await(long timeoutNanos);

  /**
   * When the frame last returned by {@link #receive} or {@link #receiveNow} arrived, on the {@link
   * System#nanoTime} clock: the kernel's receive time when the port knows it, else the time it was
   * read.
   */
  long arrivalNanos();

  /** Queues a frame to send out of the link; it leaves at the latest at the next {@link #flush}. */
  void enqueue(byte[] frame);

  /**
   * Sends what is queued; returns how many of the frames queued since the last flush went out. A
   * frame the link refuses (for example while it is down) is lost, as on a real wire.
   */
  int flush();

  /** Closes the port; only once no thread receives or sends any more. Idempotent. */
  @Override
  void close();
}
