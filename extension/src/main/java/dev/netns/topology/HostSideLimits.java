package dev.netns.topology;

import dev.netns.kernel.AddressInfo;
import dev.netns.kernel.Cidr;
import dev.netns.kernel.RouteInfo;
import java.util.ArrayList;
import java.util.List;

/**
 * What a link to the machine's own namespace may put there. The machine routes everything of its
 * own too, so a test must not take over more of its traffic than the link needs: a host-side prefix
 * of {@code /1} (or a peer's subnet routed as one) would send half the internet into the test.
 * {@link #check} needs nothing but the declaration; {@link #routeConflicts} and {@link
 * #addressConflicts} compare with what the machine has when the network starts.
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

  /** The routes of the machine that the prefixes this link routes there would overlap. */
  static List<String> routeConflicts(VethPair link, List<RouteInfo> hostRoutes) {
    List<String> problems = new ArrayList<>();
    // The machine will route the peer's subnets over this link: they must be new to it.
    for (Cidr subnet : link.peerSubnetsRoutedFrom(Topology.HOST)) {
      for (RouteInfo route : hostRoutes) {
        if (!coversEverythingElse(route)
            && route.destination() != null
            && route.destination().overlaps(subnet)) {
          problems.add(
              link.origin()
                  + ": the peer's subnet "
                  + subnet
                  + " would be routed over this link on the machine, but overlaps the machine's"
                  + " route to "
                  + route.destination()
                  + (route.linkName() == null ? "" : " on " + route.linkName())
                  + "; pick a subnet the machine does not use");
        }
      }
    }
    for (Cidr address : link.addressesIn(Topology.HOST)) {
      for (RouteInfo route : hostRoutes) {
        if (!coversEverythingElse(route)
            && route.destination() != null
            && route.destination().overlaps(address.network())) {
          problems.add(
              link.origin()
                  + ": host-side address "
                  + address
                  + " overlaps the machine's route to "
                  + route.destination()
                  + (route.linkName() == null ? "" : " on " + route.linkName())
                  + "; pick a subnet the machine does not use");
        }
      }
    }
    return problems;
  }

  /**
   * True for the default route and for routes wider than a test may install, such as the {@code
   * 0.0.0.0/1} and {@code 128.0.0.0/1} pair that VPN clients put in place of the default route:
   * like the default route, they carry whatever no narrower route claims, and a test's narrower
   * route takes from them only the test's own subnet.
   */
  static boolean coversEverythingElse(RouteInfo route) {
    if (route.isDefault() || route.destination() == null) {
      return route.isDefault();
    }
    int widest = route.destination().isIpv6() ? WIDEST_IPV6 : WIDEST_IPV4;
    return route.destination().prefixLength() < widest;
  }

  /** The addresses of the machine that the prefixes this link routes there would overlap. */
  static List<String> addressConflicts(VethPair link, List<AddressInfo> hostAddresses) {
    List<String> problems = new ArrayList<>();
    for (Cidr subnet : link.peerSubnetsRoutedFrom(Topology.HOST)) {
      for (AddressInfo held : hostAddresses) {
        if (held.address().network().overlaps(subnet)) {
          problems.add(
              link.origin()
                  + ": the peer's subnet "
                  + subnet
                  + " would be routed over this link on the machine, but overlaps the machine's"
                  + " address "
                  + held.address()
                  + " on "
                  + held.linkName()
                  + "; pick a subnet the machine does not use");
        }
      }
    }
    for (Cidr address : link.addressesIn(Topology.HOST)) {
      for (AddressInfo held : hostAddresses) {
        if (held.address().network().overlaps(address.network())) {
          problems.add(
              link.origin()
                  + ": host-side address "
                  + address
                  + " overlaps the machine's address "
                  + held.address()
                  + " on "
                  + held.linkName()
                  + "; pick a subnet the machine does not use");
        }
      }
    }
    return problems;
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
