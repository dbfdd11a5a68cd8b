package dev.netns.junit.internal;

/**
 * What a test does when a privilege or kernel feature it needs is missing ({@code netns.require}).
 */
enum RequirePolicy {
  /** It is skipped with the reason: {@code netns.require=false}, or unset outside CI. */
  SKIP,
  /** It fails with the reason: {@code netns.require=true}. */
  FAIL,
  /** It fails with the reason: {@code netns.require} unset where the environment says CI. */
  FAIL_ON_CI;

  boolean fails() {
    return this != SKIP;
  }

  /** How the setting came to be, for messages: {@code netns.require=true} and why. */
  String describe(String key) {
    return switch (this) {
      case SKIP -> key + "=false";
      case FAIL -> key + "=true";
      case FAIL_ON_CI -> key + "=true (its default where the environment variable CI is true)";
    };
  }
}
