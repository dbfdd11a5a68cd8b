package dev.netns.kernel;

import java.net.InetAddress;

/**
 * A route of the main table, as {@code ip route} shows it.
 *
 * @param destination the destination prefix: {@code 0.0.0.0/0} or {@code ::/0} for a default route
 * @param gateway the gateway, or null
 * @param linkName the output link's name, or null
 * @param type what the route does with a packet (forward, deliver locally, refuse)
 * @param protocol who installed the route
 * @param scope how far the route reaches
 * @param table the routing table
 */
public record RouteInfo(
    Cidr destination,
    InetAddress gateway,
    String linkName,
    RtType type,
    RtProtocol protocol,
    RtScope scope,
    int table) {

  /** True for a default route (0.0.0.0/0 or ::/0). */
  public boolean isDefault() {
    return destination.prefixLength() == 0;
  }
}
