package dev.netns.topology;

/**
 * What one direction of a {@link WireForwarder} has done to frames since it opened; neighbour
 * discovery, which passes untouched, is not counted.
 *
 * @param forwarded frames sent on (duplicates included)
 * @param dropped frames the impairment dropped
 * @param delayed frames released later than they arrived (delay, jitter, rate)
 * @param duplicated frames sent twice
 * @param reordered frames released before a frame that arrived earlier
 */
record FrameCounts(long forwarded, long dropped, long delayed, long duplicated, long reordered) {
  static final FrameCounts NONE = new FrameCounts(0, 0, 0, 0, 0);

  FrameCounts minus(FrameCounts before) {
    return new FrameCounts(
        forwarded - before.forwarded,
        dropped - before.dropped,
        delayed - before.delayed,
        duplicated - before.duplicated,
        reordered - before.reordered);
  }
}
