package dev.netns.junit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * What to do to packets leaving one end of a link: a bandwidth limit, latency, jitter, loss,
 * duplication, reordering, corruption. A value: start from {@link #none()} and change one part at a
 * time with the {@code with...} methods, each of which returns a changed copy.
 *
 * <p>A bandwidth limit alone uses the kernel's token bucket (TBF), present on nearly every kernel.
 * Anything else takes the kernel's {@code netem} qdisc or, without it, the userspace path of LAN
 * ports and {@code impairable} links; a seed, loss bursts and normal jitter always take the
 * userspace path. Where no path can carry an impairment, applying it skips the test with the reason
 * (or fails it under {@code netns.require=true}).
 *
 * <pre>{@code
 * try (Fault slow = network.link("a", "b").impair("a", Impairment.none().withRate(8_000_000))) { ... }
 * Impairment wan = Impairment.none().withDelay(Duration.ofMillis(50)).withLoss(1.0);
 * }</pre>
 *
 * @param rate the bandwidth limit in bits per second, 0 for none
 * @param delay the added latency
 * @param jitter the random variation of the latency
 * @param jitterDistribution how the variation is drawn
 * @param loss the percentage of packets dropped, 0..100
 * @param lossBursts bursty loss on top of {@code loss} (userspace path only)
 * @param duplicate the percentage of packets sent twice, 0..100
 * @param reorder the percentage of packets sent ahead of delayed ones, 0..100 (needs a delay)
 * @param corrupt the percentage of packets with a bit flipped, 0..100
 * @param seed the seed of every random decision, if fixed (userspace path only)
 * @param path which implementation carries the impairment out
 */
public record Impairment(
    long rate,
    Duration delay,
    Duration jitter,
    JitterDistribution jitterDistribution,
    double loss,
    LossBursts lossBursts,
    double duplicate,
    double reorder,
    double corrupt,
    OptionalLong seed,
    Path path) {

  private static final Impairment NONE =
      new Impairment(
          0,
          Duration.ZERO,
          Duration.ZERO,
          JitterDistribution.UNIFORM,
          0,
          LossBursts.NONE,
          0,
          0,
          0,
          OptionalLong.empty(),
          Path.AUTO);

  /** Which implementation carries an impairment out. */
  public enum Path {
    /**
     * The kernel's qdiscs where they can (TBF for a rate alone, netem where present) unless a seed,
     * loss bursts or normal jitter are asked for; the userspace forwarder otherwise.
     */
    AUTO,
    /** The kernel only: TBF, netem. */
    KERNEL,
    /** The userspace forwarder only (an impairable link), replayable from its seed. */
    USERSPACE
  }

  /** How the latency varies around its mean. */
  public enum JitterDistribution {
    /** Uniform in ±jitter (what netem does by default). */
    UNIFORM,
    /** Normally distributed, the jitter being the standard deviation (userspace path only). */
    NORMAL
  }

  /**
   * Bursty loss (the Gilbert model): each frame starts a burst with {@code startPercent} chance, a
   * burst ends with {@code endPercent} chance per frame, and every frame in a burst is lost.
   *
   * @param startPercent the chance, 0..100, that a frame starts a burst; 0 for no bursts
   * @param endPercent the chance, 0..100, that a burst ends at each frame
   */
  public record LossBursts(double startPercent, double endPercent) {
    /** No bursts. */
    public static final LossBursts NONE = new LossBursts(0, 0);

    public LossBursts {
      percent("burst start", startPercent);
      percent("burst end", endPercent);
    }
  }

  /** Checks every part; the {@code with...} methods are the usual way to make one. */
  public Impairment {
    if (rate < 0) {
      throw new IllegalArgumentException("rate must not be negative, not " + rate + " bit/s");
    }
    nonNegative("delay", delay);
    nonNegative("jitter", jitter);
    Objects.requireNonNull(jitterDistribution, "jitterDistribution");
    percent("loss", loss);
    Objects.requireNonNull(lossBursts, "lossBursts");
    percent("duplicate", duplicate);
    percent("reorder", reorder);
    percent("corrupt", corrupt);
    Objects.requireNonNull(seed, "seed");
    Objects.requireNonNull(path, "path");
  }

  /** No impairment; the start for building one. */
  public static Impairment none() {
    return NONE;
  }

  /** This impairment with a bandwidth limit of {@code bitsPerSecond}, more than 0. */
  public Impairment withRate(long bitsPerSecond) {
    if (bitsPerSecond <= 0) {
      throw new IllegalArgumentException("rate must be positive, not " + bitsPerSecond + " bit/s");
    }
    return new Impairment(
        bitsPerSecond,
        delay,
        jitter,
        jitterDistribution,
        loss,
        lossBursts,
        duplicate,
        reorder,
        corrupt,
        seed,
        path);
  }

  /** This impairment with added latency. */
  public Impairment withDelay(Duration latency) {
    return new Impairment(
        rate,
        latency,
        jitter,
        jitterDistribution,
        loss,
        lossBursts,
        duplicate,
        reorder,
        corrupt,
        seed,
        path);
  }

  /** This impairment with random variation of the latency (uniform in ±variation by default). */
  public Impairment withJitter(Duration variation) {
    return new Impairment(
        rate,
        delay,
        variation,
        jitterDistribution,
        loss,
        lossBursts,
        duplicate,
        reorder,
        corrupt,
        seed,
        path);
  }

  /** This impairment with the jitter drawn from {@code distribution}. */
  public Impairment withJitterDistribution(JitterDistribution distribution) {
    return new Impairment(
        rate,
        delay,
        jitter,
        distribution,
        loss,
        lossBursts,
        duplicate,
        reorder,
        corrupt,
        seed,
        path);
  }

  /** This impairment dropping {@code percent} of packets. */
  public Impairment withLoss(double percent) {
    return new Impairment(
        rate,
        delay,
        jitter,
        jitterDistribution,
        percent,
        lossBursts,
        duplicate,
        reorder,
        corrupt,
        seed,
        path);
  }

  /**
   * This impairment with bursty loss (the Gilbert model, see {@link LossBursts}). Userspace path
   * only.
   */
  public Impairment withLossBursts(double startPercent, double endPercent) {
    return new Impairment(
        rate,
        delay,
        jitter,
        jitterDistribution,
        loss,
        new LossBursts(startPercent, endPercent),
        duplicate,
        reorder,
        corrupt,
        seed,
        path);
  }

  /** This impairment sending {@code percent} of packets twice. */
  public Impairment withDuplicate(double percent) {
    return new Impairment(
        rate,
        delay,
        jitter,
        jitterDistribution,
        loss,
        lossBursts,
        percent,
        reorder,
        corrupt,
        seed,
        path);
  }

  /** This impairment sending {@code percent} of packets ahead of delayed ones (needs a delay). */
  public Impairment withReorder(double percent) {
    return new Impairment(
        rate,
        delay,
        jitter,
        jitterDistribution,
        loss,
        lossBursts,
        duplicate,
        percent,
        corrupt,
        seed,
        path);
  }

  /** This impairment flipping a bit in {@code percent} of packets. */
  public Impairment withCorrupt(double percent) {
    return new Impairment(
        rate,
        delay,
        jitter,
        jitterDistribution,
        loss,
        lossBursts,
        duplicate,
        reorder,
        percent,
        seed,
        path);
  }

  /**
   * This impairment with every decision (which frames drop, duplicate, overtake, how long each
   * waits) drawn from {@code seed}: the same traffic meets the same fate in every run. Asks for the
   * userspace path.
   */
  public Impairment withSeed(long seed) {
    return new Impairment(
        rate,
        delay,
        jitter,
        jitterDistribution,
        loss,
        lossBursts,
        duplicate,
        reorder,
        corrupt,
        OptionalLong.of(seed),
        path);
  }

  /** This impairment carried out by {@code path}. */
  public Impairment withPath(Path path) {
    return new Impairment(
        rate,
        delay,
        jitter,
        jitterDistribution,
        loss,
        lossBursts,
        duplicate,
        reorder,
        corrupt,
        seed,
        path);
  }

  /** True when nothing but a bandwidth limit (or nothing at all) is asked for. */
  public boolean isRateOnly() {
    return delay.isZero()
        && jitter.isZero()
        && lossBursts.startPercent() == 0
        && loss == 0
        && duplicate == 0
        && reorder == 0
        && corrupt == 0;
  }

  /** True when only the userspace path can carry this out: a seed, loss bursts, normal jitter. */
  public boolean needsUserspace() {
    return seed.isPresent()
        || lossBursts.startPercent() > 0
        || jitterDistribution == JitterDistribution.NORMAL;
  }

  private static void percent(String what, double percent) {
    if (percent < 0 || percent > 100 || Double.isNaN(percent)) {
      throw new IllegalArgumentException(what + " must be a percentage 0..100, not " + percent);
    }
  }

  private static void nonNegative(String what, Duration duration) {
    Objects.requireNonNull(duration, what);
    if (duration.isNegative()) {
      throw new IllegalArgumentException(what + " must not be negative, not " + duration);
    }
  }

  /** What is asked for, as failure messages and reports show it, for example "delay 50 ms". */
  @Override
  public String toString() {
    List<String> parts = new ArrayList<>();
    if (rate > 0) {
      parts.add("rate " + rate + " bit/s");
    }
    if (!delay.isZero()) {
      parts.add("delay " + delay.toMillis() + " ms");
    }
    if (!jitter.isZero()) {
      parts.add(
          "jitter "
              + jitter.toMillis()
              + " ms"
              + (jitterDistribution == JitterDistribution.NORMAL ? " (normal)" : ""));
    }
    if (loss > 0) {
      parts.add("loss " + loss + " %");
    }
    if (lossBursts.startPercent() > 0) {
      parts.add("loss bursts " + lossBursts.startPercent() + "/" + lossBursts.endPercent() + " %");
    }
    if (duplicate > 0) {
      parts.add("duplicate " + duplicate + " %");
    }
    if (reorder > 0) {
      parts.add("reorder " + reorder + " %");
    }
    if (corrupt > 0) {
      parts.add("corrupt " + corrupt + " %");
    }
    return parts.isEmpty() ? "none" : String.join(", ", parts);
  }
}
