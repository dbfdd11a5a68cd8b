package dev.netns.topology;

/**
 * Reads what one fault has done to traffic so far: the counters it watches, less what they held
 * when the fault was applied.
 */
@FunctionalInterface
interface EffectMeter {
  FaultCounts read();
}
