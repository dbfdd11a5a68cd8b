package dev.netns.topology;

import dev.netns.kernel.Cidr;
import java.util.List;

/**
 * A validated LAN: a switch (a bridge in a hidden namespace of its own) with a port per host.
 *
 * @param name the LAN's name
 * @param subnets its subnets (IPv4, IPv6 or both), as networks
 * @param ports one per attached host, in declaration order
 * @param origin how it was declared, for error messages
 */
public record Lan(String name, List<Cidr> subnets, List<LanPort> ports, String origin) {
  public Lan {
    subnets = List.copyOf(subnets);
    ports = List.copyOf(ports);
  }

  /** The port of {@code host}, which must be attached. */
  public LanPort port(String host) {
    return ports.stream()
        .filter(p -> p.host().equals(host))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException(host + " is not on LAN " + name));
  }
}
