package dev.netns.topology;

import java.util.PriorityQueue;

/**
 * Held frames in the order of their release, for one thread. Under a fixed delay or a rate, frames
 * become due in the order they came: they wait in a first-in first-out ring, where adding and
 * taking cost a few stores, not the logarithmic sifting (and the lock) of a priority queue. Only a
 * frame due before the last one in the ring (jitter, reordering, neighbour discovery that passes at
 * once) goes to a priority queue beside it; the earlier of the two heads leaves first.
 */
final class ReleaseQueue {
  private HeldFrame[] ring = new HeldFrame[256];
  private int head;
  private int size;
  private final PriorityQueue<HeldFrame> overtaking = new PriorityQueue<>();

  void add(HeldFrame frame) {
    if (size > 0 && frame.releaseNanos() < last().releaseNanos()) {
      overtaking.add(frame);
      return;
    }
    if (size == ring.length) {
      grow();
    }
    ring[(head + size) & (ring.length - 1)] = frame;
    size++;
  }

  /** The frame due first, or null when none is held. */
  HeldFrame peek() {
    HeldFrame inOrder = size == 0 ? null : ring[head];
    HeldFrame early = overtaking.peek();
    if (early == null) {
      return inOrder;
    }
    return inOrder == null || early.compareTo(inOrder) < 0 ? early : inOrder;
  }

  /** Removes and returns the frame due first if it is due at {@code now}, else null. */
  HeldFrame pollDue(long now) {
    HeldFrame first = peek();
    if (first == null || first.releaseNanos() > now) {
      return null;
    }
    if (first == overtaking.peek()) {
      return overtaking.poll();
    }
    ring[head] = null;
    head = (head + 1) & (ring.length - 1);
    size--;
    return first;
  }

  int size() {
    return size + overtaking.size();
  }

  void clear() {
    java.util.Arrays.fill(ring, null);
    head = 0;
    size = 0;
    overtaking.clear();
  }

  private HeldFrame last() {
    return ring[(head + size - 1) & (ring.length - 1)];
  }

  private void grow() {
    HeldFrame[] larger = new HeldFrame[ring.length * 2];
    for (int i = 0; i < size; i++) {
      larger[i] = ring[(head + i) & (ring.length - 1)];
    }
    ring = larger;
    head = 0;
  }
}
