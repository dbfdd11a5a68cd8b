package dev.netns.netlink;

import static dev.netns.netlink.Netlink.*;
import static dev.netns.netlink.Rtnetlink.*;

import java.net.InetAddress;

/**
 * Encoders for route requests: unicast routes via a gateway or on-link, and the route types that
 * refuse traffic ({@code blackhole}, {@code unreachable}, {@code prohibit}).
 */
public final class RouteRequests {
  private RouteRequests() {}

  /**
   * A unicast route in the main table. {@code destination} null means the default route; {@code
   * gateway} null makes an on-link route through {@code outputIndex} (scope link).
   */
  public static Request addUnicast(
      InetAddress destination, int prefixLength, InetAddress gateway, int outputIndex) {
    return addUnicast(destination, prefixLength, gateway, outputIndex, false);
  }

  /**
   * As {@link #addUnicast(InetAddress, int, InetAddress, int)}; with {@code replace}, an existing
   * route to the same destination is replaced instead of refused (restoring routes after a link
   * came back up).
   */
  public static Request addUnicast(
      InetAddress destination,
      int prefixLength,
      InetAddress gateway,
      int outputIndex,
      boolean replace) {
    InetAddress family = destination != null ? destination : gateway;
    if (family == null) {
      throw new IllegalArgumentException("a default route needs a gateway");
    }
    int scope = gateway == null ? RT_SCOPE_LINK : RT_SCOPE_UNIVERSE;
    return new Request(
        RTM_NEWROUTE,
        NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | (replace ? NLM_F_REPLACE : NLM_F_EXCL),
        "RTM_NEWROUTE " + describe(destination, prefixLength, gateway),
        w -> {
          new RtMsg(
                  AddressRequests.family(family),
                  destination == null ? 0 : prefixLength,
                  0,
                  0,
                  RT_TABLE_MAIN,
                  RTPROT_BOOT,
                  scope,
                  RTN_UNICAST,
                  0)
              .writeTo(w);
          putTarget(w, destination, gateway, outputIndex);
        });
  }

  /** A route of a refusing type ({@link Rtnetlink#RTN_BLACKHOLE} and friends). */
  public static Request addRefusing(InetAddress destination, int prefixLength, int routeType) {
    return new Request(
        RTM_NEWROUTE,
        NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL,
        "RTM_NEWROUTE "
            + routeTypeName(routeType)
            + " "
            + describe(destination, prefixLength, null),
        w -> {
          new RtMsg(
                  AddressRequests.family(destination),
                  prefixLength,
                  0,
                  0,
                  RT_TABLE_MAIN,
                  RTPROT_BOOT,
                  RT_SCOPE_UNIVERSE,
                  routeType,
                  0)
              .writeTo(w);
          w.putAttribute(RTA_DST, destination.getAddress());
        });
  }

  /**
   * Deletes a route of the main table matching destination, prefix and type (and gateway and output
   * interface where given).
   */
  public static Request delete(
      InetAddress destination,
      int prefixLength,
      int routeType,
      InetAddress gateway,
      int outputIndex) {
    InetAddress family = destination != null ? destination : gateway;
    return new Request(
        RTM_DELROUTE,
        NLM_F_REQUEST | NLM_F_ACK,
        "RTM_DELROUTE "
            + routeTypeName(routeType)
            + " "
            + describe(destination, prefixLength, gateway),
        w -> {
          new RtMsg(
                  AddressRequests.family(family),
                  destination == null ? 0 : prefixLength,
                  0,
                  0,
                  RT_TABLE_MAIN,
                  RTPROT_UNSPEC,
                  RT_SCOPE_NOWHERE,
                  routeType,
                  0)
              .writeTo(w);
          putTarget(w, destination, gateway, outputIndex);
        });
  }

  /** Dumps the routes of one family (AF_INET or AF_INET6), all tables. */
  public static Request dump(int family) {
    return new Request(
        RTM_GETROUTE,
        NLM_F_REQUEST | NLM_F_DUMP,
        "RTM_GETROUTE dump",
        w -> new RtMsg(family, 0, 0, 0, 0, 0, 0, 0, 0).writeTo(w));
  }

  /** RTA_DST, RTA_GATEWAY and RTA_OIF, each where given, in iproute2's order. */
  private static void putTarget(
      MessageWriter w, InetAddress destination, InetAddress gateway, int outputIndex) {
    if (destination != null) {
      w.putAttribute(RTA_DST, destination.getAddress());
    }
    if (gateway != null) {
      w.putAttribute(RTA_GATEWAY, gateway.getAddress());
    }
    if (outputIndex > 0) {
      w.putU32Attribute(RTA_OIF, outputIndex);
    }
  }

  private static String describe(InetAddress destination, int prefixLength, InetAddress gateway) {
    String to = destination == null ? "default" : destination.getHostAddress() + "/" + prefixLength;
    return gateway == null ? to : to + " via " + gateway.getHostAddress();
  }
}
