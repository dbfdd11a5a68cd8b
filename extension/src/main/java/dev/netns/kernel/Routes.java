package dev.netns.kernel;

import dev.netns.nativeaccess.Errno;
import dev.netns.nativeaccess.KernelException;
import dev.netns.netlink.Request;
import dev.netns.netlink.RouteRequests;
import dev.netns.netlink.Rtnetlink;
import java.net.InetAddress;

/**
 * Routes in a namespace's main table: via a gateway, on-link through an interface, default, and
 * refusing routes (blackhole, unreachable, prohibit).
 *
 * <pre>{@code
 * Routes.addOnLink(host, Cidr.parse("10.1.1.0/24"), "blue0");       // only the declared subnet
 * Routes.addVia(blue, Cidr.parse("10.9.0.0/16"), Cidr.parseAddress("10.1.1.254"));
 * Routes.addRefusing(blue, Cidr.parse("10.2.0.0/24"), RouteType.UNREACHABLE);
 * }</pre>
 */
public final class Routes {
  private Routes() {}

  /** A route to {@code destination} through {@code gateway}. */
  public static void addVia(NetworkNamespace ns, Cidr destination, InetAddress gateway) {
    Cidr network = destination.network();
    ns.netlink()
        .execute(
            RouteRequests.addUnicast(network.address(), network.prefixLength(), gateway, 0)
                .describedAs(
                    "RTM_NEWROUTE "
                        + network
                        + " via "
                        + gateway.getHostAddress()
                        + " in "
                        + ns.name()));
  }

  /** A route to {@code destination} straight out of {@code link}, with no gateway (scope link). */
  public static void addOnLink(NetworkNamespace ns, Cidr destination, String link) {
    Cidr network = destination.network();
    ns.netlink()
        .execute(
            RouteRequests.addUnicast(
                    network.address(), network.prefixLength(), null, Links.index(ns, link))
                .describedAs("RTM_NEWROUTE " + network + " dev " + link + " in " + ns.name()));
  }

  /** The default route through {@code gateway}. */
  public static void addDefault(NetworkNamespace ns, InetAddress gateway) {
    ns.netlink()
        .execute(
            RouteRequests.addUnicast(null, 0, gateway, 0)
                .describedAs(
                    "RTM_NEWROUTE default via " + gateway.getHostAddress() + " in " + ns.name()));
  }

  /** A route that refuses traffic to {@code destination}. */
  public static void addRefusing(NetworkNamespace ns, Cidr destination, RouteType type) {
    Cidr network = destination.network();
    ns.netlink()
        .execute(
            RouteRequests.addRefusing(network.address(), network.prefixLength(), type.rtnType())
                .describedAs(
                    "RTM_NEWROUTE "
                        + type.name().toLowerCase(java.util.Locale.ROOT)
                        + " "
                        + network
                        + " in "
                        + ns.name()));
  }

  /**
   * Deletes a refusing route added by {@link #addRefusing}; a route already gone counts as deleted.
   */
  public static void deleteRefusing(NetworkNamespace ns, Cidr destination, RouteType type) {
    Cidr network = destination.network();
    deleteIfPresent(
        ns,
        RouteRequests.delete(network.address(), network.prefixLength(), type.rtnType(), null, 0)
            .describedAs(
                "RTM_DELROUTE "
                    + type.name().toLowerCase(java.util.Locale.ROOT)
                    + " "
                    + network
                    + " in "
                    + ns.name()));
  }

  /**
   * Deletes a unicast route to {@code destination} (any gateway or interface); a route already gone
   * counts as deleted.
   */
  public static void delete(NetworkNamespace ns, Cidr destination) {
    Cidr network = destination.network();
    deleteIfPresent(
        ns,
        RouteRequests.delete(
                network.address(), network.prefixLength(), Rtnetlink.RTN_UNICAST, null, 0)
            .describedAs("RTM_DELROUTE " + network + " in " + ns.name()));
  }

  /**
   * Sends a route deletion. The kernel answers ESRCH when no route matches (someone else deleted
   * it, or its device went away and took it along): what the caller wanted is then already true.
   */
  private static void deleteIfPresent(NetworkNamespace ns, Request delete) {
    try {
      ns.netlink().execute(delete);
    } catch (KernelException e) {
      if (e.errno() != Errno.ESRCH && e.errno() != Errno.ENOENT) {
        throw e;
      }
    }
  }
}
