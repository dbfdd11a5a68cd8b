package dev.netns.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The forwarder's queue of held frames: release order, first in first out among equals. */
class ReleaseQueueTest {
  @Test
  void underAFixedDelayFramesLeaveInTheOrderTheyCameAndOnlyWhenDue() {
    ReleaseQueue queue = new ReleaseQueue();
    // More than the ring's first size, with ties: arrival order decides among equal releases.
    for (int i = 0; i < 1_000; i++) {
      queue.add(held(i, 1_000 + i / 3));
    }
    assertThat(queue.size()).isEqualTo(1_000);
    assertThat(queue.pollDue(999)).isNull();
    assertThat(orders(queue, 1_099)).containsExactlyElementsOf(range(0, 300));
    assertThat(queue.peek().order()).isEqualTo(300);
    assertThat(orders(queue, Long.MAX_VALUE)).containsExactlyElementsOf(range(300, 1_000));
    assertThat(queue.peek()).isNull();
    assertThat(queue.size()).isZero();
  }

  @Test
  void aFrameDueEarlierThanThoseBeforeItOvertakesThem() {
    ReleaseQueue queue = new ReleaseQueue();
    queue.add(held(0, 1_000));
    queue.add(held(1, 1_010));
    queue.add(held(2, 5)); // neighbour discovery or a reordered frame: due at once
    queue.add(held(3, 1_005)); // jitter: between the first two
    queue.add(held(4, 1_010)); // a tie with frame 1, which came first
    queue.add(held(5, 1_020));
    assertThat(queue.peek().order()).isEqualTo(2);
    assertThat(orders(queue, Long.MAX_VALUE)).containsExactly(2L, 0L, 3L, 1L, 4L, 5L);
  }

  @Test
  void theRingWrapsAroundAndGrowsWithoutLosingOrder() {
    ReleaseQueue queue = new ReleaseQueue();
    long next = 0;
    long expected = 0;
    // Keeps 200 held while 2,000 pass (wrapping), then 5,000 at once (growing while wrapped).
    for (int i = 0; i < 2_000; i++) {
      queue.add(held(next, next));
      next++;
      if (queue.size() > 200) {
        assertThat(queue.pollDue(Long.MAX_VALUE).order()).isEqualTo(expected++);
      }
    }
    for (int i = 0; i < 5_000; i++) {
      queue.add(held(next, next));
      next++;
    }
    for (HeldFrame frame; (frame = queue.pollDue(Long.MAX_VALUE)) != null; ) {
      assertThat(frame.order()).isEqualTo(expected++);
    }
    assertThat(expected).isEqualTo(next);
  }

  @Test
  void clearForgetsEverything() {
    ReleaseQueue queue = new ReleaseQueue();
    queue.add(held(0, 10));
    queue.add(held(1, 5));
    queue.clear();
    assertThat(queue.size()).isZero();
    assertThat(queue.peek()).isNull();
    queue.add(held(2, 7));
    assertThat(orders(queue, 7)).containsExactly(2L);
  }

  private static HeldFrame held(long order, long release) {
    return new HeldFrame(new byte[60], 60, release, order);
  }

  private static List<Long> orders(ReleaseQueue queue, long now) {
    List<Long> orders = new ArrayList<>();
    for (HeldFrame frame; (frame = queue.pollDue(now)) != null; ) {
      orders.add(frame.order());
    }
    return orders;
  }

  private static List<Long> range(long from, long to) {
    List<Long> values = new ArrayList<>();
    for (long i = from; i < to; i++) {
      values.add(i);
    }
    return values;
  }
}
