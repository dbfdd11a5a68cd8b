package dev.netns.netlink;

/** Constants from {@code linux/rtnetlink.h}, named as there. */
public final class Rtnetlink {
  public static final int RTM_NEWLINK = 16;
  public static final int RTM_DELLINK = 17;
  public static final int RTM_GETLINK = 18;
  public static final int RTM_SETLINK = 19;
  public static final int RTM_NEWADDR = 20;
  public static final int RTM_DELADDR = 21;
  public static final int RTM_GETADDR = 22;
  public static final int RTM_NEWROUTE = 24;
  public static final int RTM_DELROUTE = 25;
  public static final int RTM_GETROUTE = 26;
  public static final int RTM_NEWNEIGH = 28;
  public static final int RTM_DELNEIGH = 29;
  public static final int RTM_GETNEIGH = 30;
  public static final int RTM_NEWQDISC = 36;
  public static final int RTM_DELQDISC = 37;
  public static final int RTM_GETQDISC = 38;
  public static final int RTM_NEWSTATS = 92;
  public static final int RTM_GETSTATS = 94;

  // enum rtattr_type_t
  public static final int RTA_DST = 1;
  public static final int RTA_SRC = 2;
  public static final int RTA_IIF = 3;
  public static final int RTA_OIF = 4;
  public static final int RTA_GATEWAY = 5;
  public static final int RTA_PRIORITY = 6;
  public static final int RTA_PREFSRC = 7;
  public static final int RTA_METRICS = 8;
  public static final int RTA_MULTIPATH = 9;
  public static final int RTA_TABLE = 15;
  public static final int RTA_PREF = 20;

  // rtm_type
  public static final int RTN_UNSPEC = 0;
  public static final int RTN_UNICAST = 1;
  public static final int RTN_LOCAL = 2;
  public static final int RTN_BROADCAST = 3;
  public static final int RTN_ANYCAST = 4;
  public static final int RTN_MULTICAST = 5;
  public static final int RTN_BLACKHOLE = 6;
  public static final int RTN_UNREACHABLE = 7;
  public static final int RTN_PROHIBIT = 8;
  public static final int RTN_THROW = 9;

  // rtm_protocol
  public static final int RTPROT_UNSPEC = 0;
  public static final int RTPROT_REDIRECT = 1;
  public static final int RTPROT_KERNEL = 2;
  public static final int RTPROT_BOOT = 3;
  public static final int RTPROT_STATIC = 4;
  public static final int RTPROT_RA = 9;
  public static final int RTPROT_DHCP = 16;

  // rtm_scope
  public static final int RT_SCOPE_UNIVERSE = 0;
  public static final int RT_SCOPE_SITE = 200;
  public static final int RT_SCOPE_LINK = 253;
  public static final int RT_SCOPE_HOST = 254;
  public static final int RT_SCOPE_NOWHERE = 255;

  // rtm_table
  public static final int RT_TABLE_UNSPEC = 0;
  public static final int RT_TABLE_MAIN = 254;
  public static final int RT_TABLE_LOCAL = 255;

  // rtm_flags / rtnh_flags
  public static final int RTNH_F_ONLINK = 4;

  // linux/neighbour.h
  public static final int NDA_DST = 1;
  public static final int NDA_LLADDR = 2;
  public static final int NUD_NONE = 0x00;
  public static final int NUD_INCOMPLETE = 0x01;
  public static final int NUD_REACHABLE = 0x02;
  public static final int NUD_STALE = 0x04;
  public static final int NUD_DELAY = 0x08;
  public static final int NUD_PROBE = 0x10;
  public static final int NUD_FAILED = 0x20;
  public static final int NUD_NOARP = 0x40;
  public static final int NUD_PERMANENT = 0x80;

  // linux/pkt_sched.h
  public static final int TCA_KIND = 1;
  public static final int TCA_OPTIONS = 2;
  public static final int TCA_STATS2 = 7;

  // linux/gen_stats.h: nested in TCA_STATS2
  public static final int TCA_STATS_BASIC = 1;
  public static final int TCA_STATS_QUEUE = 3;
  public static final int TC_H_ROOT = 0xFFFFFFFF;

  // enum TCA_TBF_*
  public static final int TCA_TBF_PARMS = 1;
  public static final int TCA_TBF_RATE64 = 4;
  public static final int TCA_TBF_BURST = 6;

  // enum TCA_NETEM_*
  public static final int TCA_NETEM_CORR = 1;
  public static final int TCA_NETEM_REORDER = 3;
  public static final int TCA_NETEM_CORRUPT = 4;
  public static final int TCA_NETEM_RATE = 6;
  public static final int TCA_NETEM_RATE64 = 8;
  public static final int TCA_NETEM_LATENCY64 = 10;
  public static final int TCA_NETEM_JITTER64 = 11;

  // linux/pkt_sched.h: enum tc_link_layer
  public static final int TC_LINKLAYER_ETHERNET = 1;

  private Rtnetlink() {}

  /** The name of a route type, for example {@code "unreachable"} for {@link #RTN_UNREACHABLE}. */
  public static String routeTypeName(int type) {
    return switch (type) {
      case RTN_UNSPEC -> "unspec";
      case RTN_UNICAST -> "unicast";
      case RTN_LOCAL -> "local";
      case RTN_BROADCAST -> "broadcast";
      case RTN_ANYCAST -> "anycast";
      case RTN_MULTICAST -> "multicast";
      case RTN_BLACKHOLE -> "blackhole";
      case RTN_UNREACHABLE -> "unreachable";
      case RTN_PROHIBIT -> "prohibit";
      case RTN_THROW -> "throw";
      default -> "type " + type;
    };
  }

  /** The name of a message type, for example {@code "RTM_NEWLINK"}. */
  public static String messageTypeName(int type) {
    return switch (type) {
      case RTM_NEWLINK -> "RTM_NEWLINK";
      case RTM_DELLINK -> "RTM_DELLINK";
      case RTM_GETLINK -> "RTM_GETLINK";
      case RTM_SETLINK -> "RTM_SETLINK";
      case RTM_NEWADDR -> "RTM_NEWADDR";
      case RTM_DELADDR -> "RTM_DELADDR";
      case RTM_GETADDR -> "RTM_GETADDR";
      case RTM_NEWROUTE -> "RTM_NEWROUTE";
      case RTM_DELROUTE -> "RTM_DELROUTE";
      case RTM_GETROUTE -> "RTM_GETROUTE";
      case RTM_NEWNEIGH -> "RTM_NEWNEIGH";
      case RTM_DELNEIGH -> "RTM_DELNEIGH";
      case RTM_GETNEIGH -> "RTM_GETNEIGH";
      case RTM_NEWQDISC -> "RTM_NEWQDISC";
      case RTM_DELQDISC -> "RTM_DELQDISC";
      case RTM_GETQDISC -> "RTM_GETQDISC";
      case RTM_NEWSTATS -> "RTM_NEWSTATS";
      case RTM_GETSTATS -> "RTM_GETSTATS";
      default -> "message type " + type;
    };
  }
}
