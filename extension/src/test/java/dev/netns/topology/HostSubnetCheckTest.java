package dev.netns.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netns.kernel.Addresses;
import dev.netns.kernel.Cidr;
import dev.netns.kernel.Links;
import dev.netns.kernel.NetworkNamespace;
import dev.netns.testing.Oracle;
import dev.netns.testing.Requirements;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The check before a network puts addresses on the machine looks at the machine's addresses as well
 * as its routes: a link that is down (another test's, under a fault) has no routes but keeps its
 * addresses, and gets its routes back when it comes up. Teardown takes a network's host-side
 * addresses off, so that the next network can have the same subnet at once.
 */
@Tag("privileged")
class HostSubnetCheckTest {

  private static Topology network(String subnetPrefix) {
    return Topology.builder()
        .host("blue")
        .veth(
            new VethDeclaration(
                "blue",
                "eth0",
                List.of(subnetPrefix + ".1/24"),
                Topology.HOST,
                "",
                List.of(subnetPrefix + ".2/24"),
                0,
                "link"))
        .build();
  }

  @Test
  void aSubnetOnALinkOfTheMachineThatIsDownIsRefused() {
    Requirements.requireNamespaces();
    try (NetworkNamespace host = NetworkNamespace.host();
        NetworkNamespace other = NetworkNamespace.create("other")) {
      Links.createVeth(host, "njh1down0", other, "eth0");
      try {
        // Down: the machine has the address but no route to its subnet.
        Addresses.add(host, "njh1down0", Cidr.parse("10.144.0.9/24"));
        assertThat(Oracle.hostIp("route", "show")).doesNotContain("10.144.0.");
        assertThatThrownBy(() -> network("10.144.0").start().close())
            .isInstanceOf(TopologyException.class)
            .hasMessage(
                "link: host-side address 10.144.0.2/24 overlaps the machine's address"
                    + " 10.144.0.9/24 on njh1down0; pick a subnet the machine does not use");
      } finally {
        Links.delete(host, "njh1down0");
      }
    }
  }

  @Test
  void theSameHostSideSubnetRightAfterTeardownIsAccepted() {
    Requirements.requireNamespaces();
    for (int round = 0; round < 20; round++) {
      try (RunningTopology network = network("10.144.1").start()) {
        assertThat(network.namespaces()).containsKey("blue");
      }
    }
  }
}
