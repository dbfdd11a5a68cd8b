package dev.netns.kernel;

import dev.netns.netlink.NeighbourRequests;
import java.net.InetAddress;

/** Permanent neighbour (ARP and NDP) entries, which save the first packets their resolution. */
public final class Neighbours {
  private Neighbours() {}

  /** {@code address} is at {@code mac} on {@code link}, permanently. */
  public static void addPermanent(
      NetworkNamespace ns, String link, InetAddress address, String mac) {
    ns.netlink()
        .execute(
            NeighbourRequests.addPermanent(Links.index(ns, link), address, Mac.parse(mac))
                .describedAs(
                    "RTM_NEWNEIGH "
                        + address.getHostAddress()
                        + " lladdr "
                        + mac
                        + " dev "
                        + ns.name()
                        + ":"
                        + link));
  }
}
