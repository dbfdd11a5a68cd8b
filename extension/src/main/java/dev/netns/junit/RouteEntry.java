package dev.netns.junit;

import java.net.InetAddress;
import java.util.Optional;

/**
 * A route of a namespace's main routing table, as {@code ip route} (and {@code ip -6 route}) shows
 * it. One of {@link NetNs#routes()}.
 *
 * <pre>{@code
 * assertThat(a.routes()).noneMatch(r -> r.isDefault() && r.gateway().isPresent());
 * RouteEntry toLan = a.routes().stream()
 *     .filter(r -> r.destination().equals(CidrAddress.parse("10.0.0.0/24")))
 *     .findFirst().orElseThrow();                    // dev eth0 proto kernel scope link
 * }</pre>
 *
 * @param destination the destination prefix; {@code 0.0.0.0/0} or {@code ::/0} for a default route
 * @param gateway the next hop, if the route has one
 * @param interfaceName the name of the output interface, if the route has one (refusing routes,
 *     such as {@link RouteType#UNREACHABLE}, have none)
 * @param type what the route does with packets
 * @param protocol who installed it
 * @param scope how far its destinations are: {@link AddressScope#LINK} for an attached subnet,
 *     {@link AddressScope#GLOBAL} through a gateway
 */
public record RouteEntry(
    CidrAddress destination,
    Optional<InetAddress> gateway,
    Optional<String> interfaceName,
    RouteType type,
    RouteProtocol protocol,
    AddressScope scope) {

  /** IPv4 or IPv6: the family of the destination. */
  public AddressFamily family() {
    return destination.family();
  }

  /** True for a default route ({@code 0.0.0.0/0} or {@code ::/0}). */
  public boolean isDefault() {
    return destination.prefixLength() == 0;
  }
}
