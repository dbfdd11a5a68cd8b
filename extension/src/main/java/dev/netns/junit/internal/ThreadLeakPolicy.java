package dev.netns.junit.internal;

import java.util.Locale;

/** What teardown does about threads left inside a torn-down namespace. */
enum ThreadLeakPolicy {
  FAIL,
  WARN;

  static ThreadLeakPolicy parse(String value, String key) {
    try {
      return valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "configuration parameter " + key + " = '" + value + "' must be 'fail' or 'warn'");
    }
  }
}
