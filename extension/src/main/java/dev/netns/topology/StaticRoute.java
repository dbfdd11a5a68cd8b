package dev.netns.topology;

import dev.netns.kernel.Cidr;
import java.net.InetAddress;

/**
 * A route in one host: to a subnet (or default, when {@code to} is a /0) via a gateway on an
 * attached subnet.
 *
 * @param in the host whose table gets the route
 * @param to the destination network
 * @param via the gateway
 * @param origin how it was declared ("computed" for the ones the topology worked out)
 */
public record StaticRoute(String in, Cidr to, InetAddress via, String origin) {
  /** True for a default route. */
  public boolean isDefault() {
    return to.prefixLength() == 0;
  }
}
