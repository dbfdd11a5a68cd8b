package dev.netns.kernel;

import dev.netns.netlink.Rtnetlink;

/**
 * Who installed a route, the kernel's {@code RTPROT_*} value.
 *
 * <p>Upper layers see this type rather than the numbers, so that they need not read netlink
 * headers.
 */
public enum RtProtocol {
  /** {@code RTPROT_UNSPEC}: unknown origin. */
  UNSPEC(Rtnetlink.RTPROT_UNSPEC),
  /** {@code RTPROT_REDIRECT}: an ICMP redirect. */
  REDIRECT(Rtnetlink.RTPROT_REDIRECT),
  /** {@code RTPROT_KERNEL}: the kernel, for an address's prefix. */
  KERNEL(Rtnetlink.RTPROT_KERNEL),
  /** {@code RTPROT_BOOT}: a user, the default of {@code ip route add}. */
  BOOT(Rtnetlink.RTPROT_BOOT),
  /** {@code RTPROT_STATIC}: an administrator, meant to stay. */
  STATIC(Rtnetlink.RTPROT_STATIC),
  /** {@code RTPROT_RA}: an IPv6 router advertisement. */
  RA(Rtnetlink.RTPROT_RA),
  /** {@code RTPROT_DHCP}: a DHCP client. */
  DHCP(Rtnetlink.RTPROT_DHCP),
  /** A routing daemon's value not named above. */
  OTHER(-1);

  private final int value;

  RtProtocol(int value) {
    this.value = value;
  }

  /** The protocol of a kernel value; {@link #OTHER} for one not named above. */
  public static RtProtocol of(int value) {
    for (RtProtocol protocol : values()) {
      if (protocol.value == value) {
        return protocol;
      }
    }
    return OTHER;
  }

  /** The name {@code ip} prints for this protocol, for example {@code kernel}. */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
