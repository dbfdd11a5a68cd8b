package dev.netns.topology;

import dev.netns.kernel.Cidr;

/**
 * The IPv6 link-local addresses of a network with IPv6: each interface of a host or router gets
 * {@code fe80::N/64}, numbered in the order asked for, so no two of the network's interfaces share
 * one, on a link or on a LAN. The kernel generates none in such a network (its own would appear a
 * moment after a link comes up, from a work queue, so a test could start before them); these are
 * added with the declared addresses, present when the test starts.
 *
 * <pre>{@code
 * LinkLocals linkLocals = new LinkLocals();
 * linkLocals.next(); // fe80::1/64
 * linkLocals.next(); // fe80::2/64
 * }</pre>
 */
final class LinkLocals {

  private static final Cidr PREFIX = Cidr.parse("fe80::/64");

  /** The least MTU a link carries IPv6 at (the kernel's IPV6_MIN_MTU); below it, none. */
  static final int IPV6_MIN_MTU = 1280;

  private long next = 1;

  /**
   * Whether a link of MTU {@code mtu} (0: the kernel's default) carries IPv6, so can take a
   * link-local address: the kernel takes IPv6 off a link below {@link #IPV6_MIN_MTU}.
   */
  static boolean carriesIpv6(int mtu) {
    return mtu == 0 || mtu >= IPV6_MIN_MTU;
  }

  /** The next interface's link-local address. */
  Cidr next() {
    return new Cidr(PREFIX.host(next++), PREFIX.prefixLength());
  }
}
