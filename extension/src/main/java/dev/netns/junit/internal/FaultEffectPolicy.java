package dev.netns.junit.internal;

/**
 * What teardown does about a test whose faults touched no traffic ({@code
 * netns.faults.requireEffect}).
 */
enum FaultEffectPolicy {
  /** The report lists each fault's effect; nothing fails. */
  REPORT,
  /** The test fails, naming the faults. */
  REQUIRE
}
