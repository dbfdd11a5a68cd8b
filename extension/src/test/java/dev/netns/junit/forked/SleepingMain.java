package dev.netns.junit.forked;

/**
 * A tiny main that sleeps: the child JVM that {@link ProcessHygieneKillNineTest}'s fixture starts
 * inside a namespace. The bound only limits an orphan's life should the watchdog fail.
 */
public final class SleepingMain {
  private SleepingMain() {}

  public static void main(String[] args) throws InterruptedException {
    Thread.sleep(120_000);
  }
}
