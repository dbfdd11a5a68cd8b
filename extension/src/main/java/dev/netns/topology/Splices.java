package dev.netns.topology;

import java.util.HashMap;
import java.util.Map;

/**
 * The userspace forwarders in force, one per {@link SplicePoint}: opened when the first direction
 * there is impaired, closed (and the path put back) when no direction is impaired any more.
 */
final class Splices {
  private final RunningTopology network;
  private final Map<SplicePoint, WireForwarder> forwarders = new HashMap<>();

  Splices(RunningTopology network) {
    this.network = network;
  }

  /** Impairs the direction leaving the a side (or the b side) of {@code point}. */
  synchronized void impair(SplicePoint point, boolean fromA, FrameImpairment impairment) {
    WireForwarder forwarder = forwarders.get(point);
    if (forwarder != null && forwarder.isClosed()) {
      // A heal closed it but could not put the path back: finish that first.
      point.restore(network);
      forwarders.remove(point);
      forwarder = null;
    }
    if (forwarder == null) {
      forwarder = point.open(network);
      forwarders.put(point, forwarder);
    }
    if (forwarder.isImpaired(fromA)) {
      throw new IllegalStateException(
          "impair: traffic leaving "
              + point.describe(fromA)
              + " is already impaired ("
              + forwarder.describe(fromA)
              + "); heal that fault first, or put everything in one Impairment");
    }
    forwarder.impair(fromA, impairment);
  }

  /**
   * Stops impairing one direction with {@code owner}, the instance its fault put in force; the last
   * direction closes the forwarder and puts the path back. Safe to call again after a failure: the
   * forwarder stays registered until the path is back. A direction that another fault impairs by
   * then (after an earlier try of this release took {@code owner} off) is left alone.
   */
  synchronized void release(SplicePoint point, boolean fromA, FrameImpairment owner) {
    WireForwarder forwarder = forwarders.get(point);
    if (forwarder == null) {
      return;
    }
    if (forwarder.isImpairedWith(fromA, owner)) {
      forwarder.impair(fromA, null);
    }
    if (forwarder.isIdle()) {
      forwarder.close();
      point.restore(network);
      forwarders.remove(point);
    }
  }

  /** True when {@code impairment}, this very instance, is in force leaving one side of a point. */
  synchronized boolean isImpairedWith(
      SplicePoint point, boolean fromA, FrameImpairment impairment) {
    WireForwarder forwarder = forwarders.get(point);
    return forwarder != null && forwarder.isImpairedWith(fromA, impairment);
  }

  /** True while a forwarder stands at {@code point}. */
  synchronized boolean isSpliced(SplicePoint point) {
    return forwarders.containsKey(point);
  }

  /**
   * What the forwarder at {@code point} has done so far to frames leaving one side; none when no
   * forwarder is there.
   */
  synchronized FrameCounts counts(SplicePoint point, boolean fromA) {
    WireForwarder forwarder = forwarders.get(point);
    return forwarder == null ? FrameCounts.NONE : forwarder.counts(fromA);
  }
}
