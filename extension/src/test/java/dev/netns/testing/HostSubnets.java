package dev.netns.testing;

/**
 * Names for {@code @ResourceLock} on tests that put the same subnet on the machine's own side. The
 * suite runs classes in parallel, and the library rightly refuses a host-side subnet that another
 * test holds at that moment; tests that share one take turns through these locks.
 */
public final class HostSubnets {
  /** 10.1.1.0/24 in blue and 192.168.1.176/24 on the machine: the seed scenario of the docs. */
  public static final String SEED_SCENARIO = "machine subnets 10.1.1.0/24 and 192.168.1.0/24";

  private HostSubnets() {}
}
