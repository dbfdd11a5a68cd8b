package dev.netns.kernel;

import dev.netns.nativeaccess.LibC;
import dev.netns.netlink.AddressRequests;
import dev.netns.netlink.Attribute;
import dev.netns.netlink.Attributes;
import dev.netns.netlink.IfAddr;
import dev.netns.netlink.IfAddrMsg;
import dev.netns.netlink.IfInfoMsg;
import dev.netns.netlink.IfLink;
import dev.netns.netlink.LinkRequests;
import dev.netns.netlink.NdMsg;
import dev.netns.netlink.NeighbourRequests;
import dev.netns.netlink.NetlinkMessage;
import dev.netns.netlink.RouteRequests;
import dev.netns.netlink.RtMsg;
import dev.netns.netlink.Rtnetlink;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a namespace's links, addresses, routes and neighbours through netlink dumps, into plain
 * records. (Not through {@code java.net.NetworkInterface}: on a namespace thread it mixes in the
 * host's IPv6 addresses, because {@code /proc/net} follows the process's main thread.)
 *
 * <pre>{@code
 * for (AddressInfo a : Inspection.addresses(blue)) System.out.println(a.linkName() + " " + a.address());
 * }</pre>
 */
public final class Inspection {
  private Inspection() {}

  /** Every link, loopback included. */
  public static List<LinkInfo> links(NetworkNamespace ns) {
    List<LinkInfo> links = new ArrayList<>();
    for (NetlinkMessage message : ns.netlink().dump(LinkRequests.dump())) {
      if (message.type() == Rtnetlink.RTM_NEWLINK) {
        links.add(decodeLink(message));
      }
    }
    return links;
  }

  /**
   * The counters of the link with ifindex {@code index}: one request and one answer carrying
   * nothing else, the cheapest way to read them.
   */
  public static LinkStats linkStats(NetworkNamespace ns, int index) {
    NetlinkMessage reply = ns.netlink().get(LinkRequests.getStats64(index));
    return reply
        .attributes(IfLink.IF_STATS_MSG_SIZE)
        .get(IfLink.IFLA_STATS_LINK_64)
        .map(Inspection::stats)
        .orElse(LinkStats.NONE);
  }

  /** Every address of both families. */
  public static List<AddressInfo> addresses(NetworkNamespace ns) {
    Map<Integer, String> names = linkNames(ns);
    List<AddressInfo> addresses = new ArrayList<>();
    for (NetlinkMessage message : ns.netlink().dump(AddressRequests.dump())) {
      if (message.type() != Rtnetlink.RTM_NEWADDR) {
        continue;
      }
      IfAddrMsg header = IfAddrMsg.decode(message.body());
      Attributes attributes = message.attributes(IfAddrMsg.SIZE);
      byte[] raw = attributes.bytes(IfAddr.IFA_LOCAL);
      if (raw == null) {
        raw = attributes.bytes(IfAddr.IFA_ADDRESS);
      }
      int flags = attributes.u32(IfAddr.IFA_FLAGS, header.flags());
      addresses.add(
          new AddressInfo(
              header.index(),
              names.get(header.index()),
              new Cidr(address(raw), header.prefixLength()),
              RtScope.of(header.scope()),
              (flags & IfAddr.IFA_F_TENTATIVE) != 0));
    }
    return addresses;
  }

  /** Every route of the main table, IPv4 then IPv6. */
  public static List<RouteInfo> routes(NetworkNamespace ns) {
    Map<Integer, String> names = linkNames(ns);
    List<RouteInfo> routes = new ArrayList<>();
    for (int family : new int[] {LibC.AF_INET, LibC.AF_INET6}) {
      for (NetlinkMessage message : ns.netlink().dump(RouteRequests.dump(family))) {
        if (message.type() != Rtnetlink.RTM_NEWROUTE) {
          continue;
        }
        RtMsg header = RtMsg.decode(message.body());
        Attributes attributes = message.attributes(RtMsg.SIZE);
        int table = attributes.u32(Rtnetlink.RTA_TABLE, header.table());
        if (table != Rtnetlink.RT_TABLE_MAIN) {
          continue;
        }
        byte[] dst = attributes.bytes(Rtnetlink.RTA_DST);
        byte[] gateway = attributes.bytes(Rtnetlink.RTA_GATEWAY);
        int oif = attributes.u32(Rtnetlink.RTA_OIF, 0);
        Cidr destination =
            dst == null
                ? new Cidr(anyAddress(family), 0)
                : new Cidr(address(dst), header.dstLength());
        routes.add(
            new RouteInfo(
                destination,
                gateway == null ? null : address(gateway),
                oif == 0 ? null : names.get(oif),
                RtType.of(header.type()),
                RtProtocol.of(header.protocol()),
                RtScope.of(header.scope()),
                table));
      }
    }
    return routes;
  }

  /** Every neighbour entry of both families. */
  public static List<NeighbourInfo> neighbours(NetworkNamespace ns) {
    Map<Integer, String> names = linkNames(ns);
    List<NeighbourInfo> neighbours = new ArrayList<>();
    for (NetlinkMessage message : ns.netlink().dump(NeighbourRequests.dump())) {
      if (message.type() != Rtnetlink.RTM_NEWNEIGH) {
        continue;
      }
      NdMsg header = NdMsg.decode(message.body());
      Attributes attributes = message.attributes(NdMsg.SIZE);
      byte[] dst = attributes.bytes(Rtnetlink.NDA_DST);
      byte[] mac = attributes.bytes(Rtnetlink.NDA_LLADDR);
      if (dst == null) {
        continue;
      }
      neighbours.add(
          new NeighbourInfo(
              names.get(header.index()),
              address(dst),
              mac == null ? null : Mac.format(mac),
              NudState.of(header.state())));
    }
    return neighbours;
  }

  private static Map<Integer, String> linkNames(NetworkNamespace ns) {
    Map<Integer, String> names = new HashMap<>();
    for (LinkInfo link : links(ns)) {
      names.put(link.index(), link.name());
    }
    return names;
  }

  private static LinkInfo decodeLink(NetlinkMessage message) {
    IfInfoMsg header = IfInfoMsg.decode(message.body());
    Attributes attributes = message.attributes(IfInfoMsg.SIZE);
    String kind =
        attributes
            .get(IfLink.IFLA_LINKINFO)
            .map(Attribute::nested)
            .map(info -> info.string(IfLink.IFLA_INFO_KIND))
            .orElse("");
    byte[] mac = attributes.bytes(IfLink.IFLA_ADDRESS);
    return new LinkInfo(
        header.index(),
        attributes.string(IfLink.IFLA_IFNAME),
        kind,
        (header.flags() & IfLink.IFF_UP) != 0,
        (header.flags() & IfLink.IFF_LOWER_UP) != 0,
        attributes.u32(IfLink.IFLA_MTU, 0),
        mac == null ? "" : Mac.format(mac),
        attributes.u32(IfLink.IFLA_MASTER, 0),
        attributes.get(IfLink.IFLA_STATS64).map(Inspection::stats).orElse(LinkStats.NONE));
  }

  private static LinkStats stats(Attribute attribute) {
    ByteBuffer b = ByteBuffer.wrap(attribute.value()).order(ByteOrder.nativeOrder());
    // struct rtnl_link_stats64: rx_packets, tx_packets, rx_bytes, tx_bytes, rx_errors,
    // tx_errors, rx_dropped, tx_dropped, then fields not read here.
    return new LinkStats(
        b.getLong(0),
        b.getLong(8),
        b.getLong(16),
        b.getLong(24),
        b.getLong(32),
        b.getLong(40),
        b.getLong(48),
        b.getLong(56));
  }

  private static InetAddress address(byte[] raw) {
    try {
      return InetAddress.getByAddress(raw);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("address of " + raw.length + " bytes", e);
    }
  }

  private static InetAddress anyAddress(int family) {
    return address(new byte[family == LibC.AF_INET6 ? 16 : 4]);
  }
}
