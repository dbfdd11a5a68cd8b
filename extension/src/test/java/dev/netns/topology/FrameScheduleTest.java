package dev.netns.topology;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Frame fates from a seed: the fixed case decides nothing per frame. */
class FrameScheduleTest {
  @Test
  void aFixedDelayGivesEveryFrameTheSameFateWithoutDrawing() {
    FrameImpairment delay = new FrameImpairment(1_000_000, 0, false, 0, 0, 0, 0, 0, 0, 0, 7);
    assertThat(delay.sameForEveryFrame()).isTrue();
    assertThat(delay.leastDelayNanos()).isEqualTo(1_000_000);
    FrameSchedule schedule = new FrameSchedule(delay, 1);
    FrameSchedule.Fate first = schedule.next(frame(1), 60);
    assertThat(first).isEqualTo(new FrameSchedule.Fate(false, false, 1_000_000, -1));
    assertThat(schedule.next(frame(2), 60)).isSameAs(first);
  }

  @Test
  void aRateAloneIsTheSameForEveryFrameToo() {
    FrameImpairment rate = new FrameImpairment(0, 0, false, 0, 0, 0, 0, 0, 0, 1_000_000, 7);
    assertThat(rate.sameForEveryFrame()).isTrue();
    assertThat(rate.leastDelayNanos()).isZero();
  }

  @Test
  void anythingLeftToChanceIsNotAndStillReplaysFromTheSeed() {
    FrameImpairment loss = new FrameImpairment(1_000_000, 0, false, 50, 0, 0, 0, 0, 0, 0, 7);
    assertThat(loss.sameForEveryFrame()).isFalse();
    FrameSchedule one = new FrameSchedule(loss, 1);
    FrameSchedule two = new FrameSchedule(loss, 1);
    int dropped = 0;
    for (int i = 0; i < 200; i++) {
      FrameSchedule.Fate fate = one.next(frame(i), 60);
      assertThat(two.next(frame(i), 60)).isEqualTo(fate);
      dropped += fate.drop() ? 1 : 0;
    }
    assertThat(dropped).isBetween(50, 150);
  }

  @Test
  void theLeastDelayAllowsForJitterAndReordering() {
    assertThat(new FrameImpairment(5_000_000, 2_000_000, false, 0, 0, 0, 0, 0, 0, 0, 7))
        .returns(false, FrameImpairment::sameForEveryFrame)
        .returns(3_000_000L, FrameImpairment::leastDelayNanos);
    assertThat(new FrameImpairment(5_000_000, 2_000_000, true, 0, 0, 0, 0, 0, 0, 0, 7))
        .returns(0L, FrameImpairment::leastDelayNanos);
    assertThat(new FrameImpairment(5_000_000, 0, false, 0, 0, 0, 0, 10, 0, 0, 7))
        .returns(0L, FrameImpairment::leastDelayNanos);
  }

  /** An IPv4 UDP frame of 60 bytes whose payload carries {@code n}. */
  private static byte[] frame(int n) {
    byte[] frame = new byte[60];
    frame[12] = 0x08;
    frame[14] = 0x45;
    frame[23] = 17;
    frame[42] = (byte) n;
    frame[43] = (byte) (n >> 8);
    return frame;
  }
}
