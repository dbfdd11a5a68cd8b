package dev.netns.topology;

import java.util.concurrent.Delayed;
import java.util.concurrent.TimeUnit;

/**
 * A frame the forwarder holds until its release time: the first {@code length} bytes of {@code
 * frame}. Ties keep arrival order ({@code order}).
 */
record HeldFrame(byte[] frame, int length, long releaseNanos, long order) implements Delayed {
  @Override
  public long getDelay(TimeUnit unit) {
    return unit.convert(releaseNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
  }

  @Override
  public int compareTo(Delayed other) {
    HeldFrame o = (HeldFrame) other;
    int byTime = Long.compare(releaseNanos, o.releaseNanos);
    return byTime != 0 ? byTime : Long.compare(order, o.order);
  }
}
