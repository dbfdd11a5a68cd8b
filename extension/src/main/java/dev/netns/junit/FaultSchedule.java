package dev.netns.junit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Faults over time, drawn from a seed: a quiet interval, a fault of a kind drawn by weight for a
 * duration, healed, another interval, and so on, one fault at a time. Start it on a test's network
 * with {@link Network#nemesis(FaultSchedule)}, which runs it in the background until closed (or
 * until the test ends) and heals what it applied.
 *
 * <p>What it does, to whom and when (from its start) is a pure function of the seed and the
 * declared network: hosts, LANs and links are drawn from lists sorted by name. {@link #plan} gives
 * that sequence without applying anything.
 *
 * <pre>{@code
 * FaultSchedule schedule = FaultSchedule.builder()
 *     .add(FaultKind.randomHalves(), 2)           // twice as often as each other kind
 *     .add(FaultKind.isolate("the leader", cluster::leader))
 *     .add(FaultKind.majoritiesRing())
 *     .interval(Duration.ofMillis(200), Duration.ofMillis(800))
 *     .duration(Duration.ofMillis(500), Duration.ofSeconds(2))
 *     .recordInto(history)
 *     .build();
 * try (Nemesis nemesis = network.nemesis(schedule)) {   // seed: netns.seed, or drawn
 *   runWorkload(Duration.ofSeconds(10));
 * }                                                      // stopped and healed
 * }</pre>
 */
public final class FaultSchedule {
  private final List<FaultKind> kinds;
  private final List<Integer> weights;
  private final List<String> hosts;
  private final Duration intervalMin;
  private final Duration intervalMax;
  private final Duration durationMin;
  private final Duration durationMax;
  private final long limit;
  private final History history;

  private FaultSchedule(Builder b) {
    this.kinds = List.copyOf(b.kinds);
    this.weights = List.copyOf(b.weights);
    this.hosts = List.copyOf(b.hosts);
    this.intervalMin = b.intervalMin;
    this.intervalMax = b.intervalMax;
    this.durationMin = b.durationMin;
    this.durationMax = b.durationMax;
    this.limit = b.limit;
    this.history = b.history;
  }

  /** A builder; add at least one kind. */
  public static Builder builder() {
    return new Builder();
  }

  /** The history the faults are recorded into, if any. */
  public Optional<History> history() {
    return Optional.ofNullable(history);
  }

  /**
   * The faults this schedule applies on {@code network} with {@code seed}, in order, without
   * applying any: endless unless the schedule has a {@link Builder#limit}. Take what you need:
   * {@code plan(seed, network).limit(10)}, or {@code .takeWhile(f ->
   * f.start().compareTo(Duration.ofSeconds(30)) < 0)}.
   *
   * @throws IllegalArgumentException before anything is drawn, when the schedule names a host the
   *     network does not declare, or a kind cannot run on the network (too few hosts, no LAN port
   *     or link to flap or impair)
   */
  public Stream<ScheduledFault> plan(long seed, Network network) {
    Objects.requireNonNull(network, "network");
    PlanTargets targets = PlanTargets.of(network, hosts);
    for (FaultKind kind : kinds) {
      String problem = kind.problemWith(targets);
      if (problem != null) {
        throw new IllegalArgumentException("fault schedule: " + problem);
      }
    }
    Iterator<ScheduledFault> planned = new Planned(seed, targets);
    return StreamSupport.stream(
        Spliterators.spliteratorUnknownSize(
            planned, Spliterator.ORDERED | Spliterator.NONNULL | Spliterator.IMMUTABLE),
        false);
  }

  /** Draws slot after slot from one random sequence. */
  private final class Planned implements Iterator<ScheduledFault> {
    private final SplittableRandom random;
    private final PlanTargets targets;
    private final List<ScheduledFault> ready = new ArrayList<>();
    private long slotEndMillis;
    private int index;

    Planned(long seed, PlanTargets targets) {
      this.random = new SplittableRandom(seed);
      this.targets = targets;
    }

    @Override
    public boolean hasNext() {
      if (ready.isEmpty() && index < limit) {
        drawSlot();
      }
      return !ready.isEmpty();
    }

    @Override
    public ScheduledFault next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      return ready.remove(0);
    }

    private void drawSlot() {
      long start = slotEndMillis + between(intervalMin, intervalMax);
      FaultKind kind = kinds.get(drawKind());
      long length = between(durationMin, durationMax);
      List<FaultKind.Draft> drafts = kind.plan(random.split(), targets, length);
      for (FaultKind.Draft d : drafts) {
        if (index >= limit) {
          break;
        }
        ready.add(
            new ScheduledFault(
                index++,
                kind.name(),
                d.description(),
                d.targets(),
                Duration.ofMillis(start + d.offsetMillis()),
                Duration.ofMillis(d.lengthMillis()),
                random.nextLong(),
                d.applier()));
      }
      slotEndMillis = start + length;
    }

    private int drawKind() {
      int total = weights.stream().mapToInt(Integer::intValue).sum();
      int draw = random.nextInt(total);
      for (int i = 0; i < weights.size(); i++) {
        draw -= weights.get(i);
        if (draw < 0) {
          return i;
        }
      }
      throw new AssertionError("weights sum to " + total);
    }

    private long between(Duration min, Duration max) {
      return min.toMillis() + random.nextLong(max.toMillis() - min.toMillis() + 1);
    }
  }

  /**
   * Builds a {@link FaultSchedule}; every call checks its arguments at once.
   *
   * <pre>{@code
   * FaultSchedule.builder().add(FaultKind.oneWayCut()).limit(5).build();
   * }</pre>
   */
  public static final class Builder {
    private final List<FaultKind> kinds = new ArrayList<>();
    private final List<Integer> weights = new ArrayList<>();
    private final Set<String> hosts = new LinkedHashSet<>();
    private Duration intervalMin = Duration.ofMillis(500);
    private Duration intervalMax = Duration.ofSeconds(2);
    private Duration durationMin = Duration.ofSeconds(1);
    private Duration durationMax = Duration.ofSeconds(3);
    private long limit = Long.MAX_VALUE;
    private History history;

    private Builder() {}

    /** Adds a kind with weight 1. */
    public Builder add(FaultKind kind) {
      return add(kind, 1);
    }

    /** Adds a kind drawn {@code weight} times as often as a kind of weight 1. */
    public Builder add(FaultKind kind, int weight) {
      Objects.requireNonNull(kind, "kind");
      if (weight <= 0) {
        throw new IllegalArgumentException(
            "FaultSchedule.add: the weight of " + kind.name() + " must be positive, not " + weight);
      }
      kinds.add(kind);
      weights.add(weight);
      return this;
    }

    /**
     * Faults only these hosts (every declared namespace if never called); a host not declared is
     * refused when the schedule is planned or started.
     */
    public Builder hosts(String... names) {
      if (names.length == 0) {
        throw new IllegalArgumentException("FaultSchedule.hosts: no hosts given");
      }
      for (String name : names) {
        Objects.requireNonNull(name, "host");
        if (!hosts.add(name)) {
          throw new IllegalArgumentException("FaultSchedule.hosts: '" + name + "' given twice");
        }
      }
      return this;
    }

    /**
     * The quiet time before each fault, drawn uniformly (to the millisecond) between {@code min}
     * and {@code max}; zero allowed. Default: 500 ms to 2 s.
     */
    public Builder interval(Duration min, Duration max) {
      check("interval", min, max, false);
      intervalMin = min;
      intervalMax = max;
      return this;
    }

    /**
     * How long each fault stays in force, drawn uniformly (to the millisecond) between {@code min}
     * and {@code max}, at least 1 ms. Default: 1 s to 3 s.
     */
    public Builder duration(Duration min, Duration max) {
      check("duration", min, max, true);
      durationMin = min;
      durationMax = max;
      return this;
    }

    /** Stops after {@code faults} faults (each flap of a link flap counts as one). */
    public Builder limit(long faults) {
      if (faults <= 0) {
        throw new IllegalArgumentException(
            "FaultSchedule.limit: the number of faults must be positive, not " + faults);
      }
      limit = faults;
      return this;
    }

    /**
     * Records each fault applied (and each heal) into {@code history}, with the clients'
     * operations.
     */
    public Builder recordInto(History history) {
      this.history = Objects.requireNonNull(history, "history");
      return this;
    }

    /** The schedule. */
    public FaultSchedule build() {
      if (kinds.isEmpty()) {
        throw new IllegalArgumentException(
            "FaultSchedule.build: no fault kinds; add at least one with add(FaultKind)");
      }
      return new FaultSchedule(this);
    }

    private static void check(String what, Duration min, Duration max, boolean positive) {
      Objects.requireNonNull(min, what + " min");
      Objects.requireNonNull(max, what + " max");
      String call = "FaultSchedule." + what;
      if (positive) {
        FaultKind.positiveMillis(call, "shortest " + what, min);
      } else if (min.isNegative()) {
        throw new IllegalArgumentException(
            call + ": the shortest " + what + " must not be negative, not " + FaultKind.show(min));
      }
      if (max.compareTo(min) < 0) {
        throw new IllegalArgumentException(
            call
                + ": the longest "
                + what
                + " ("
                + FaultKind.show(max)
                + ") is shorter than the shortest ("
                + FaultKind.show(min)
                + ")");
      }
    }
  }
}
