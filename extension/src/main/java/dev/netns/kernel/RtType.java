package dev.netns.kernel;

import dev.netns.netlink.Rtnetlink;
import java.util.Locale;

/**
 * What a route does with a packet, the kernel's route type ({@code RTN_*}): forward it, deliver it
 * locally, or refuse it in one of several ways.
 *
 * <p>Upper layers see this type rather than the numbers, so that they need not read netlink
 * headers. {@link RouteType} is the narrower set of refusing types that faults install.
 */
public enum RtType {
  /** {@code RTN_UNSPEC}. */
  UNSPEC(Rtnetlink.RTN_UNSPEC),
  /** {@code RTN_UNICAST}: a gateway or direct route. */
  UNICAST(Rtnetlink.RTN_UNICAST),
  /** {@code RTN_LOCAL}: accepted locally. */
  LOCAL(Rtnetlink.RTN_LOCAL),
  /** {@code RTN_BROADCAST}: accepted locally as broadcast, sent as broadcast. */
  BROADCAST(Rtnetlink.RTN_BROADCAST),
  /** {@code RTN_ANYCAST}: accepted locally as broadcast, sent as unicast. */
  ANYCAST(Rtnetlink.RTN_ANYCAST),
  /** {@code RTN_MULTICAST}: a multicast route. */
  MULTICAST(Rtnetlink.RTN_MULTICAST),
  /** {@code RTN_BLACKHOLE}: dropped silently. */
  BLACKHOLE(Rtnetlink.RTN_BLACKHOLE),
  /** {@code RTN_UNREACHABLE}: refused, host unreachable. */
  UNREACHABLE(Rtnetlink.RTN_UNREACHABLE),
  /** {@code RTN_PROHIBIT}: refused, administratively prohibited. */
  PROHIBIT(Rtnetlink.RTN_PROHIBIT),
  /** {@code RTN_THROW}: not in this table; lookup goes on. */
  THROW(Rtnetlink.RTN_THROW),
  /** A value not named above. */
  OTHER(-1);

  private final int value;

  RtType(int value) {
    this.value = value;
  }

  /** The type of a kernel value; {@link #OTHER} for one not named above. */
  public static RtType of(int value) {
    for (RtType type : values()) {
      if (type.value == value) {
        return type;
      }
    }
    return OTHER;
  }

  /** The name {@code ip route} prints for this type, for example {@code blackhole}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
