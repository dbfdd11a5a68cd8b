package dev.netns.topology;

import dev.netns.kernel.Cidr;
import java.util.ArrayList;
import java.util.List;

/**
 * A declared veth pair: one end in host {@code a}, the other in host {@code b}, each with its
 * interface name and addresses.
 *
 * @param a the host of one end ({@link Topology#HOST} for the machine's own namespace)
 * @param aInterface the interface name in {@code a}
 * @param aAddresses the addresses of that end
 * @param b the host of the other end
 * @param bInterface the interface name in {@code b}
 * @param bAddresses the addresses of that end
 * @param mtu the MTU of both ends, or 0 for the kernel's default
 * @param origin how the user declared it, for error messages (for example an annotation)
 * @param impairable true when the link runs through a hidden wire namespace (userspace impairments)
 */
public record VethPair(
    String a,
    String aInterface,
    List<Cidr> aAddresses,
    String b,
    String bInterface,
    List<Cidr> bAddresses,
    int mtu,
    String origin,
    boolean impairable) {

  public VethPair {
    aAddresses = List.copyOf(aAddresses);
    bAddresses = List.copyOf(bAddresses);
  }

  /** True when one end is in the machine's own namespace. */
  public boolean touchesHost() {
    return Topology.HOST.equals(a) || Topology.HOST.equals(b);
  }

  /** The interface name in {@code host}, which must be one of the two ends. */
  public String interfaceIn(String host) {
    if (host.equals(a)) {
      return aInterface;
    }
    if (host.equals(b)) {
      return bInterface;
    }
    throw new IllegalArgumentException(origin + " does not reach " + host);
  }

  /** This link with the end in {@code host} (one of the two ends) named {@code name}. */
  public VethPair withInterfaceIn(String host, String name) {
    if (host.equals(a)) {
      return new VethPair(a, name, aAddresses, b, bInterface, bAddresses, mtu, origin, impairable);
    }
    if (host.equals(b)) {
      return new VethPair(a, aInterface, aAddresses, b, name, bAddresses, mtu, origin, impairable);
    }
    throw new IllegalArgumentException(origin + " does not reach " + host);
  }

  /** The addresses of the end in {@code host}. */
  public List<Cidr> addressesIn(String host) {
    if (host.equals(a)) {
      return aAddresses;
    }
    if (host.equals(b)) {
      return bAddresses;
    }
    throw new IllegalArgumentException(origin + " does not reach " + host);
  }

  /**
   * The subnets that {@code side} routes over this link: those of the peer's addresses outside
   * every subnet of {@code side}'s own in the same family (in which the peer is on-link anyway).
   */
  public List<Cidr> peerSubnetsRoutedFrom(String side) {
    List<Cidr> own = addressesIn(side);
    List<Cidr> routed = new ArrayList<>();
    for (Cidr peer : addressesIn(peerOf(side))) {
      boolean covered = own.stream().anyMatch(a -> a.network().contains(peer.address()));
      boolean sameFamily = own.stream().anyMatch(a -> a.isIpv6() == peer.isIpv6());
      if (!covered && sameFamily) {
        routed.add(peer.network());
      }
    }
    return routed;
  }

  /** The host at the other end from {@code host}. */
  public String peerOf(String host) {
    return host.equals(a) ? b : a;
  }
}
