package dev.netns.topology;

import dev.netns.kernel.Cidr;
import java.util.List;

/**
 * A host's attachment to a LAN: a veth pair from the host to the LAN's switch.
 *
 * @param host the attached host
 * @param interfaceName the interface in the host (named after the LAN)
 * @param switchPort the interface in the switch's namespace, enslaved to its bridge
 * @param addresses the host's addresses on this LAN
 */
public record LanPort(String host, String interfaceName, String switchPort, List<Cidr> addresses) {
  public LanPort {
    addresses = List.copyOf(addresses);
  }
}
