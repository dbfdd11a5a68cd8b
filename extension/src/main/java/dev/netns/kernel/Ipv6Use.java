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
   * No link gets an IPv6 address: the namespace is left as the kernel makes it, untouched (a first
   * look into its {@code /proc/sys} costs some 50 us). Links where IPv6's own chatter would do
   * harm, a LAN's, are made quiet one by one ({@link Changes#setNoIpv6Addresses}).
   */
  NONE
}
