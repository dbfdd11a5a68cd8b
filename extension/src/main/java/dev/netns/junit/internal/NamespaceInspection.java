package dev.netns.junit.internal;

import dev.netns.junit.AddressScope;
import dev.netns.junit.AssignedAddress;
import dev.netns.junit.CidrAddress;
import dev.netns.junit.InterfaceStats;
import dev.netns.junit.NeighbourEntry;
import dev.netns.junit.NeighbourState;
import dev.netns.junit.NetInterface;
import dev.netns.junit.RouteEntry;
import dev.netns.junit.RouteProtocol;
import dev.netns.junit.RouteType;
import dev.netns.kernel.AddressInfo;
import dev.netns.kernel.Cidr;
import dev.netns.kernel.Inspection;
import dev.netns.kernel.LinkInfo;
import dev.netns.kernel.LinkStats;
import dev.netns.kernel.NeighbourInfo;
import dev.netns.kernel.NetworkNamespace;
import dev.netns.kernel.NudState;
import dev.netns.kernel.RouteInfo;
import dev.netns.kernel.RtProtocol;
import dev.netns.kernel.RtScope;
import dev.netns.kernel.RtType;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What {@link dev.netns.junit.NetNs} reports about a namespace: the kernel layer's records of
 * {@link Inspection}, turned into the API's own value types, kernel numbers into enums.
 */
final class NamespaceInspection {
  private NamespaceInspection() {}

  static List<NetInterface> interfaces(NetworkNamespace namespace) {
    return Inspection.links(namespace).stream().map(NamespaceInspection::toInterface).toList();
  }

  static List<AssignedAddress> addresses(NetworkNamespace namespace) {
    return Inspection.addresses(namespace).stream().map(NamespaceInspection::toAddress).toList();
  }

  static List<RouteEntry> routes(NetworkNamespace namespace) {
    return Inspection.routes(namespace).stream().map(NamespaceInspection::toRoute).toList();
  }

  static List<NeighbourEntry> neighbours(NetworkNamespace namespace) {
    return Inspection.neighbours(namespace).stream().map(NamespaceInspection::toNeighbour).toList();
  }

  /** The API's form of an address with prefix. */
  static CidrAddress cidrAddress(Cidr cidr) {
    return new CidrAddress(cidr.address(), cidr.prefixLength());
  }

  private static NetInterface toInterface(LinkInfo link) {
    LinkStats s = link.stats();
    return new NetInterface(
        link.index(),
        link.name(),
        link.kind(),
        link.up(),
        link.lowerUp(),
        link.mtu(),
        link.mac(),
        link.masterIndex() == 0 ? OptionalInt.empty() : OptionalInt.of(link.masterIndex()),
        new InterfaceStats(
            s.rxPackets(),
            s.txPackets(),
            s.rxBytes(),
            s.txBytes(),
            s.rxErrors(),
            s.txErrors(),
            s.rxDropped(),
            s.txDropped()));
  }

  private static AssignedAddress toAddress(AddressInfo address) {
    return new AssignedAddress(
        address.linkIndex(),
        address.linkName(),
        cidrAddress(address.address()),
        scope(address.scope()),
        address.tentative());
  }

  private static RouteEntry toRoute(RouteInfo route) {
    return new RouteEntry(
        cidrAddress(route.destination()),
        Optional.ofNullable(route.gateway()),
        Optional.ofNullable(route.linkName()),
        routeType(route.type()),
        protocol(route.protocol()),
        scope(route.scope()));
  }

  private static NeighbourEntry toNeighbour(NeighbourInfo neighbour) {
    return new NeighbourEntry(
        neighbour.linkName(),
        neighbour.address(),
        Optional.ofNullable(neighbour.mac()),
        state(neighbour.state()));
  }

  static AddressScope scope(RtScope scope) {
    return switch (scope) {
      case UNIVERSE -> AddressScope.GLOBAL;
      case SITE -> AddressScope.SITE;
      case LINK -> AddressScope.LINK;
      case HOST -> AddressScope.HOST;
      case NOWHERE -> AddressScope.NOWHERE;
      case OTHER -> AddressScope.OTHER;
    };
  }

  static RouteProtocol protocol(RtProtocol protocol) {
    return switch (protocol) {
      case UNSPEC -> RouteProtocol.UNSPEC;
      case KERNEL -> RouteProtocol.KERNEL;
      case BOOT -> RouteProtocol.BOOT;
      case STATIC -> RouteProtocol.STATIC;
      case REDIRECT, RA, DHCP, OTHER -> RouteProtocol.OTHER;
    };
  }

  /** The kernel layer names route types as {@code ip route} does; see {@link RouteInfo#type()}. */
  static RouteType routeType(RtType type) {
    return switch (type) {
      case UNICAST -> RouteType.UNICAST;
      case LOCAL -> RouteType.LOCAL;
      case BROADCAST -> RouteType.BROADCAST;
      case ANYCAST -> RouteType.ANYCAST;
      case MULTICAST -> RouteType.MULTICAST;
      case BLACKHOLE -> RouteType.BLACKHOLE;
      case UNREACHABLE -> RouteType.UNREACHABLE;
      case PROHIBIT -> RouteType.PROHIBIT;
      case THROW -> RouteType.THROW;
      case UNSPEC, OTHER -> RouteType.OTHER;
    };
  }

  static NeighbourState state(NudState state) {
    return switch (state) {
      case NONE -> NeighbourState.NONE;
      case INCOMPLETE -> NeighbourState.INCOMPLETE;
      case REACHABLE -> NeighbourState.REACHABLE;
      case STALE -> NeighbourState.STALE;
      case DELAY -> NeighbourState.DELAY;
      case PROBE -> NeighbourState.PROBE;
      case FAILED -> NeighbourState.FAILED;
      case NOARP -> NeighbourState.NOARP;
      case PERMANENT -> NeighbourState.PERMANENT;
      case OTHER -> NeighbourState.OTHER;
    };
  }
}
