package dev.netns.topology;

import static dev.netns.topology.WiringChecks.assertReaches;
import static dev.netns.topology.WiringChecks.bridgePorts;
import static org.assertj.core.api.Assertions.assertThat;

import dev.netns.kernel.AddressInfo;
import dev.netns.kernel.Inspection;
import dev.netns.kernel.NetworkNamespace;
import dev.netns.testing.Requirements;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A LAN large enough that its namespaces are made and its links wired by several threads at once
 * ({@link Spread}) comes out whole: every host up with its address on a port of the switch, hosts
 * far apart in the declaration (so made by different threads) talk, and close leaves nothing open.
 */
@Tag("privileged")
class LargeLanTest {
  private static final int HOSTS = 300;

  @Test
  void aLanBuiltOnSeveralThreadsIsWiredWhole() throws Exception {
    Requirements.requireNamespaces();
    Topology topology = Topologies.lan("lan", "10.143.0.0/22", HOSTS).build();
    List<NetworkNamespace> made;
    try (RunningTopology network = topology.start()) {
      made = network.allNamespaces();
      assertThat(made).hasSize(HOSTS + 1);
      assertThat(bridgePorts(network.lanSwitch("lan"))).hasSize(HOSTS);
      List<String> missing = new ArrayList<>();
      for (int i = 1; i <= HOSTS; i++) {
        NetworkNamespace host = network.namespace("n" + i);
        String expected = topology.addressesOf("n" + i).get(0).address().getHostAddress();
        boolean up =
            Inspection.links(host).stream().anyMatch(l -> l.name().equals("lan") && l.up());
        boolean addressed =
            Inspection.addresses(host).stream()
                .map(AddressInfo::address)
                .anyMatch(a -> a.address().getHostAddress().equals(expected));
        if (!up || !addressed) {
          missing.add("n" + i + (up ? "" : " down") + (addressed ? "" : " without " + expected));
        }
      }
      assertThat(missing).as("hosts not wired").isEmpty();

      int[][] pairs = {{1, HOSTS}, {HOSTS, 1}, {2, HOSTS / 2 + 1}, {HOSTS / 2, HOSTS - 1}};
      for (int[] pair : pairs) {
        assertReaches(
            network.namespace("n" + pair[0]),
            network.namespace("n" + pair[1]),
            topology.addressesOf("n" + pair[1]).get(0).address());
      }
    }
    assertThat(made).allMatch(NetworkNamespace::isClosed);
  }
}
