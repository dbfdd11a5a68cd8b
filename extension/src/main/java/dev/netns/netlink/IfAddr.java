package dev.netns.netlink;

/** Constants from {@code linux/if_addr.h}, named as there. */
public final class IfAddr {
  public static final int IFA_ADDRESS = 1;
  public static final int IFA_LOCAL = 2;
  public static final int IFA_LABEL = 3;
  public static final int IFA_BROADCAST = 4;
  public static final int IFA_CACHEINFO = 6;
  public static final int IFA_FLAGS = 8;

  public static final int IFA_F_NODAD = 0x02;
  public static final int IFA_F_DADFAILED = 0x08;
  public static final int IFA_F_TENTATIVE = 0x40;
  public static final int IFA_F_PERMANENT = 0x80;
  public static final int IFA_F_NOPREFIXROUTE = 0x200;

  private IfAddr() {}
}
