package dev.netns.topology;

/** What a sender sees when a partition or a cut drops its packets. */
public enum DropMode {
  /**
   * Packets vanish: routes to a bridge with no ports. Senders see timeouts, as in a real partition.
   */
  SILENT,
  /** Packets are refused by the sender's own kernel: {@code unreachable} routes, EHOSTUNREACH. */
  REJECTING;

  /** As fault descriptions say it: {@code silent} or {@code rejecting}. */
  String word() {
    return this == SILENT ? "silent" : "rejecting";
  }
}
