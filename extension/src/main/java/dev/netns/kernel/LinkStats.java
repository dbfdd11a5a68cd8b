package dev.netns.kernel;

/** Per-link counters from {@code IFLA_STATS64}. */
public record LinkStats(
    long rxPackets,
    long txPackets,
    long rxBytes,
    long txBytes,
    long rxErrors,
    long txErrors,
    long rxDropped,
    long txDropped) {
  static final LinkStats NONE = new LinkStats(0, 0, 0, 0, 0, 0, 0, 0);
}
