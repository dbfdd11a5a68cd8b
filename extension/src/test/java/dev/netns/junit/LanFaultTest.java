package dev.netns.junit;

import static dev.netns.junit.NetAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** A host unplugged from its LAN loses everyone; plugged back, its routes come back too. */
@Tag("privileged")
@NetNamespace("a")
@NetNamespace("b")
@Router("r")
@Lan(
    name = "left",
    subnet = {"10.0.1.0/24", "fd00:0:0:11::/64"},
    hosts = {"a", "r"})
@Lan(
    name = "right",
    subnet = {"10.0.2.0/24", "fd00:0:0:12::/64"},
    hosts = {"r", "b"})
class LanFaultTest {

  @Test
  void unpluggedHostIsCutOffAndComesBackWithItsRoutes(Network network) throws Exception {
    NetNs a = network.namespace("a");
    InetAddress b = network.address("b");
    InetAddress bV6 = InetAddress.getByName("fd00:0:0:12::2");
    // First contact across the router resolves neighbours on two hops; on a loaded machine that
    // can take longer than one echo's second.
    NetAssertions.awaitReachable(a, b, Duration.ofSeconds(5));
    NetAssertions.awaitReachable(a, bV6, Duration.ofSeconds(5));
    try (Fault unplugged = network.disconnect("a", "left")) {
      assertThat(unplugged.description()).isEqualTo("a unplugged from LAN left");
      assertThat(a).hasInterfaceDown("left").within(Duration.ofMillis(300)).cannotReach(b);
      assertThat(a.routes()).noneMatch(r -> r.isDefault() && r.gateway().isPresent());
    }
    // The default routes through r went with the link; healing put them back.
    NetAssertions.awaitReachable(a, b, Duration.ofSeconds(5));
    NetAssertions.awaitReachable(a, bV6, Duration.ofSeconds(5));
  }

  @Test
  void twoUnpluggingsOfOnePortKeepItUnpluggedUntilBothHeal(Network network) throws Exception {
    NetNs a = network.namespace("a");
    InetAddress r = InetAddress.getByName("10.0.1.2");
    NetAssertions.awaitReachable(a, r, Duration.ofSeconds(5));
    Fault first = network.disconnect("a", "left");
    Fault second = network.disconnect("a", "left");
    first.heal();
    assertThat(second.isActive()).isTrue();
    assertThat(a).hasInterfaceDown("left").within(Duration.ofMillis(300)).cannotReach(r);
    second.heal();
    NetAssertions.awaitReachable(a, network.address("b"), Duration.ofSeconds(5));
  }
}
