package dev.netns.junit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What to do to packets leaving one end of a link: a bandwidth limit, latency, jitter, loss,
 * duplication, reordering, corruption. Immutable; each method returns a changed copy.
 *
 * <p>A bandwidth limit alone uses the kernel's token bucket (TBF), present on nearly every kernel.
 * Anything else takes the kernel's {@code netem} qdisc or, without it, the userspace path of LAN
 * ports and {@code impairable} links; a seed, loss bursts and normal jitter always take the
 * userspace path. Where no path can carry an impairment, applying it skips the test with the reason
 * (or fails it under {@code netns.require=true}).
 *
 * <pre>{@code
 * try (Fault slow = network.link("a", "b").impair("a", Impairment.rate(8_000_000))) { ... }
 * Impairment wan = Impairment.none().delay(Duration.ofMillis(50)).loss(1.0);
 * }</pre>
 */
public final class Impairment implements Cloneable {
  private long bitsPerSecond;
  private Duration delay = Duration.ZERO;
  private Duration jitter = Duration.ZERO;
  private double lossPercent;
  private double duplicatePercent;
  private double reorderPercent;
  private double corruptPercent;
  private double burstStartPercent;
  private double burstEndPercent;
  private boolean normalJitter;
  private Long seed;
  private Path path = Path.AUTO;

  /** Which implementation carries an impairment out. */
  public enum Path {
    /**
     * The kernel's qdiscs where they can (TBF for a rate alone, netem where present) unless a seed
     * is asked for; the userspace forwarder otherwise.
     */
    AUTO,
    /** The kernel only: TBF, netem. */
    KERNEL,
    /** The userspace forwarder only (an impairable link), replayable from its seed. */
    USERSPACE
  }

  private Impairment() {}

  /** No impairment; the start for building one. */
  public static Impairment none() {
    return new Impairment();
  }

  /** A bandwidth limit of {@code bitsPerSecond}. */
  public static Impairment rate(long bitsPerSecond) {
    return none().withRate(bitsPerSecond);
  }

  /** This impairment with a bandwidth limit. */
  public Impairment withRate(long bitsPerSecond) {
    if (bitsPerSecond <= 0) {
      throw new IllegalArgumentException("rate must be positive, not " + bitsPerSecond + " bit/s");
    }
    Impairment copy = copy();
    copy.bitsPerSecond = bitsPerSecond;
    return copy;
  }

  /** This impairment with added latency. */
  public Impairment delay(Duration latency) {
    Impairment copy = copy();
    copy.delay = nonNegative("delay", latency);
    return copy;
  }

  /** This impairment with random variation of the latency (uniform in ±variation). */
  public Impairment jitter(Duration variation) {
    Impairment copy = copy();
    copy.jitter = nonNegative("jitter", variation);
    return copy;
  }

  /** This impairment with normally distributed jitter (standard deviation = the jitter). */
  public Impairment normalJitter() {
    Impairment copy = copy();
    copy.normalJitter = true;
    return copy;
  }

  /** This impairment dropping {@code percent} of packets. */
  public Impairment loss(double percent) {
    Impairment copy = copy();
    copy.lossPercent = percent("loss", percent);
    return copy;
  }

  /**
   * This impairment with bursty loss (the Gilbert model): each frame starts a burst with {@code
   * startPercent} chance, a burst ends with {@code endPercent} chance per frame, and every frame in
   * a burst is lost. Userspace path only.
   */
  public Impairment lossBursts(double startPercent, double endPercent) {
    Impairment copy = copy();
    copy.burstStartPercent = percent("burst start", startPercent);
    copy.burstEndPercent = percent("burst end", endPercent);
    return copy;
  }

  /** This impairment sending {@code percent} of packets twice. */
  public Impairment duplicate(double percent) {
    Impairment copy = copy();
    copy.duplicatePercent = percent("duplicate", percent);
    return copy;
  }

  /** This impairment sending {@code percent} of packets ahead of delayed ones (needs a delay). */
  public Impairment reorder(double percent) {
    Impairment copy = copy();
    copy.reorderPercent = percent("reorder", percent);
    return copy;
  }

  /** This impairment flipping a bit in {@code percent} of packets. */
  public Impairment corrupt(double percent) {
    Impairment copy = copy();
    copy.corruptPercent = percent("corrupt", percent);
    return copy;
  }

  /**
   * This impairment with every decision (which frames drop, duplicate, overtake, how long each
   * waits) drawn from {@code seed}: the same traffic meets the same fate in every run. Asks for the
   * userspace path.
   */
  public Impairment seed(long seed) {
    Impairment copy = copy();
    copy.seed = seed;
    return copy;
  }

  /** This impairment carried out by {@code path}. */
  public Impairment path(Path path) {
    Impairment copy = copy();
    copy.path = path;
    return copy;
  }

  private Impairment copy() {
    try {
      return (Impairment) clone();
    } catch (CloneNotSupportedException e) {
      throw new AssertionError(e);
    }
  }

  public long bitsPerSecond() {
    return bitsPerSecond;
  }

  public Duration delay() {
    return delay;
  }

  public Duration jitter() {
    return jitter;
  }

  public boolean isNormalJitter() {
    return normalJitter;
  }

  public double lossPercent() {
    return lossPercent;
  }

  public double burstStartPercent() {
    return burstStartPercent;
  }

  public double burstEndPercent() {
    return burstEndPercent;
  }

  public double duplicatePercent() {
    return duplicatePercent;
  }

  public double reorderPercent() {
    return reorderPercent;
  }

  public double corruptPercent() {
    return corruptPercent;
  }

  /** The seed asked for, if any. */
  public java.util.Optional<Long> seedValue() {
    return java.util.Optional.ofNullable(seed);
  }

  public Path path() {
    return path;
  }

  /** True when only a bandwidth limit is asked for (the token bucket is enough). */
  public boolean isRateOnly() {
    return delay.isZero()
        && jitter.isZero()
        && burstStartPercent == 0
        && lossPercent == 0
        && duplicatePercent == 0
        && reorderPercent == 0
        && corruptPercent == 0;
  }

  private static double percent(String what, double percent) {
    if (percent < 0 || percent > 100 || Double.isNaN(percent)) {
      throw new IllegalArgumentException(what + " must be a percentage 0..100, not " + percent);
    }
    return percent;
  }

  private static Duration nonNegative(String what, Duration duration) {
    if (duration.isNegative()) {
      throw new IllegalArgumentException(what + " must not be negative, not " + duration);
    }
    return duration;
  }

  @Override
  public String toString() {
    List<String> parts = new ArrayList<>();
    if (bitsPerSecond > 0) {
      parts.add("rate " + bitsPerSecond + " bit/s");
    }
    if (!delay.isZero()) {
      parts.add("delay " + delay.toMillis() + " ms");
    }
    if (!jitter.isZero()) {
      parts.add("jitter " + jitter.toMillis() + " ms" + (normalJitter ? " (normal)" : ""));
    }
    if (lossPercent > 0) {
      parts.add("loss " + lossPercent + " %");
    }
    if (burstStartPercent > 0) {
      parts.add("loss bursts " + burstStartPercent + "/" + burstEndPercent + " %");
    }
    if (duplicatePercent > 0) {
      parts.add("duplicate " + duplicatePercent + " %");
    }
    if (reorderPercent > 0) {
      parts.add("reorder " + reorderPercent + " %");
    }
    if (corruptPercent > 0) {
      parts.add("corrupt " + corruptPercent + " %");
    }
    return parts.isEmpty() ? "none" : String.join(", ", parts);
  }
}
