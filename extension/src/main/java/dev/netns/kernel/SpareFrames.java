package dev.netns.kernel;

/**
 * Arrays for frames that come back once their frames are sent, to be handed out again: in the
 * steady state a port that reads a hundred thousand frames a second allocates none, and the
 * collector has nothing to do with them. For one thread.
 */
final class SpareFrames {
  private final int size;
  private final byte[][] spares;
  private int count;

  /** Arrays of {@code size} bytes, at most {@code kept} of them kept while unused. */
  SpareFrames(int size, int kept) {
    this.size = size;
    this.spares = new byte[kept][];
  }

  /** An array for a frame of {@code length} bytes: a spare one when it fits, else a new one. */
  byte[] take(int length) {
    if (length > size) {
      return new byte[length];
    }
    return count > 0 ? spares[--count] : new byte[size];
  }

  /** Keeps {@code frame} for a later {@link #take}, unless it is not one of ours or room is out. */
  void give(byte[] frame) {
    if (frame.length == size && count < spares.length) {
      spares[count++] = frame;
    }
  }
}
