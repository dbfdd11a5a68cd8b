package dev.netns.topology;

import dev.netns.kernel.Cidr;
import java.util.List;

/**
 * What a link to the machine's own namespace may put there. The machine routes everything of its
 * own too, so a test must not take over more of its traffic than the link needs: a host-side prefix
 * of {@code /1} (or a peer's subnet routed as one) would send half the internet into the test. The
 * check against the routes the machine already has comes later ({@link
 * Topology#conflictsWithHostRoutes}); this one needs nothing but the declaration.
 */
final class HostSideLimits {
  /** The widest IPv4 prefix a test may route on the machine. */
  static final int WIDEST_IPV4 = 8;

  /** The widest IPv6 prefix a test may route on the machine. */
  static final int WIDEST_IPV6 = 16;

  /** Ranges that are never a test link's: the machine's own, or not unicast. */
  private static final List<Reserved> RESERVED =
      List.of(
          new Reserved(Cidr.parse("0.0.0.0/8"), "an unspecified"),
          new Reserved(Cidr.parse("::/128"), "the unspecified"),
          new Reserved(Cidr.parse("127.0.0.0/8"), "a loopback"),
          new Reserved(Cidr.parse("::1/128"), "the loopback"),
          new Reserved(Cidr.parse("224.0.0.0/4"), "a multicast"),
          new Reserved(Cidr.parse("ff00::/8"), "a multicast"),
          new Reserved(Cidr.parse("169.254.0.0/16"), "a link-local"),
          new Reserved(Cidr.parse("fe80::/10"), "a link-local"));

  private HostSideLimits() {}

  /**
   * Adds a problem for every host-side address of {@code link} that is not a unicast address of its
   * own, and for every prefix the machine would route over the link (the host side's subnets, and
   * the peer's subnets outside them) that is too wide or covers a reserved range.
   */
  static void check(VethPair link, List<String> problems) {
    String peer = link.peerOf(Topology.HOST);
    String hostAttribute = attribute(link, Topology.HOST);
    String peerAttribute = attribute(link, peer);
    for (Cidr address : link.addressesIn(Topology.HOST)) {
      Reserved reserved = reservedFor(address.address());
      if (reserved != null) {
        problems.add(
            link.origin()
                + ": "
                + hostAttribute
                + " "
                + address
                + " is "
                + reserved.kind()
                + " address ("
                + reserved.range()
                + "); the machine's end of a link needs a unicast address of a subnet the"
                + " machine does not use");
        continue;
      }
      checkRoute(link, hostAttribute, address, address.network(), problems);
    }
    List<Cidr> routed = link.peerSubnetsRoutedFrom(Topology.HOST);
    for (Cidr address : link.addressesIn(peer)) {
      if (routed.contains(address.network())) {
        checkRoute(link, peerAttribute, address, address.network(), problems);
      }
    }
  }

  private static void checkRoute(
      VethPair link, String attribute, Cidr address, Cidr route, List<String> problems) {
    int widest = route.isIpv6() ? WIDEST_IPV6 : WIDEST_IPV4;
    String start =
        link.origin()
            + ": "
            + attribute
            + " "
            + address
            + " would make the machine route "
            + route
            + " over this link";
    if (route.prefixLength() < widest) {
      problems.add(
          start
              + "; a test may route at most a /"
              + widest
              + " of "
              + (route.isIpv6() ? "IPv6" : "IPv4")
              + " on the machine");
      return;
    }
    for (Reserved reserved : RESERVED) {
      if (reserved.range().overlaps(route)) {
        problems.add(
            start
                + ", which overlaps "
                + reserved.kind()
                + " range ("
                + reserved.range()
                + "); pick a subnet the machine does not use");
        return;
      }
    }
  }

  private static Reserved reservedFor(java.net.InetAddress address) {
    return RESERVED.stream().filter(r -> r.range().contains(address)).findFirst().orElse(null);
  }

  private static String attribute(VethPair link, String side) {
    return (side.equals(link.a()) ? "a" : "b") + "Address";
  }

  /** A reserved range and how to speak of an address in it ("a loopback" address). */
  private record Reserved(Cidr range, String kind) {}
}
