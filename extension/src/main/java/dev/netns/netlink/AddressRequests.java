package dev.netns.netlink;

import static dev.netns.netlink.IfAddr.*;
import static dev.netns.netlink.Netlink.*;
import static dev.netns.netlink.Rtnetlink.*;

import java.net.Inet6Address;
import java.net.InetAddress;

/** Encoders for address requests. */
public final class AddressRequests {
  private static final int AF_UNSPEC = 0;

  private AddressRequests() {}

  /**
   * Adds {@code address/prefixLength} to a link. IPv6 addresses skip duplicate address detection
   * ({@code IFA_F_NODAD}) so that they are usable at once instead of after a second or two.
   */
  public static Request add(int index, InetAddress address, int prefixLength) {
    return new Request(
        RTM_NEWADDR,
        NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL,
        "RTM_NEWADDR " + address.getHostAddress() + "/" + prefixLength,
        w -> {
          boolean v6 = address instanceof Inet6Address;
          new IfAddrMsg(family(address), prefixLength, v6 ? IFA_F_NODAD : 0, 0, index).writeTo(w);
          w.putAttribute(IFA_LOCAL, address.getAddress());
          w.putAttribute(IFA_ADDRESS, address.getAddress());
        });
  }

  /** Removes {@code address/prefixLength} from a link. */
  public static Request delete(int index, InetAddress address, int prefixLength) {
    return new Request(
        RTM_DELADDR,
        NLM_F_REQUEST | NLM_F_ACK,
        "RTM_DELADDR " + address.getHostAddress() + "/" + prefixLength,
        w -> {
          new IfAddrMsg(family(address), prefixLength, 0, 0, index).writeTo(w);
          w.putAttribute(IFA_LOCAL, address.getAddress());
          w.putAttribute(IFA_ADDRESS, address.getAddress());
        });
  }

  /** Dumps every address of the namespace, both families. */
  public static Request dump() {
    return new Request(
        RTM_GETADDR,
        NLM_F_REQUEST | NLM_F_DUMP,
        "RTM_GETADDR dump",
        w -> new IfAddrMsg(AF_UNSPEC, 0, 0, 0, 0).writeTo(w));
  }

  static int family(InetAddress address) {
    return address instanceof Inet6Address ? 10 : 2;
  }
}
