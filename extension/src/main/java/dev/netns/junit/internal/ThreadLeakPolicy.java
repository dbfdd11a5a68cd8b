package dev.netns.junit.internal;

/**
 * What teardown does about threads left inside a torn-down namespace ({@code netns.threadLeaks}).
 */
enum ThreadLeakPolicy {
  FAIL,
  WARN
}
