package dev.netns.junit.internal;

import dev.netns.junit.NetNamespace;

/** Where a fault schedule's seed came from, which decides how a failed run is replayed. */
enum SeedOrigin {
  /** The configuration parameter {@code netns.seed}. */
  SETTING,
  /** Drawn for the network, since {@code netns.seed} was not set. */
  DRAWN,
  /** Given by the test itself ({@code network.nemesis(schedule, seed)}). */
  TEST;

  /** One line that replays {@code test} with {@code seed}. */
  String replay(long seed, String test) {
    return switch (this) {
      case SETTING, DRAWN ->
          "-D" + NetNamespace.SEED_PROPERTY_NAME + "=" + seed + " -Dtest=" + test;
      case TEST -> "-Dtest=" + test + " (the test fixes the seed)";
    };
  }

  /** How the seed was chosen, as the failure note says it. */
  String word() {
    return switch (this) {
      case SETTING -> "from " + NetNamespace.SEED_PROPERTY_NAME;
      case DRAWN -> "drawn at random";
      case TEST -> "given by the test";
    };
  }
}
