package dev.netns.junit;

/** Who installed a route, as {@code ip route} shows it after {@code proto} ({@code RTPROT_*}). */
public enum RouteProtocol {
  /** Unknown origin ({@code RTPROT_UNSPEC}). */
  UNSPEC,
  /** The kernel, for example the route to a subnet when an address is added. */
  KERNEL,
  /**
   * An administrator at boot, the default of {@code ip route add} ({@code RTPROT_BOOT}): also the
   * routes this library declares.
   */
  BOOT,
  /** An administrator, to outlive reboots ({@code RTPROT_STATIC}). */
  STATIC,
  /** Any other origin: router advertisements, DHCP, routing daemons. */
  OTHER
}
