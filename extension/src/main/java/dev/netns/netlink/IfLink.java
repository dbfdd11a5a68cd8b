package dev.netns.netlink;

/** Constants from {@code linux/if_link.h}, {@code linux/if.h} and {@code linux/veth.h}. */
public final class IfLink {
  public static final int IFLA_ADDRESS = 1;
  public static final int IFLA_BROADCAST = 2;
  public static final int IFLA_IFNAME = 3;
  public static final int IFLA_MTU = 4;
  public static final int IFLA_LINK = 5;
  public static final int IFLA_QDISC = 6;
  public static final int IFLA_STATS = 7;
  public static final int IFLA_MASTER = 10;
  public static final int IFLA_TXQLEN = 13;
  public static final int IFLA_OPERSTATE = 16;
  public static final int IFLA_LINKINFO = 18;
  public static final int IFLA_NET_NS_PID = 19;
  public static final int IFLA_STATS64 = 23;
  public static final int IFLA_NET_NS_FD = 28;
  public static final int IFLA_EXT_MASK = 29;
  public static final int IFLA_NUM_TX_QUEUES = 31;
  public static final int IFLA_NUM_RX_QUEUES = 32;
  public static final int IFLA_AF_SPEC = 26;
  public static final int IFLA_CARRIER = 33;
  public static final int IFLA_LINK_NETNSID = 37;

  // struct if_stats_msg (family, two pad fields, ifindex, filter_mask) and its one attribute read
  // here: struct rtnl_link_stats64, asked for by bit IFLA_STATS_LINK_64 - 1 of filter_mask
  public static final int IF_STATS_MSG_SIZE = 12;
  public static final int IFLA_STATS_LINK_64 = 1;

  // IFLA_LINKINFO nested
  public static final int IFLA_INFO_KIND = 1;
  public static final int IFLA_INFO_DATA = 2;
  public static final int IFLA_INFO_SLAVE_KIND = 4;

  // linux/if_link.h: IFLA_INFO_DATA of a bridge
  public static final int IFLA_BR_MCAST_SNOOPING = 23;

  // IFLA_AF_SPEC nested: per address family, AF_INET6's attributes (linux/if_link.h)
  public static final int AF_INET6 = 10;
  public static final int IFLA_INET6_ADDR_GEN_MODE = 8;
  public static final int IN6_ADDR_GEN_MODE_NONE = 1;

  // linux/veth.h
  public static final int VETH_INFO_PEER = 1;

  // linux/if.h: net_device_flags
  public static final int IFF_UP = 0x1;
  public static final int IFF_BROADCAST = 0x2;
  public static final int IFF_LOOPBACK = 0x8;
  public static final int IFF_POINTOPOINT = 0x10;
  public static final int IFF_RUNNING = 0x40;
  public static final int IFF_NOARP = 0x80;
  public static final int IFF_MULTICAST = 0x1000;
  public static final int IFF_LOWER_UP = 0x10000;

  // linux/if.h: IF_OPER_*
  public static final int IF_OPER_UNKNOWN = 0;
  public static final int IF_OPER_DOWN = 2;
  public static final int IF_OPER_UP = 6;

  /** IFNAMSIZ: interface names are at most 15 bytes plus the terminating NUL. */
  public static final int IFNAMSIZ = 16;

  // linux/if_arp.h
  public static final int ARPHRD_ETHER = 1;
  public static final int ARPHRD_LOOPBACK = 772;

  private IfLink() {}
}
