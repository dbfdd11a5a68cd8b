package dev.netns.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netns.testing.Oracle;
import java.net.InetAddress;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * What {@link NetNs} reads from the kernel comes as the API's records, with the kernel's numbers as
 * enums. Entries the library does not make itself (an unreachable route with {@code proto static},
 * a permanent neighbour) are added with iproute2, which also serves as the oracle.
 */
@Tag("privileged")
@NetNamespace("blue")
@NetNamespace("red")
@VethLink(
    a = "blue",
    aName = "eth0",
    aAddress = {"10.81.0.1/24", "fd00:81::1/64"},
    b = "red",
    bAddress = {"10.81.0.2/24", "fd00:81::2/64"})
class InspectionTest {

  @Test
  void interfacesAreNetInterfaces(@Ns("blue") NetNs blue) {
    assertThat(blue.interfaces())
        .anySatisfy(
            i -> {
              assertThat(i.name()).isEqualTo("eth0");
              assertThat(i.kind()).isEqualTo("veth");
              assertThat(i.up()).isTrue();
              assertThat(i.lowerUp()).isTrue();
              assertThat(i.masterIndex()).isEqualTo(OptionalInt.empty());
              assertThat(Oracle.ip(blue, "-o", "link", "show", "dev", "eth0"))
                  .contains(i.index() + ": eth0@")
                  .contains("link/ether " + i.mac());
            })
        .anySatisfy(i -> assertThat(i.name()).isEqualTo("lo"));
  }

  @Test
  void addressesAreCidrAddressesWithScope(@Ns("blue") NetNs blue, Network network) {
    assertThat(blue.addresses())
        .anySatisfy(
            a -> {
              assertThat(a.interfaceName()).isEqualTo("eth0");
              assertThat(a.address()).isEqualTo(CidrAddress.parse("10.81.0.1/24"));
              assertThat(a.family()).isEqualTo(AddressFamily.IPV4);
              assertThat(a.scope()).isEqualTo(AddressScope.GLOBAL);
              assertThat(a.tentative()).isFalse();
            })
        .anySatisfy(
            a -> {
              assertThat(a.address()).hasToString("127.0.0.1/8");
              assertThat(a.scope()).isEqualTo(AddressScope.HOST);
            })
        .anySatisfy(
            a -> {
              assertThat(a.address().address().isLinkLocalAddress()).isTrue();
              assertThat(a.family()).isEqualTo(AddressFamily.IPV6);
              assertThat(a.scope()).isEqualTo(AddressScope.LINK);
            });
    // The declared addresses, as the same type.
    assertThat(network.link("blue", "red").addressesIn("blue"))
        .containsExactly(CidrAddress.parse("10.81.0.1/24"), CidrAddress.parse("fd00:81::1/64"));
    assertThat(network.addresses("red"))
        .containsExactly(CidrAddress.parse("10.81.0.2/24"), CidrAddress.parse("fd00:81::2/64"));
  }

  @Test
  void routesCarryTypeProtocolScopeAndFamily(@Ns("blue") NetNs blue) throws Exception {
    Oracle.ip(blue, "route", "add", "unreachable", "10.82.0.0/24", "proto", "static");
    Oracle.ip(blue, "route", "add", "10.83.0.0/24", "via", "10.81.0.2");
    assertThat(blue.routes())
        .contains(
            new RouteEntry(
                CidrAddress.parse("10.81.0.0/24"),
                Optional.empty(),
                Optional.of("eth0"),
                RouteType.UNICAST,
                RouteProtocol.KERNEL,
                AddressScope.LINK),
            new RouteEntry(
                CidrAddress.parse("10.82.0.0/24"),
                Optional.empty(),
                Optional.empty(),
                RouteType.UNREACHABLE,
                RouteProtocol.STATIC,
                AddressScope.GLOBAL),
            new RouteEntry(
                CidrAddress.parse("10.83.0.0/24"),
                Optional.of(InetAddress.getByName("10.81.0.2")),
                Optional.of("eth0"),
                RouteType.UNICAST,
                RouteProtocol.BOOT,
                AddressScope.GLOBAL))
        .anySatisfy(
            r -> {
              assertThat(r.destination()).hasToString("fd00:81::/64");
              assertThat(r.family()).isEqualTo(AddressFamily.IPV6);
            })
        .noneMatch(RouteEntry::isDefault);
  }

  @Test
  void neighboursCarryTheirState(@Ns("blue") NetNs blue, Network network) throws Exception {
    Oracle.ip(
        blue,
        "neigh",
        "add",
        "10.81.0.9",
        "lladdr",
        "02:00:00:00:00:09",
        "dev",
        "eth0",
        "nud",
        "permanent");
    InetAddress red = network.address("red");
    assertThat(blue.call(() -> red.isReachable(2000))).isTrue();
    assertThat(blue.neighbours())
        .contains(
            new NeighbourEntry(
                "eth0",
                InetAddress.getByName("10.81.0.9"),
                Optional.of("02:00:00:00:00:09"),
                NeighbourState.PERMANENT))
        .anySatisfy(
            n -> {
              assertThat(n.address()).isEqualTo(red);
              assertThat(n.family()).isEqualTo(AddressFamily.IPV4);
              assertThat(n.mac()).isPresent();
              // Just answered: reachable, or already stale on a slow machine.
              assertThat(n.state()).isIn(NeighbourState.REACHABLE, NeighbourState.STALE);
            });
  }
}
