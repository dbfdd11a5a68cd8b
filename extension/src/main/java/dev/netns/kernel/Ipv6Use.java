package dev.netns.kernel;

/**
 * Whether the links later made in a new namespace will carry IPv6 addresses, which decides how the
 * namespace is tuned as it is made.
 *
 * <pre>{@code
 * NetworkNamespace.createAll(List.of("a", "b"), Set.of(), Ipv6Use.NONE);
 * }</pre>
 */
public enum Ipv6Use {
  /**
   * Some link gets an IPv6 address: addresses usable at once (no duplicate address detection, which
   * could only find the test's own addresses) and kept while a link is down, as IPv4 ones are.
   */
  ADDRESSED,

  /**
   * No link gets an IPv6 address: IPv6 off on every link made later, so that links carry no
   * link-local addresses and none of the neighbour discovery and multicast listener chatter that
   * comes with them. On a LAN each host's chatter is flooded to every other host, a few frames a
   * host in its first seconds, so that a LAN of n hosts delivers some n² frames before a test sends
   * any: millions for a thousand hosts. Loopback keeps {@code ::1}.
   */
  NONE
}
