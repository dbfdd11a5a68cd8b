package dev.netns.junit;

import java.net.InetAddress;
import java.util.Optional;

/**
 * An entry of a namespace's neighbour table (ARP for IPv4, neighbour discovery for IPv6), as {@code
 * ip neigh} shows it. One of {@link NetNs#neighbours()}.
 *
 * <pre>{@code
 * assertThat(blue.neighbours())
 *     .anyMatch(n -> n.address().equals(network.address("red")) && n.state() == NeighbourState.REACHABLE);
 * }</pre>
 *
 * @param interfaceName the name of the interface the neighbour is on
 * @param address the neighbour's IP address
 * @param mac its hardware address, lower-case colon-separated hex, once resolved
 * @param state where resolution stands
 */
public record NeighbourEntry(
    String interfaceName, InetAddress address, Optional<String> mac, NeighbourState state) {

  /** IPv4 or IPv6. */
  public AddressFamily family() {
    return AddressFamily.of(address);
  }
}
