package dev.netns.junit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What to do to packets leaving one end of a link: a bandwidth limit, latency, jitter, loss,
 * duplication, reordering, corruption. Immutable; each method returns a changed copy.
 *
 * <p>A bandwidth limit alone uses the kernel's token bucket (TBF), present on nearly every kernel.
 * Anything else needs the kernel's {@code netem} qdisc; where it is missing, applying such an
 * impairment skips the test with the reason (or fails it under {@code netns.require=true}).
 *
 * <pre>{@code
 * try (Fault slow = network.link("a", "b").impair("a", Impairment.rate(8_000_000))) { ... }
 * Impairment wan = Impairment.none().delay(Duration.ofMillis(50)).loss(1.0);
 * }</pre>
 */
public final class Impairment {
  private final long bitsPerSecond;
  private final Duration delay;
  private final Duration jitter;
  private final double lossPercent;
  private final double duplicatePercent;
  private final double reorderPercent;
  private final double corruptPercent;
  private final double burstStartPercent;
  private final double burstEndPercent;
  private final boolean normalJitter;
  private final Long seed;
  private final Path path;

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

  private Impairment(
      long bitsPerSecond,
      Duration delay,
      Duration jitter,
      double lossPercent,
      double duplicatePercent,
      double reorderPercent,
      double corruptPercent) {
    this(
        bitsPerSecond,
        delay,
        jitter,
        lossPercent,
        duplicatePercent,
        reorderPercent,
        corruptPercent,
        0,
        0,
        false,
        null,
        Path.AUTO);
  }

  private Impairment(
      long bitsPerSecond,
      Duration delay,
      Duration jitter,
      double lossPercent,
      double duplicatePercent,
      double reorderPercent,
      double corruptPercent,
      double burstStartPercent,
      double burstEndPercent,
      boolean normalJitter,
      Long seed,
      Path path) {
    this.burstStartPercent = burstStartPercent;
    this.burstEndPercent = burstEndPercent;
    this.normalJitter = normalJitter;
    this.seed = seed;
    this.path = path;
    this.bitsPerSecond = bitsPerSecond;
    this.delay = delay;
    this.jitter = jitter;
    this.lossPercent = lossPercent;
    this.duplicatePercent = duplicatePercent;
    this.reorderPercent = reorderPercent;
    this.corruptPercent = corruptPercent;
  }

  /** No impairment; the start for building one. */
  public static Impairment none() {
    return new Impairment(0, Duration.ZERO, Duration.ZERO, 0, 0, 0, 0);
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
    return new Impairment(
        bitsPerSecond,
        delay,
        jitter,
        lossPercent,
        duplicatePercent,
        reorderPercent,
        corruptPercent,
        burstStartPercent,
        burstEndPercent,
        normalJitter,
        seed,
        path);
  }

  /** This impairment with added latency. */
  public Impairment delay(Duration latency) {
    requireNonNegative("delay", latency);
    return new Impairment(
        bitsPerSecond,
        latency,
        jitter,
        lossPercent,
        duplicatePercent,
        reorderPercent,
        corruptPercent,
        burstStartPercent,
        burstEndPercent,
        normalJitter,
        seed,
        path);
  }

  /** This impairment with random variation of the latency. */
  public Impairment jitter(Duration variation) {
    requireNonNegative("jitter", variation);
    return new Impairment(
        bitsPerSecond,
        delay,
        variation,
        lossPercent,
        duplicatePercent,
        reorderPercent,
        corruptPercent,
        burstStartPercent,
        burstEndPercent,
        normalJitter,
        seed,
        path);
  }

  /** This impairment dropping {@code percent} of packets. */
  public Impairment loss(double percent) {
    return new Impairment(
        bitsPerSecond,
        delay,
        jitter,
        percent("loss", percent),
        duplicatePercent,
        reorderPercent,
        corruptPercent,
        burstStartPercent,
        burstEndPercent,
        normalJitter,
        seed,
        path);
  }

  /** This impairment sending {@code percent} of packets twice. */
  public Impairment duplicate(double percent) {
    return new Impairment(
        bitsPerSecond,
        delay,
        jitter,
        lossPercent,
        percent("duplicate", percent),
        reorderPercent,
        corruptPercent,
        burstStartPercent,
        burstEndPercent,
        normalJitter,
        seed,
        path);
  }

  /** This impairment sending {@code percent} of packets ahead of delayed ones (needs a delay). */
  public Impairment reorder(double percent) {
    return new Impairment(
        bitsPerSecond,
        delay,
        jitter,
        lossPercent,
        duplicatePercent,
        percent("reorder", percent),
        corruptPercent,
        burstStartPercent,
        burstEndPercent,
        normalJitter,
        seed,
        path);
  }

  /** This impairment flipping a bit in {@code percent} of packets. */
  public Impairment corrupt(double percent) {
    return new Impairment(
        bitsPerSecond,
        delay,
        jitter,
        lossPercent,
        duplicatePercent,
        reorderPercent,
        percent("corrupt", percent),
        burstStartPercent,
        burstEndPercent,
        normalJitter,
        seed,
        path);
  }

  /**
   * This impairment with bursty loss (the Gilbert model): each frame starts a burst with {@code
   * startPercent} chance, a burst ends with {@code endPercent} chance per frame, and every frame in
   * a burst is lost. Userspace path only.
   */
  public Impairment lossBursts(double startPercent, double endPercent) {
    return copy(
        percent("burst start", startPercent),
        percent("burst end", endPercent),
        normalJitter,
        seed,
        path);
  }

  /** This impairment with normally distributed jitter (standard deviation = the jitter). */
  public Impairment normalJitter() {
    return copy(burstStartPercent, burstEndPercent, true, seed, path);
  }

  /**
   * This impairment with every decision (which frames drop, duplicate, overtake, how long each
   * waits) drawn from {@code seed}: the same traffic meets the same fate in every run. Asks for the
   * userspace path.
   */
  public Impairment seed(long seed) {
    return copy(burstStartPercent, burstEndPercent, normalJitter, seed, path);
  }

  /** This impairment carried out by {@code path}. */
  public Impairment path(Path path) {
    return copy(burstStartPercent, burstEndPercent, normalJitter, seed, path);
  }

  private Impairment copy(
      double burstStart, double burstEnd, boolean normal, Long newSeed, Path newPath) {
    return new Impairment(
        bitsPerSecond,
        delay,
        jitter,
        lossPercent,
        duplicatePercent,
        reorderPercent,
        corruptPercent,
        burstStart,
        burstEnd,
        normal,
        newSeed,
        newPath);
  }

  public double burstStartPercent() {
    return burstStartPercent;
  }

  public double burstEndPercent() {
    return burstEndPercent;
  }

  public boolean isNormalJitter() {
    return normalJitter;
  }

  /** The seed asked for, if any. */
  public java.util.Optional<Long> seedValue() {
    return java.util.Optional.ofNullable(seed);
  }

  public Path path() {
    return path;
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

  public double lossPercent() {
    return lossPercent;
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

  private static void requireNonNegative(String what, Duration duration) {
    if (duration.isNegative()) {
      throw new IllegalArgumentException(what + " must not be negative, not " + duration);
    }
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
      parts.add("jitter " + jitter.toMillis() + " ms");
    }
    if (lossPercent > 0) {
      parts.add("loss " + lossPercent + " %");
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
    if (burstStartPercent > 0) {
      parts.add("loss bursts " + burstStartPercent + "/" + burstEndPercent + " %");
    }
    return parts.isEmpty() ? "none" : String.join(", ", parts);
  }
}
