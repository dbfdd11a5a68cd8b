package dev.netns.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The model refuses what cannot be built, before any syscall, saying what is at fault. */
class TopologyValidationTest {

  private static List<String> problems(Topology.Builder builder) {
    try {
      builder.build();
    } catch (TopologyException e) {
      return e.problems();
    }
    throw new AssertionError("expected the topology to be refused");
  }

  @Test
  void ipv6OnALinkTooNarrowForIt() {
    assertThat(
            problems(
                Topology.builder()
                    .host("a")
                    .host("b")
                    .veth(
                        new VethDeclaration(
                            "a",
                            "",
                            List.of("10.9.0.1/24", "fd00:9::1/64"),
                            "b",
                            "",
                            List.of("10.9.0.2/24"),
                            1000,
                            "veth(a, b)"))))
        .containsExactly(
            "veth(a, b): mtu 1000 is below 1280, the least MTU IPv6 works at, so the link cannot"
                + " carry fd00:9::1/64; raise the mtu or declare IPv4 addresses only");
  }

  @Test
  void overlappingSubnets() {
    assertThat(
            problems(
                Topology.builder()
                    .host("a")
                    .host("b")
                    .lan("one", "10.0.0.0/16", "a")
                    .lan("two", "10.0.1.0/24", "b")))
        .containsExactly("lan(\"two\"): subnet 10.0.1.0/24 overlaps 10.0.0.0/16 of lan(\"one\")");
  }

  @Test
  void hostOnTwoLansWithTheSameSubnet() {
    assertThat(
            problems(
                Topology.builder()
                    .host("a")
                    .host("b")
                    .lan("one", "10.0.1.0/24", "a", "b")
                    .lan(
                        new LanDeclaration(
                            "two",
                            List.of("10.0.1.0/24"),
                            List.of("a"),
                            List.of("10.0.1.50"),
                            "lan(\"two\")"))))
        .containsExactly("lan(\"two\"): subnet 10.0.1.0/24 overlaps 10.0.1.0/24 of lan(\"one\")");
  }

  @Test
  void addressOutsideItsSubnet() {
    assertThat(
            problems(
                Topology.builder()
                    .host("a")
                    .lan(
                        new LanDeclaration(
                            "lan",
                            List.of("10.0.1.0/24"),
                            List.of("a"),
                            List.of("10.0.2.7"),
                            "lan(\"lan\")"))))
        .containsExactly(
            "lan(\"lan\"): address 10.0.2.7 of host 'a' is outside the LAN's subnets [10.0.1.0/24]");
  }

  @Test
  void subnetTooSmallForItsHosts() {
    assertThat(
            problems(
                Topology.builder()
                    .host("a")
                    .host("b")
                    .host("c")
                    .lan("lan", "10.0.1.0/30", "a", "b", "c")))
        .containsExactly("lan(\"lan\"): subnet 10.0.1.0/30 has room for 2 hosts; 3 are declared");
  }

  @Test
  void moreHostsThanABridgeHasPorts() {
    Topology.Builder builder = Topology.builder();
    String[] hosts = new String[1024];
    for (int i = 0; i < hosts.length; i++) {
      hosts[i] = "n" + (i + 1);
      builder.host(hosts[i]);
    }
    assertThat(problems(builder.lan("lan", "10.0.0.0/20", hosts)))
        .containsExactly(
            "lan(\"lan\"): a LAN takes at most 1023 hosts (the ports of one Linux bridge), not"
                + " 1024; join smaller LANs with a router");
  }

  @Test
  void subnetWithHostBits() {
    assertThat(problems(Topology.builder().host("a").lan("lan", "10.0.1.7/24", "a")))
        .containsExactly("lan(\"lan\"): subnet 10.0.1.7/24 has host bits set; write 10.0.1.0/24");
  }

  @Test
  void routeViaAGatewayOnNoAttachedSubnet() {
    assertThat(
            problems(
                Topology.builder()
                    .host("a")
                    .router("r")
                    .lan("lan", "10.0.1.0/24", "a", "r")
                    .route("a", "10.0.9.0/24", "10.0.8.1")))
        .containsExactly(
            "route(in = \"a\", to = \"10.0.9.0/24\", via = \"10.0.8.1\"): gateway 10.0.8.1 is on no"
                + " subnet attached to 'a' (attached: [10.0.1.0/24])");
  }

  @Test
  void routesAreNeverAddedToTheMachine() {
    assertThat(problems(Topology.builder().host("a").route("host", "default", "10.0.0.1")))
        .containsExactly(
            "route(in = \"host\", to = \"default\", via = \"10.0.0.1\"): in = \"host\" names no"
                + " declared namespace (declared: a)");
  }

  @Test
  void lanMembersMustBeDeclared() {
    assertThat(problems(Topology.builder().host("a").lan("lan", "10.0.1.0/24", "a", "ghost")))
        .containsExactly(
            "lan(\"lan\"): hosts names \"ghost\", which is no declared namespace (declared: a)");
  }

  @Test
  void workedOutRoutesFollowTheRouters() {
    Topology line = Topologies.routerLine(3).build();
    // a sits beside r1 only: a default route through it.
    assertThat(line.routes())
        .filteredOn(r -> r.in().equals("a"))
        .singleElement()
        .satisfies(r -> assertThat(r.isDefault()).isTrue());
    // r1 reaches b's subnet through r2, the next router.
    String bSubnet = line.addressesOf("b").get(0).network().toString();
    String r2Towards = line.addressesOf("r2").get(0).address().getHostAddress();
    assertThat(line.routes())
        .filteredOn(r -> r.in().equals("r1") && r.to().toString().equals(bSubnet))
        .singleElement()
        .satisfies(r -> assertThat(r.via().getHostAddress()).isEqualTo(r2Towards));
  }

  @Test
  void pointToPointLinksWithoutAddressesGetThemFromThePool() {
    Topology topology =
        Topology.builder().host("a").host("b").veth("a", List.of(), "b", List.of()).build();
    assertThat(topology.addressesOf("a")).hasToString("[10.200.0.1/30]");
    assertThat(topology.addressesOf("b")).hasToString("[10.200.0.2/30]");
    assertThatThrownBy(
            () ->
                Topology.builder()
                    .addressPool("10.0.0.0/31")
                    .host("a")
                    .host("b")
                    .veth("a", List.of(), "b", List.of())
                    .build())
        .isInstanceOf(TopologyException.class)
        .hasMessage("address pool 10.0.0.0/31 must be an IPv4 block of /30 or larger");
  }

  @Test
  void thePeersSubnetRoutedOnTheMachineMustBeNewToIt() {
    Topology topology =
        Topology.builder()
            .host("blue")
            .veth(
                new VethDeclaration(
                    "blue",
                    "",
                    List.of("192.168.1.200/25"),
                    Topology.HOST,
                    "njx0",
                    List.of("10.250.0.1/30"),
                    0,
                    "link"))
            .build();
    dev.netns.kernel.RouteInfo lan =
        new dev.netns.kernel.RouteInfo(
            dev.netns.kernel.Cidr.parse("192.168.1.0/24"),
            null,
            "eth0",
            dev.netns.kernel.RtType.UNICAST,
            dev.netns.kernel.RtProtocol.KERNEL,
            dev.netns.kernel.RtScope.LINK,
            254);
    assertThat(topology.conflictsWithHostRoutes(List.of(lan)))
        .containsExactly(
            "link: the peer's subnet 192.168.1.128/25 would be routed over this link on the machine,"
                + " but overlaps the machine's route to 192.168.1.0/24 on eth0; pick a subnet the"
                + " machine does not use");
  }

  @Test
  void routesWiderThanATestMayInstallCountLikeTheDefaultRoute() {
    Topology topology =
        Topology.builder()
            .host("blue")
            .veth(
                new VethDeclaration(
                    "blue",
                    "",
                    List.of("10.250.0.2/30"),
                    Topology.HOST,
                    "njx0",
                    List.of("10.250.0.1/30"),
                    0,
                    "link"))
            .build();
    // What a VPN client installs in place of the default route; and a corporate /8 beside it.
    List<dev.netns.kernel.RouteInfo> vpn =
        List.of(
            machineRoute("0.0.0.0/1", "tun0"),
            machineRoute("128.0.0.0/1", "tun0"),
            machineRoute("10.0.0.0/8", "tun0"));
    assertThat(topology.conflictsWithHostRoutes(vpn.subList(0, 2))).isEmpty();
    assertThat(topology.conflictsWithHostRoutes(vpn))
        .containsExactly(
            "link: host-side address 10.250.0.1/30 overlaps the machine's route to 10.0.0.0/8 on"
                + " tun0; pick a subnet the machine does not use");
  }

  private static dev.netns.kernel.RouteInfo machineRoute(String destination, String link) {
    return new dev.netns.kernel.RouteInfo(
        dev.netns.kernel.Cidr.parse(destination),
        null,
        link,
        dev.netns.kernel.RtType.UNICAST,
        dev.netns.kernel.RtProtocol.BOOT,
        dev.netns.kernel.RtScope.LINK,
        254);
  }

  @Test
  void theMachineIsNeverAGateway() {
    assertThat(
            problems(
                Topology.builder()
                    .host("blue")
                    .veth(
                        new VethDeclaration(
                            "blue",
                            "",
                            List.of("10.251.0.2/24"),
                            Topology.HOST,
                            "njx1",
                            List.of("10.251.0.1/24"),
                            0,
                            "link"))
                    .route("blue", "default", "10.251.0.1")))
        .containsExactly(
            "route(in = \"blue\", to = \"default\", via = \"10.251.0.1\"): gateway 10.251.0.1 is the"
                + " machine's own end of a link; the machine never routes test traffic");
  }

  /** A link from blue to the machine, with the given addresses; refused or not. */
  private static Topology.Builder hostLink(String blueAddress, String hostAddress) {
    return Topology.builder()
        .host("blue")
        .veth(
            new VethDeclaration(
                "blue",
                "",
                List.of(blueAddress),
                Topology.HOST,
                "njx2",
                List.of(hostAddress),
                0,
                "link"));
  }

  @Test
  void aPeerSubnetRoutedOnTheMachineMayBeNoWiderThanASlash8() {
    // The machine would send half the internet into the test: 0.0.0.0/1 dev njx2.
    assertThat(problems(hostLink("1.0.0.1/1", "10.5.0.2/32")))
        .containsExactly(
            "link: aAddress 1.0.0.1/1 would make the machine route 0.0.0.0/1 over this link; a"
                + " test may route at most a /8 of IPv4 on the machine");
    assertThat(problems(hostLink("64.0.0.1/2", "10.5.0.2/32")))
        .containsExactly(
            "link: aAddress 64.0.0.1/2 would make the machine route 64.0.0.0/2 over this link; a"
                + " test may route at most a /8 of IPv4 on the machine");
    assertThat(problems(hostLink("8000::1/1", "fd00:5::2/128")))
        .containsExactly(
            "link: aAddress 8000::1/1 would make the machine route 8000::/1 over this link; a test"
                + " may route at most a /16 of IPv6 on the machine");
    // As wide as allowed: accepted.
    hostLink("11.0.0.1/8", "10.5.0.2/32").build();
    hostLink("fd01::1/16", "fd00:5::2/128").build();
  }

  @Test
  void aHostSideAddressMayRouteNoMoreThanASlash8() {
    assertThat(problems(hostLink("10.5.0.1/24", "10.5.0.2/7")))
        .containsExactly(
            "link: bAddress 10.5.0.2/7 would make the machine route 10.0.0.0/7 over this link; a"
                + " test may route at most a /8 of IPv4 on the machine");
    assertThat(problems(hostLink("fd00:5::1/64", "fd00:5::2/15")))
        .containsExactly(
            "link: bAddress fd00:5::2/15 would make the machine route fd00::/15 over this link; a"
                + " test may route at most a /16 of IPv6 on the machine");
  }

  @Test
  void theUnspecifiedAddressOnTheMachineIsRefusedInsteadOfSilentlyDropped() {
    assertThat(problems(hostLink("10.5.0.1/24", "0.0.0.0/1")))
        .containsExactly(
            "link: bAddress 0.0.0.0/1 is an unspecified address (0.0.0.0/8); the machine's end of"
                + " a link needs a unicast address of a subnet the machine does not use");
    assertThat(problems(hostLink("fd00:5::1/64", "::/64")))
        .containsExactly(
            "link: bAddress ::/64 is the unspecified address (::/128); the machine's end of a link"
                + " needs a unicast address of a subnet the machine does not use");
  }

  @Test
  void loopbackMulticastAndLinkLocalAddressesAreRefusedOnTheMachine() {
    assertThat(problems(hostLink("10.5.0.1/24", "127.0.0.2/8")))
        .containsExactly(
            "link: bAddress 127.0.0.2/8 is a loopback address (127.0.0.0/8); the machine's end of"
                + " a link needs a unicast address of a subnet the machine does not use");
    assertThat(problems(hostLink("fd00:5::1/64", "::1/128")))
        .containsExactly(
            "link: bAddress ::1/128 is the loopback address (::1/128); the machine's end of a link"
                + " needs a unicast address of a subnet the machine does not use");
    assertThat(problems(hostLink("10.5.0.1/24", "224.0.0.5/24")))
        .containsExactly(
            "link: bAddress 224.0.0.5/24 is a multicast address (224.0.0.0/4); the machine's end"
                + " of a link needs a unicast address of a subnet the machine does not use");
    assertThat(problems(hostLink("fd00:5::1/64", "ff02::5/64")))
        .containsExactly(
            "link: bAddress ff02::5/64 is a multicast address (ff00::/8); the machine's end of a"
                + " link needs a unicast address of a subnet the machine does not use");
    assertThat(problems(hostLink("10.5.0.1/24", "169.254.7.2/24")))
        .containsExactly(
            "link: bAddress 169.254.7.2/24 is a link-local address (169.254.0.0/16); the machine's"
                + " end of a link needs a unicast address of a subnet the machine does not use");
    assertThat(problems(hostLink("fd00:5::1/64", "fe80::5/64")))
        .containsExactly(
            "link: bAddress fe80::5/64 is a link-local address (fe80::/10); the machine's end of a"
                + " link needs a unicast address of a subnet the machine does not use");
  }

  @Test
  void routesOnTheMachineMustNotCoverReservedRanges() {
    // 169.0.0.0/8 is a /8, but it takes 169.254.169.254 (a cloud's metadata service, say) too.
    assertThat(problems(hostLink("169.1.0.1/24", "169.1.0.2/8")))
        .containsExactly(
            "link: bAddress 169.1.0.2/8 would make the machine route 169.0.0.0/8 over this link,"
                + " which overlaps a link-local range (169.254.0.0/16); pick a subnet the machine"
                + " does not use");
    assertThat(problems(hostLink("169.254.1.1/16", "10.5.0.2/32")))
        .containsExactly(
            "link: aAddress 169.254.1.1/16 would make the machine route 169.254.0.0/16 over this"
                + " link, which overlaps a link-local range (169.254.0.0/16); pick a subnet the"
                + " machine does not use");
    // Inside a test namespace, the peer may use what it likes when the machine routes none of it.
    hostLink("127.0.0.5/8", "fd00:5::2/64").build();
  }

  @Test
  void aDefaultNameThatIsNoInterfaceNameSaysWhereItCameFrom() {
    assertThat(
            problems(
                Topology.builder()
                    .host("blue")
                    .host("my host")
                    .veth("blue", List.of("10.5.0.1/24"), "my host", List.of("10.5.0.2/24"))))
        .containsExactly(
            "veth(\"blue\", \"my host\"): aName is not set, so the end in 'blue' is named after"
                + " namespace 'my host', but as an interface name 'my host' contains 'whitespace';"
                + " set aName to name the end explicitly");
    assertThat(
            problems(
                Topology.builder()
                    .host("blue")
                    .host("lan:a-long-name-here")
                    .veth(
                        new VethDeclaration(
                            "lan:a-long-name-here",
                            "eth0",
                            List.of("10.5.0.1/24"),
                            "blue",
                            "",
                            List.of("10.5.0.2/24"),
                            0,
                            "link"))))
        .containsExactly(
            "link: bName is not set, so the end in 'blue' is named after namespace"
                + " 'lan:a-long-name-here' (cut to 'lan:a-long-name'), but as an interface name"
                + " 'lan:a-long-name' contains ':'; set bName to name the end explicitly");
  }

  @Test
  void anAddressDeclaredTwiceNamesBothPlaces() {
    assertThat(
            problems(
                Topology.builder()
                    .host("a")
                    .host("b")
                    .host("c")
                    .veth("a", List.of("10.5.0.1/24"), "b", List.of("10.5.0.2/24"))
                    .veth("b", List.of("10.6.0.1/24"), "c", List.of("10.5.0.1/24"))))
        .contains(
            "veth(\"b\", \"c\"): address 10.5.0.1 is declared twice, as bAddress and as aAddress"
                + " of veth(\"a\", \"b\")");
    assertThat(
            problems(
                Topology.builder()
                    .host("a")
                    .host("b")
                    .veth("a", List.of("10.5.0.1/24"), "b", List.of("10.5.0.1/24"))))
        .containsExactly(
            "veth(\"a\", \"b\"): address 10.5.0.1 is declared twice, as bAddress and as"
                + " aAddress");
    assertThat(
            problems(
                Topology.builder()
                    .host("a")
                    .host("b")
                    .lan(
                        new LanDeclaration(
                            "lan",
                            List.of("10.7.0.0/24"),
                            List.of("a", "b"),
                            List.of("10.7.0.5", "10.7.0.5"),
                            "lan(\"lan\")"))))
        .containsExactly(
            "lan(\"lan\"): address 10.7.0.5 is declared twice, as the address of host 'b' and as"
                + " the address of host 'a'");
  }
}
