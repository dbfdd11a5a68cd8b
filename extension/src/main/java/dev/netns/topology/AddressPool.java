package dev.netns.topology;

import dev.netns.kernel.Cidr;
import java.util.List;

/** Hands out /30 blocks for point-to-point links declared without addresses. */
final class AddressPool {
  private final Cidr pool;
  private long next;

  private AddressPool(Cidr pool) {
    this.pool = pool;
  }

  static AddressPool parse(String text, List<String> problems) {
    try {
      Cidr pool = Cidr.parse(text);
      if (pool.isIpv6() || pool.prefixLength() > 30) {
        problems.add("address pool " + text + " must be an IPv4 block of /30 or larger");
        return null;
      }
      return new AddressPool(pool.network());
    } catch (IllegalArgumentException e) {
      problems.add("address pool " + e.getMessage());
      return null;
    }
  }

  /** The two addresses of the next /30, or null (with a problem) when the pool is used up. */
  Cidr[] nextPair(String origin, List<String> problems) {
    long blocks = 1L << (30 - pool.prefixLength());
    if (next >= blocks) {
      problems.add(origin + ": the address pool " + pool + " is used up; give the link addresses");
      return null;
    }
    long base = next++ * 4;
    return new Cidr[] {new Cidr(pool.host(base + 1), 30), new Cidr(pool.host(base + 2), 30)};
  }
}
