package dev.netns.kernel;

import dev.netns.netlink.AddressRequests;
import dev.netns.netlink.Request;

/**
 * IP addresses on links. IPv6 addresses are added without duplicate address detection, so they are
 * usable at once.
 *
 * <pre>{@code
 * Addresses.add(blue, "red", Cidr.parse("10.1.1.1/24"));
 * }</pre>
 */
public final class Addresses {
  private Addresses() {}

  /** Adds an address (with its prefix, which also adds the prefix route) to a link. */
  public static void add(NetworkNamespace ns, String link, Cidr address) {
    ns.netlink().execute(addRequest(ns, link, Links.index(ns, link), address));
  }

  /** The request {@link #add} sends, for callers that batch several. */
  public static Request addRequest(NetworkNamespace ns, String link, int index, Cidr address) {
    return AddressRequests.add(index, address.address(), address.prefixLength())
        .describedAs("RTM_NEWADDR " + address + " on " + ns.name() + ":" + link);
  }

  /** Removes an address from a link. */
  public static void delete(NetworkNamespace ns, String link, Cidr address) {
    ns.netlink()
        .execute(
            AddressRequests.delete(Links.index(ns, link), address.address(), address.prefixLength())
                .describedAs("RTM_DELADDR " + address + " on " + ns.name() + ":" + link));
  }
}
