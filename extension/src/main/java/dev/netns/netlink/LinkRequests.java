package dev.netns.netlink;

import static dev.netns.netlink.IfLink.*;
import static dev.netns.netlink.Netlink.*;
import static dev.netns.netlink.Rtnetlink.*;

/** Encoders for link requests: create veth pairs and bridges, set state, delete, dump. */
public final class LinkRequests {
  private static final int AF_UNSPEC = 0;
  private static final int CREATE = NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL;
  private static final int CHANGE = NLM_F_REQUEST | NLM_F_ACK;

  private LinkRequests() {}

  /**
   * A veth pair in one request: {@code name} placed in the namespace of {@code nsFd} and {@code
   * peerName} in the namespace of {@code peerNsFd}. A negative fd leaves that end in the namespace
   * of the socket the request is sent on.
   */
  public static Request newVeth(String name, int nsFd, String peerName, int peerNsFd) {
    return veth(name, nsFd, 0, peerName, peerNsFd, 0, false, 0, 0);
  }

  /**
   * A veth pair as {@link #newVeth(String, int, String, int)}, with each end's ifindex chosen by
   * the caller (0: the kernel picks) and, with {@code up}, the first end up from the start, so that
   * no lookup is needed before addresses go on. The peer cannot be brought up in the same request:
   * the kernel configures it before the pair is joined, and a veth without its peer refuses to open
   * (ENOTCONN).
   *
   * <p>Both ends are made with one transmit and one receive queue ({@code IFLA_NUM_TX_QUEUES},
   * {@code IFLA_NUM_RX_QUEUES}). Without them the kernel allocates a queue per possible CPU and
   * then cuts the active ones down to one at each end, and cutting transmit queues of a registered
   * device waits for an RCU grace period ({@code synchronize_net}) twice per pair: the largest wait
   * in making a pair on a busy machine. The active queues are the same either way.
   */
  public static Request newVeth(
      String name, int nsFd, int index, String peerName, int peerNsFd, int peerIndex, boolean up) {
    return veth(name, nsFd, index, peerName, peerNsFd, peerIndex, up, 1, 0);
  }

  /**
   * A veth pair as {@link #newVeth(String, int, int, String, int, int, boolean)} whose first end is
   * made a port of the bridge with ifindex {@code masterIndex} in its namespace as it is created
   * ({@code IFLA_MASTER}), which saves a request per port when a LAN's switch is wired.
   */
  public static Request newVethPort(
      String name,
      int nsFd,
      int index,
      int masterIndex,
      String peerName,
      int peerNsFd,
      int peerIndex) {
    return veth(name, nsFd, index, peerName, peerNsFd, peerIndex, true, 1, masterIndex);
  }

  /** {@code queues} 0: the kernel's default, as iproute2 sends it. */
  private static Request veth(
      String name,
      int nsFd,
      int index,
      String peerName,
      int peerNsFd,
      int peerIndex,
      boolean up,
      int queues,
      int masterIndex) {
    int flags = up ? IFF_UP : 0;
    int change = up ? IFF_UP : 0;
    return new Request(
        RTM_NEWLINK,
        CREATE,
        "RTM_NEWLINK veth " + name + "<->" + peerName,
        w -> {
          // The queues, then IFLA_NET_NS_FD, IFLA_MASTER, IFLA_IFNAME at both ends, as iproute2
          // sends them,
          // so that the golden bytes in LinkRequestsTest line up with `ip link add ...`.
          new IfInfoMsg(AF_UNSPEC, 0, index, flags, change).writeTo(w);
          putQueues(w, queues);
          if (nsFd >= 0) {
            w.putU32Attribute(IFLA_NET_NS_FD, nsFd);
          }
          if (masterIndex > 0) {
            w.putU32Attribute(IFLA_MASTER, masterIndex);
          }
          w.putString(IFLA_IFNAME, name);
          int linkInfo = w.beginNested(IFLA_LINKINFO);
          w.putString(IFLA_INFO_KIND, "veth");
          int data = w.beginNested(IFLA_INFO_DATA);
          int peer = w.beginNested(VETH_INFO_PEER);
          new IfInfoMsg(AF_UNSPEC, 0, peerIndex, 0, 0).writeTo(w);
          putQueues(w, queues);
          if (peerNsFd >= 0) {
            w.putU32Attribute(IFLA_NET_NS_FD, peerNsFd);
          }
          w.putString(IFLA_IFNAME, peerName);
          w.endNested(peer);
          w.endNested(data);
          w.endNested(linkInfo);
        });
  }

  private static void putQueues(MessageWriter w, int queues) {
    if (queues > 0) {
      w.putU32Attribute(IFLA_NUM_TX_QUEUES, queues);
      w.putU32Attribute(IFLA_NUM_RX_QUEUES, queues);
    }
  }

  /** A link of a kind that needs no options, such as {@code "bridge"} or {@code "dummy"}. */
  public static Request newLink(String name, String kind) {
    return newLink(name, kind, -1, 0, false);
  }

  /**
   * A link of a kind that needs no options, placed in the namespace of {@code nsFd} (negative: the
   * socket's), with the given ifindex (0: the kernel picks), optionally up from the start.
   */
  public static Request newLink(String name, String kind, int nsFd, int index, boolean up) {
    return new Request(
        RTM_NEWLINK,
        CREATE,
        "RTM_NEWLINK " + kind + " " + name,
        w -> {
          new IfInfoMsg(AF_UNSPEC, 0, index, up ? IFF_UP : 0, up ? IFF_UP : 0).writeTo(w);
          if (nsFd >= 0) {
            w.putU32Attribute(IFLA_NET_NS_FD, nsFd);
          }
          w.putString(IFLA_IFNAME, name);
          int linkInfo = w.beginNested(IFLA_LINKINFO);
          w.putString(IFLA_INFO_KIND, kind);
          w.endNested(linkInfo);
        });
  }

  /**
   * A bridge with multicast snooping off ({@code ip link add NAME type bridge mcast_snooping 0}): a
   * snooping bridge joins the multicast router discovery groups and reports them (IGMP, MLD), so it
   * sends frames of its own.
   */
  public static Request newBridgeWithoutSnooping(String name) {
    return new Request(
        RTM_NEWLINK,
        CREATE,
        "RTM_NEWLINK bridge " + name + " mcast_snooping 0",
        w -> {
          new IfInfoMsg(AF_UNSPEC, 0, 0, 0, 0).writeTo(w);
          w.putString(IFLA_IFNAME, name);
          int linkInfo = w.beginNested(IFLA_LINKINFO);
          w.putString(IFLA_INFO_KIND, "bridge");
          int data = w.beginNested(IFLA_INFO_DATA);
          w.putU8Attribute(IFLA_BR_MCAST_SNOOPING, 0);
          w.endNested(data);
          w.endNested(linkInfo);
        });
  }

  /** Sets the administrative state (IFF_UP) of a link. */
  public static Request setUp(int index, boolean up) {
    return new Request(
        RTM_NEWLINK,
        CHANGE,
        "RTM_NEWLINK ifindex " + index + (up ? " up" : " down"),
        w -> new IfInfoMsg(AF_UNSPEC, 0, index, up ? IFF_UP : 0, IFF_UP).writeTo(w));
  }

  /**
   * Sets the interface flags selected by {@code change} (for example IFF_NOARP) to {@code flags}.
   */
  public static Request setFlags(int index, int flags, int change) {
    return new Request(
        RTM_NEWLINK,
        CHANGE,
        "RTM_NEWLINK ifindex " + index + " flags 0x" + Integer.toHexString(flags),
        w -> new IfInfoMsg(AF_UNSPEC, 0, index, flags, change).writeTo(w));
  }

  /** Enslaves a link to a master such as a bridge (0 releases it). */
  public static Request setMaster(int index, int masterIndex) {
    return change(index, "master " + masterIndex, w -> w.putU32Attribute(IFLA_MASTER, masterIndex));
  }

  /**
   * Makes the kernel generate no IPv6 address for the link ({@code addrgenmode none} in iproute2):
   * no link-local address, so none of the duplicate address detection, router solicitations and
   * multicast listener reports that come with one. Sent before the link goes up.
   */
  public static Request setIpv6AddrGenModeNone(int index) {
    return change(
        index,
        "addrgenmode none",
        w -> {
          int spec = w.beginNested(IFLA_AF_SPEC);
          int inet6 = w.beginNested(AF_INET6);
          w.putU8Attribute(IFLA_INET6_ADDR_GEN_MODE, IN6_ADDR_GEN_MODE_NONE);
          w.endNested(inet6);
          w.endNested(spec);
        });
  }

  /** Sets the MTU. */
  public static Request setMtu(int index, int mtu) {
    return change(index, "mtu " + mtu, w -> w.putU32Attribute(IFLA_MTU, mtu));
  }

  /** Sets the hardware address. */
  public static Request setAddress(int index, byte[] mac) {
    return change(index, "address", w -> w.putAttribute(IFLA_ADDRESS, mac.clone()));
  }

  /** Renames a link (it must be down). */
  public static Request rename(int index, String newName) {
    return change(index, "name " + newName, w -> w.putString(IFLA_IFNAME, newName));
  }

  /** Moves a link into the namespace of {@code nsFd}. */
  public static Request moveToNamespace(int index, int nsFd) {
    return change(index, "netns fd " + nsFd, w -> w.putU32Attribute(IFLA_NET_NS_FD, nsFd));
  }

  /** Deletes a link (for a veth, both ends). */
  public static Request delete(int index) {
    return new Request(
        RTM_DELLINK,
        CHANGE,
        "RTM_DELLINK ifindex " + index,
        w -> new IfInfoMsg(AF_UNSPEC, 0, index, 0, 0).writeTo(w));
  }

  /**
   * Asks for the 64-bit counters of the link with ifindex {@code index} and nothing else; answered
   * by one RTM_NEWSTATS holding {@code IFLA_STATS_LINK_64}. The kernel fills in only the counters,
   * where an RTM_GETLINK fills in every attribute of the link.
   */
  public static Request getStats64(int index) {
    return new Request(
        RTM_GETSTATS,
        NLM_F_REQUEST,
        "RTM_GETSTATS ifindex " + index,
        w ->
            w.putU8(AF_UNSPEC) // family
                .putU8(0) // pad1
                .putU16(0) // pad2
                .putU32(index)
                .putU32(1 << (IFLA_STATS_LINK_64 - 1))); // filter_mask
  }

  /** Dumps every link of the namespace. */
  public static Request dump() {
    return new Request(
        RTM_GETLINK,
        NLM_F_REQUEST | NLM_F_DUMP,
        "RTM_GETLINK dump",
        w -> new IfInfoMsg(AF_UNSPEC, 0, 0, 0, 0).writeTo(w));
  }

  private static Request change(
      int index, String what, java.util.function.Consumer<MessageWriter> attributes) {
    return new Request(
        RTM_NEWLINK,
        CHANGE,
        "RTM_NEWLINK ifindex " + index + " " + what,
        w -> {
          new IfInfoMsg(AF_UNSPEC, 0, index, 0, 0).writeTo(w);
          attributes.accept(w);
        });
  }
}
