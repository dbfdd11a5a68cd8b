package dev.netns.kernel;

import dev.netns.netlink.Rtnetlink;

/** Route types that refuse traffic instead of forwarding it, as {@code ip route} names them. */
public enum RouteType {
  /** Packets are dropped silently. */
  BLACKHOLE(Rtnetlink.RTN_BLACKHOLE),
  /** Packets are refused; senders get EHOSTUNREACH (ICMP host unreachable). */
  UNREACHABLE(Rtnetlink.RTN_UNREACHABLE),
  /** Packets are refused; senders get EACCES (ICMP administratively prohibited). */
  PROHIBIT(Rtnetlink.RTN_PROHIBIT);

  private final int rtnType;

  RouteType(int rtnType) {
    this.rtnType = rtnType;
  }

  /** The kernel's {@code RTN_*} value. */
  public int rtnType() {
    return rtnType;
  }
}
