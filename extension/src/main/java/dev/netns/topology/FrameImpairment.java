package dev.netns.topology;

/**
 * What the userspace path does to the frames of one direction of a link, decided frame by frame
 * from a seed, so that a run can be replayed.
 *
 * @param delayNanos added latency
 * @param jitterNanos variation of the latency: uniform in ±jitter, or the standard deviation of a
 *     normal distribution
 * @param normalJitter true for normally distributed jitter
 * @param lossPercent frames dropped independently
 * @param burstStartPercent Gilbert loss: chance per frame to enter a loss burst (0: off)
 * @param burstEndPercent Gilbert loss: chance per frame to leave it (frames in a burst are lost)
 * @param duplicatePercent frames sent twice
 * @param reorderPercent frames sent at once, overtaking delayed ones
 * @param corruptPercent frames with one flipped bit
 * @param bitsPerSecond bandwidth, 0 for unlimited
 * @param seed the seed of every decision
 */
public record FrameImpairment(
    long delayNanos,
    long jitterNanos,
    boolean normalJitter,
    double lossPercent,
    double burstStartPercent,
    double burstEndPercent,
    double duplicatePercent,
    double reorderPercent,
    double corruptPercent,
    long bitsPerSecond,
    long seed) {

  /**
   * True when every frame meets the same fate (a fixed delay, a rate, or nothing): no decision
   * draws on the seed, and frames become due in the order they came.
   */
  public boolean sameForEveryFrame() {
    return jitterNanos == 0
        && lossPercent == 0
        && burstStartPercent == 0
        && duplicatePercent == 0
        && reorderPercent == 0
        && corruptPercent == 0;
  }

  /**
   * The least delay any impairable frame can get: a forwarder that holds a frame due sooner than
   * this after now need not look for new frames before sending it.
   */
  public long leastDelayNanos() {
    if (reorderPercent > 0 || normalJitter) {
      return 0; // reordered frames leave at once; normal jitter has no lower bound
    }
    return Math.max(0, delayNanos - jitterNanos);
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder();
    if (delayNanos > 0) {
      s.append("delay ").append(delayNanos / 1_000_000).append(" ms, ");
    }
    if (jitterNanos > 0) {
      s.append("jitter ")
          .append(jitterNanos / 1_000_000)
          .append(" ms")
          .append(normalJitter ? " (normal), " : ", ");
    }
    if (lossPercent > 0) {
      s.append("loss ").append(lossPercent).append(" %, ");
    }
    if (burstStartPercent > 0) {
      s.append("loss bursts ")
          .append(burstStartPercent)
          .append("/")
          .append(burstEndPercent)
          .append(" %, ");
    }
    if (duplicatePercent > 0) {
      s.append("duplicate ").append(duplicatePercent).append(" %, ");
    }
    if (reorderPercent > 0) {
      s.append("reorder ").append(reorderPercent).append(" %, ");
    }
    if (corruptPercent > 0) {
      s.append("corrupt ").append(corruptPercent).append(" %, ");
    }
    if (bitsPerSecond > 0) {
      s.append("rate ").append(bitsPerSecond).append(" bit/s, ");
    }
    return s.append("seed ").append(seed).toString();
  }
}
