package dev.netns.junit;

/**
 * The state of a neighbour table entry, as {@code ip neigh} prints it ({@code NUD_*}).
 *
 * <p>The usual life of an entry: {@link #INCOMPLETE} while the first ARP or neighbour solicitation
 * is unanswered, {@link #REACHABLE} once answered, {@link #STALE} after a while without
 * confirmation, {@link #FAILED} when resolution gave up.
 */
public enum NeighbourState {
  /** No state ({@code NUD_NONE}). */
  NONE,
  /** Resolution is under way. */
  INCOMPLETE,
  /** Resolved and recently confirmed. */
  REACHABLE,
  /** Resolved, but not confirmed for a while; still used. */
  STALE,
  /** Used while stale; confirmation awaited before probing. */
  DELAY,
  /** Being probed again. */
  PROBE,
  /** Resolution failed: senders to it get EHOSTUNREACH. */
  FAILED,
  /** No resolution needed (point-to-point, loopback). */
  NOARP,
  /** Added by hand, never expires. */
  PERMANENT,
  /** Several or unknown state bits. */
  OTHER
}
