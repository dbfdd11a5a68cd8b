package dev.netns.netlink;

/** Constants from {@code linux/netlink.h}, named as there. */
public final class Netlink {
  public static final int NETLINK_ROUTE = 0;

  public static final int SOL_NETLINK = 270;
  public static final int NETLINK_CAP_ACK = 10;
  public static final int NETLINK_EXT_ACK = 11;
  public static final int NETLINK_GET_STRICT_CHK = 12;

  public static final int NLMSG_HDRLEN = 16;
  public static final int NLMSG_ALIGNTO = 4;
  public static final int NLA_HDRLEN = 4;
  public static final int NLA_ALIGNTO = 4;

  public static final int NLMSG_NOOP = 1;
  public static final int NLMSG_ERROR = 2;
  public static final int NLMSG_DONE = 3;
  public static final int NLMSG_OVERRUN = 4;

  public static final int NLM_F_REQUEST = 0x01;
  public static final int NLM_F_MULTI = 0x02;
  public static final int NLM_F_ACK = 0x04;
  public static final int NLM_F_ECHO = 0x08;
  public static final int NLM_F_DUMP_INTR = 0x10;
  public static final int NLM_F_DUMP_FILTERED = 0x20;

  // Modifiers to GET requests.
  public static final int NLM_F_ROOT = 0x100;
  public static final int NLM_F_MATCH = 0x200;
  public static final int NLM_F_ATOMIC = 0x400;
  public static final int NLM_F_DUMP = NLM_F_ROOT | NLM_F_MATCH;

  // Modifiers to NEW requests.
  public static final int NLM_F_REPLACE = 0x100;
  public static final int NLM_F_EXCL = 0x200;
  public static final int NLM_F_CREATE = 0x400;
  public static final int NLM_F_APPEND = 0x800;

  // Flags for ACK messages.
  public static final int NLM_F_CAPPED = 0x100;
  public static final int NLM_F_ACK_TLVS = 0x200;

  // enum nlmsgerr_attrs
  public static final int NLMSGERR_ATTR_MSG = 1;
  public static final int NLMSGERR_ATTR_OFFS = 2;
  public static final int NLMSGERR_ATTR_COOKIE = 3;

  public static final int NLA_F_NESTED = 1 << 15;
  public static final int NLA_F_NET_BYTEORDER = 1 << 14;
  public static final int NLA_TYPE_MASK = ~(NLA_F_NESTED | NLA_F_NET_BYTEORDER) & 0xffff;

  private Netlink() {}

  /** NLMSG_ALIGN and NLA_ALIGN: rounds up to the next multiple of four. */
  public static int align(int length) {
    return (length + 3) & ~3;
  }
}
