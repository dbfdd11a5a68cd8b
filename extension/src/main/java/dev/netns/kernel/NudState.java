package dev.netns.kernel;

import dev.netns.netlink.Rtnetlink;

/**
 * The state of a neighbour entry, the kernel's {@code NUD_*} value.
 *
 * <p>Upper layers see this type rather than the bits, so that they need not read netlink headers.
 * The kernel reports one state per entry; a value with several bits or none named is {@link
 * #OTHER}.
 */
public enum NudState {
  /** {@code NUD_NONE}: no state yet. */
  NONE(Rtnetlink.NUD_NONE),
  /** {@code NUD_INCOMPLETE}: resolution under way. */
  INCOMPLETE(Rtnetlink.NUD_INCOMPLETE),
  /** {@code NUD_REACHABLE}: confirmed recently. */
  REACHABLE(Rtnetlink.NUD_REACHABLE),
  /** {@code NUD_STALE}: usable, not confirmed recently. */
  STALE(Rtnetlink.NUD_STALE),
  /** {@code NUD_DELAY}: waiting before probing. */
  DELAY(Rtnetlink.NUD_DELAY),
  /** {@code NUD_PROBE}: probing. */
  PROBE(Rtnetlink.NUD_PROBE),
  /** {@code NUD_FAILED}: resolution failed. */
  FAILED(Rtnetlink.NUD_FAILED),
  /** {@code NUD_NOARP}: needs no resolution. */
  NOARP(Rtnetlink.NUD_NOARP),
  /** {@code NUD_PERMANENT}: set by an administrator. */
  PERMANENT(Rtnetlink.NUD_PERMANENT),
  /** A value that is not one of the states above. */
  OTHER(-1);

  private final int value;

  NudState(int value) {
    this.value = value;
  }

  /** The state of a kernel value; {@link #OTHER} for one not named above. */
  public static NudState of(int value) {
    for (NudState state : values()) {
      if (state.value == value) {
        return state;
      }
    }
    return OTHER;
  }
}
