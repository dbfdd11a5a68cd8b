package dev.netns.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netns.kernel.AddressInfo;
import dev.netns.kernel.Inspection;
import dev.netns.kernel.NetworkNamespace;
import dev.netns.testing.Requirements;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Links of a network without IPv6 addresses carry no IPv6: no link-local addresses and none of the
 * neighbour discovery and multicast listener frames that a LAN floods to every host (a few per
 * host, n² in all). Loopback keeps {@code ::1}. A network with IPv6 addresses keeps IPv6 whole.
 */
@Tag("privileged")
class QuietLinksTest {

  @Test
  void ipv4OnlyLinksCarryNoIpv6() throws Exception {
    Requirements.requireNamespaces();
    int hosts = 30;
    try (RunningTopology network = Topologies.lan("lan", "10.143.4.0/24", hosts).build().start()) {
      NetworkNamespace n2 = network.namespace("n2");
      assertThat(familiesOn(n2, "lan")).containsExactly("10.143.4.2");
      assertThat(familiesOn(n2, "lo")).contains("::1");
      // The other hosts came up at the same time: their chatter, if any, would be here by now,
      // several frames from each, over a hundred in all. What the switch sends of its own (its
      // bridge's and n2's port's IGMP and IPv6 frames, about ten) does not grow with the hosts.
      Thread.sleep(1500);
      assertThat(Inspection.links(n2).stream().filter(l -> l.name().equals("lan")).findFirst())
          .get()
          .satisfies(
              lan ->
                  assertThat(lan.stats().rxPackets())
                      .as("frames n2 received, %d other hosts on the LAN", hosts - 1)
                      .isLessThan(20));
    }
  }

  @Test
  void networksWithIpv6AddressesKeepLinkLocalAddresses() throws Exception {
    Requirements.requireNamespaces();
    Topology topology =
        Topology.builder()
            .host("a")
            .host("b")
            .lan(
                new LanDeclaration(
                    "lan",
                    List.of("10.143.5.0/24", "fd00:143:5::/64"),
                    List.of("a", "b"),
                    List.of(),
                    "lan(\"lan\")"))
            .build();
    try (RunningTopology network = topology.start()) {
      // Read at once: the link-local addresses come with the declared ones, not a moment later
      // from the kernel's work queue, and each interface has its own.
      List<String> onA = linkLocalsOn(network.namespace("a"), "lan");
      List<String> onB = linkLocalsOn(network.namespace("b"), "lan");
      assertThat(familiesOn(network.namespace("a"), "lan")).contains("10.143.5.1");
      assertThat(onA).hasSize(1);
      assertThat(onB).hasSize(1).doesNotContainAnyElementsOf(onA);
      // The switch has no address to announce: its bridge and ports generate none.
      NetworkNamespace lanSwitch = network.lanSwitch("lan");
      assertThat(Inspection.addresses(lanSwitch))
          .allSatisfy(a -> assertThat(a.linkName()).isEqualTo("lo"));
    }
  }

  @Test
  void everyHostInterfaceOfAnIpv6NetworkHasItsLinkLocalAddressAtOnce() throws Exception {
    Requirements.requireNamespaces();
    for (int round = 0; round < 20; round++) {
      try (RunningTopology network =
          Topology.builder()
              .host("a")
              .host("b")
              .veth("a", List.of("fd00:143:6::1/64"), "b", List.of("fd00:143:6::2/64"))
              .build()
              .start()) {
        for (String host : List.of("a", "b")) {
          NetworkNamespace ns = network.namespace(host);
          assertThat(
                  Inspection.addresses(ns).stream()
                      .filter(a -> !a.linkName().equals("lo"))
                      .filter(a -> a.address().address().isLinkLocalAddress()))
              .as("%s, round %d", host, round)
              .hasSize(1);
        }
      }
    }
  }

  @Test
  void aLinkTooNarrowForIpv6GetsNoLinkLocalAddressAndTheNetworkStillStarts() throws Exception {
    Requirements.requireNamespaces();
    // IPv6 needs an MTU of 1280 or more: below it the kernel takes IPv6 off the link, so no
    // link-local address can go there, as none would have been generated there either.
    Topology topology =
        Topology.builder()
            .host("a")
            .host("b")
            .host("c")
            .veth("a", List.of("fd00:143:7::1/64"), "b", List.of("fd00:143:7::2/64"))
            .veth(
                new VethDeclaration(
                    "b",
                    "narrow",
                    List.of("10.143.7.1/24"),
                    "c",
                    "narrow",
                    List.of("10.143.7.2/24"),
                    1000,
                    "veth(\"b\", \"c\", mtu 1000)"))
            .build();
    try (RunningTopology network = topology.start()) {
      assertThat(familiesOn(network.namespace("c"), "narrow")).containsExactly("10.143.7.2");
      assertThat(familiesOn(network.namespace("b"), "narrow")).containsExactly("10.143.7.1");
    }
  }

  private static List<String> linkLocalsOn(NetworkNamespace ns, String link) {
    return familiesOn(ns, link).stream().filter(address -> address.startsWith("fe80:")).toList();
  }

  private static List<String> familiesOn(NetworkNamespace ns, String link) {
    return Inspection.addresses(ns).stream()
        .filter(a -> a.linkName().equals(link))
        .map(AddressInfo::address)
        .map(cidr -> cidr.address().getHostAddress().replaceAll("%.*", ""))
        .map(address -> address.equals("0:0:0:0:0:0:0:1") ? "::1" : address)
        .toList();
  }
}
