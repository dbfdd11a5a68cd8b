package dev.netns.kernel;

/**
 * A qdisc's counters, as {@code tc -s qdisc show} prints them ({@code TCA_STATS2}: {@code
 * TCA_STATS_BASIC} and {@code TCA_STATS_QUEUE}).
 *
 * @param packets packets it sent
 * @param drops packets it dropped (a full queue, netem's loss)
 * @param overlimits times it held packets back because of its limit (a token bucket out of tokens)
 */
public record QdiscStats(long packets, long drops, long overlimits) {
  /** No qdisc, or no counters. */
  public static final QdiscStats NONE = new QdiscStats(0, 0, 0);
}
