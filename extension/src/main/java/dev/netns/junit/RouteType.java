package dev.netns.junit;

/** What a route does with the packets it matches, as {@code ip route} names it ({@code RTN_*}). */
public enum RouteType {
  /** A gateway or a direct route: packets are forwarded (what {@code ip route} does not print). */
  UNICAST,
  /** The destination is this host (local table). */
  LOCAL,
  /** A broadcast address, sent as broadcast (local table). */
  BROADCAST,
  /** A local anycast address (local table). */
  ANYCAST,
  /** A multicast route. */
  MULTICAST,
  /** Packets are dropped silently. */
  BLACKHOLE,
  /** Packets are refused; senders get EHOSTUNREACH (ICMP host unreachable). */
  UNREACHABLE,
  /** Packets are refused; senders get EACCES (ICMP administratively prohibited). */
  PROHIBIT,
  /** The lookup continues in the next table of the policy rules. */
  THROW,
  /** A type this library does not name ({@code RTN_UNSPEC}, {@code RTN_NAT}...). */
  OTHER
}
