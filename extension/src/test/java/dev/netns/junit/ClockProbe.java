package dev.netns.junit;

import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The JVM that {@link ClockSkewTest} starts with a skewed clock: prints what it reads from the wall
 * clock, and how long timed waits really took on the monotonic clock, one {@code key value} line
 * each.
 */
public final class ClockProbe {
  private ClockProbe() {}

  public static void main(String[] args) throws Exception {
    System.out.println("millis " + System.currentTimeMillis());
    System.out.println("instant " + Instant.now().toEpochMilli());
    long start = System.nanoTime();
    Thread.sleep(200);
    System.out.println("sleep " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
    start = System.nanoTime();
    Object lock = new Object();
    synchronized (lock) {
      lock.wait(200);
    }
    System.out.println("wait " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
    start = System.nanoTime();
    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
    System.out.println("park " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
  }
}
