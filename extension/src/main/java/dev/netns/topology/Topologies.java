package dev.netns.topology;

/**
 * Ready-made shapes that people ask for, as builders to extend or build as they are.
 *
 * <pre>{@code
 * Topology cluster = Topologies.lan("lan", "10.0.0.0/24", 50).build();  // n1..n50 on one LAN
 * Topology line = Topologies.routerLine(20).build();                   // a - r1 - ... - r20 - b
 * }</pre>
 */
public final class Topologies {
  private Topologies() {}

  /** Hosts {@code n1}..{@code nN} on one LAN (a star around its switch), .1 upwards. */
  public static Topology.Builder lan(String name, String subnet, int hosts) {
    Topology.Builder builder = Topology.builder();
    String[] names = new String[hosts];
    for (int i = 0; i < hosts; i++) {
      names[i] = "n" + (i + 1);
      builder.host(names[i]);
    }
    return builder.lan(name, subnet, names);
  }

  /**
   * Hosts {@code a} and {@code b} joined by a line of routers {@code r1}..{@code rN}, each hop a
   * veth pair addressed from the pool; routes are worked out, so {@code a} reaches {@code b}
   * through every router.
   */
  public static Topology.Builder routerLine(int routers) {
    if (routers < 1) {
      throw new IllegalArgumentException("a line needs at least one router, not " + routers);
    }
    Topology.Builder builder = Topology.builder().host("a").host("b");
    for (int i = 1; i <= routers; i++) {
      builder.router("r" + i);
    }
    builder.veth("a", java.util.List.of(), "r1", java.util.List.of());
    for (int i = 1; i < routers; i++) {
      builder.veth("r" + i, java.util.List.of(), "r" + (i + 1), java.util.List.of());
    }
    return builder.veth("r" + routers, java.util.List.of(), "b", java.util.List.of());
  }

  /**
   * Two LANs joined by router {@code gw}: hosts {@code l1}..{@code lN} on {@code left}
   * (10.0.1.0/24), {@code r1}..{@code rN} on {@code right} (10.0.2.0/24); the router is .254 on
   * both, and every host's default route goes through it.
   */
  public static Topology.Builder twoLans(int hostsPerLan) {
    Topology.Builder builder = Topology.builder().router("gw");
    String[] left = new String[hostsPerLan + 1];
    String[] right = new String[hostsPerLan + 1];
    String[] leftAddresses = new String[hostsPerLan + 1];
    String[] rightAddresses = new String[hostsPerLan + 1];
    for (int i = 0; i < hostsPerLan; i++) {
      left[i] = "l" + (i + 1);
      right[i] = "r" + (i + 1);
      builder.host(left[i]).host(right[i]);
      leftAddresses[i] = "";
      rightAddresses[i] = "";
    }
    left[hostsPerLan] = "gw";
    right[hostsPerLan] = "gw";
    leftAddresses[hostsPerLan] = "10.0.1.254";
    rightAddresses[hostsPerLan] = "10.0.2.254";
    return builder
        .lan(
            new LanDeclaration(
                "left",
                java.util.List.of("10.0.1.0/24"),
                java.util.List.of(left),
                java.util.List.of(leftAddresses),
                "twoLans: left"))
        .lan(
            new LanDeclaration(
                "right",
                java.util.List.of("10.0.2.0/24"),
                java.util.List.of(right),
                java.util.List.of(rightAddresses),
                "twoLans: right"));
  }
}
