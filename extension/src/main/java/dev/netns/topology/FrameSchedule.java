package dev.netns.topology;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The fate of each frame of one direction, from a seed. A frame's fate depends only on the seed and
 * on what the frame carries (its transport payload, and how many frames before it carried the
 * same), never on the clock, on ports or IP ids that differ from run to run, or on frames lost
 * before they reached the forwarder: the same datagrams meet the same fate in every run. Loss
 * bursts are the exception: a burst spans frames, so it replays exactly when the frames come in the
 * same order.
 */
final class FrameSchedule {
  private final FrameImpairment spec;
  private final long salt;
  private final SplittableRandom bursts;
  private static final int MAX_REMEMBERED = 1_000_000;
  private final Map<Long, Integer> seen = new HashMap<>();
  private boolean inBurst;

  /** The fate of every frame when it does not vary (else null): no hashing, no drawing. */
  private final Fate fixed;

  FrameSchedule(FrameImpairment spec, long directionSalt) {
    this.spec = spec;
    this.fixed =
        spec.sameForEveryFrame()
            ? new Fate(false, false, Math.max(0, spec.delayNanos()), -1)
            : null;
    this.salt = spec.seed() ^ directionSalt;
    this.bursts = new SplittableRandom(salt);
  }

  /** The fate of this frame. */
  Fate next(byte[] frame, int length) {
    if (fixed != null) {
      // Hashing the payload and drawing would cost more than the rest of the frame's way through
      // the forwarder, to decide what is already known.
      return fixed;
    }
    long key = payloadKey(frame, length);
    if (seen.size() > MAX_REMEMBERED) {
      // Bounded memory for long runs: replays stay exact for the first million payloads.
      seen.clear();
    }
    int occurrence = seen.merge(key, 1, Integer::sum);
    SplittableRandom random =
        new SplittableRandom(mix(salt ^ mix(key) ^ (occurrence * 0x9E3779B97F4A7C15L)));
    double burst = bursts.nextDouble() * 100;
    // A fixed number of draws per frame keeps frame n's fate independent of what came before.
    double loss = random.nextDouble() * 100;
    double duplicate = random.nextDouble() * 100;
    double reorder = random.nextDouble() * 100;
    double corrupt = random.nextDouble() * 100;
    double jitterUniform = random.nextDouble();
    double jitterNormal = random.nextGaussian();
    double corruptAt = random.nextDouble();

    if (spec.burstStartPercent() > 0) {
      inBurst = inBurst ? burst >= spec.burstEndPercent() : burst < spec.burstStartPercent();
    }
    boolean drop = loss < spec.lossPercent() || (spec.burstStartPercent() > 0 && inBurst);
    long delay = spec.delayNanos();
    if (spec.jitterNanos() > 0) {
      delay +=
          spec.normalJitter()
              ? (long) (jitterNormal * spec.jitterNanos())
              : (long) ((jitterUniform * 2 - 1) * spec.jitterNanos());
    }
    if (reorder < spec.reorderPercent()) {
      delay = 0;
    }
    return new Fate(
        drop,
        duplicate < spec.duplicatePercent(),
        Math.max(0, delay),
        corrupt < spec.corruptPercent() ? corruptAt : -1);
  }

  /**
   * A hash of the frame's transport payload: UDP and TCP data, else the IP payload, else the whole
   * frame. Headers that change between runs (ports, IP ids, checksums) are left out.
   */
  static long payloadKey(byte[] frame, int length) {
    int start = 14;
    int type = length >= 14 ? ((frame[12] & 0xff) << 8) | (frame[13] & 0xff) : 0;
    int protocol = -1;
    if (type == 0x0800 && length >= 34) {
      protocol = frame[23] & 0xff;
      start = 14 + (frame[14] & 0x0f) * 4;
    } else if (type == 0x86DD && length >= 54) {
      protocol = frame[20] & 0xff;
      start = 54;
    }
    if (protocol == 17) {
      start += 8;
    } else if (protocol == 6 && length >= start + 13) {
      start += ((frame[start + 12] & 0xf0) >> 4) * 4;
    }
    long hash = 0xcbf29ce484222325L ^ protocol;
    for (int i = Math.min(start, length); i < length; i++) {
      hash = (hash ^ (frame[i] & 0xff)) * 0x100000001b3L;
    }
    return hash;
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  /**
   * One frame's fate.
   *
   * @param drop the frame is lost
   * @param duplicate a second copy follows it
   * @param delayNanos how long it is held
   * @param corruptAt where in the frame a bit flips, as a fraction of its length; negative: none
   */
  record Fate(boolean drop, boolean duplicate, long delayNanos, double corruptAt) {}
}
