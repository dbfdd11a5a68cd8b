package dev.netns.topology;

import static dev.netns.topology.WiringChecks.assertReaches;
import static dev.netns.topology.WiringChecks.bridgePorts;
import static org.assertj.core.api.Assertions.assertThat;

import dev.netns.kernel.NetworkNamespace;
import dev.netns.testing.Requirements;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * What each namespace a network makes stands for (declared host, LAN switch, wire of an impairable
 * link) comes from the model: hosts whose names look like those of the hidden namespaces are built
 * and wired like any other.
 */
@Tag("privileged")
class NamespaceRolesTest {

  @Test
  void hostsNamedLikeSwitchesAndWiresAreWiredAsDeclared() throws Exception {
    Requirements.requireNamespaces();
    // "lan:left" and "wire0:wire-lan:left" are the names the hidden namespaces of this very
    // network would have; "wire" starts like a wire's.
    Topology topology =
        Topology.builder()
            .host("wire")
            .host("lan:left")
            .router("wire0:wire-lan:left")
            .lan("left", "10.143.1.0/24", "wire", "lan:left", "wire0:wire-lan:left")
            .veth(
                new VethDeclaration(
                    "wire",
                    "w0",
                    List.of("10.143.2.1/24"),
                    "lan:left",
                    "l0",
                    List.of("10.143.2.2/24"),
                    0,
                    "link",
                    true))
            .build();
    try (RunningTopology network = topology.start()) {
      assertThat(network.namespaces().keySet())
          .containsExactly("wire", "lan:left", "wire0:wire-lan:left");
      assertThat(network.allNamespaces()).hasSize(5);

      NetworkNamespace lanSwitch = network.lanSwitch("left");
      assertThat(network.namespaces().values()).doesNotContain(lanSwitch);
      assertThat(bridgePorts(lanSwitch)).hasSize(3);
      VethPair link = topology.links().get(0);
      assertThat(bridgePorts(network.wire(link)))
          .containsExactlyInAnyOrder(RunningTopology.WIRE_A, RunningTopology.WIRE_B);

      // Over the LAN, over the impairable link, and from the router (forwarding on) likewise.
      assertReaches(
          network.namespace("wire"),
          network.namespace("lan:left"),
          InetAddress.getByName("10.143.1.2"));
      assertReaches(
          network.namespace("wire"),
          network.namespace("lan:left"),
          InetAddress.getByName("10.143.2.2"));
      assertReaches(
          network.namespace("wire0:wire-lan:left"),
          network.namespace("wire"),
          InetAddress.getByName("10.143.1.1"));
      assertThat(
              network
                  .namespace("wire0:wire-lan:left")
                  .call(
                      () ->
                          java.nio.file.Files.readString(
                                  java.nio.file.Path.of("/proc/sys/net/ipv4/ip_forward"))
                              .trim()))
          .as("the router forwards")
          .isEqualTo("1");
    }
  }
}
