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
            dev.netns.kernel.Cidr.parse("192.168.1.0/24"), null, "eth0", "unicast", 2, 253, 254);
    assertThat(topology.conflictsWithHostRoutes(List.of(lan)))
        .containsExactly(
            "link: the peer's subnet 192.168.1.128/25 would be routed over this link on the machine,"
                + " but overlaps the machine's route to 192.168.1.0/24 on eth0; pick a subnet the"
                + " machine does not use");
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
}
