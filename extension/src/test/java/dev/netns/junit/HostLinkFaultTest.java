package dev.netns.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netns.testing.Oracle;
import java.net.InetAddress;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * A fault on a link to the machine takes down only the namespace's end: the machine keeps its
 * address and its route to the link's subnet (marked linkdown), so no other test JVM can claim the
 * subnet while the fault is in force, and healing replaces no route on the machine. Nor are the
 * machine's sysctls written through its handle.
 */
@Tag("privileged")
// One test at a time: each puts 10.93.0.0/24 on the machine, which the library refuses to give
// twice.
@Execution(ExecutionMode.SAME_THREAD)
@NetNamespace("blue")
@VethLink(a = "blue", aAddress = "10.93.0.1/24", b = VethLink.HOST, bAddress = "10.93.0.2/24")
class HostLinkFaultTest {
  private static final Duration SHORT = Duration.ofMillis(300);
  private static final Duration HEALED = Duration.ofSeconds(5);

  @Test
  void aDisconnectKeepsTheMachinesRouteAndAddressAndCutsTrafficBothWays(Network network)
      throws Exception {
    NetNs blue = network.namespace("blue");
    InetAddress machine = InetAddress.getByName("10.93.0.2");
    String hostEnd = network.link("blue", VethLink.HOST).interfaceIn(VethLink.HOST);
    NetAssertions.assertThat(blue).canReach(machine);
    try (Fault down = network.link("blue", VethLink.HOST).disconnect()) {
      NetAssertions.assertThat(blue).within(SHORT).cannotReach(machine);
      assertMachineKeeps(hostEnd);
    }
    // The kernel settles carrier changes in a batch up to a second later (linkwatch).
    NetAssertions.awaitReachable(blue, machine, HEALED);
    assertMachineKeeps(hostEnd);
  }

  @Test
  void downAndUpKeepTheMachinesRouteAndAddress(Network network) throws Exception {
    NetNs blue = network.namespace("blue");
    InetAddress machine = InetAddress.getByName("10.93.0.2");
    Link link = network.link("blue", VethLink.HOST);
    link.down();
    NetAssertions.assertThat(blue).within(SHORT).cannotReach(machine);
    assertMachineKeeps(link.interfaceIn(VethLink.HOST));
    link.up();
    NetAssertions.awaitReachable(blue, machine, HEALED);
    assertMachineKeeps(link.interfaceIn(VethLink.HOST));
  }

  @Test
  void theMachinesSysctlsAreReadButNeverWritten(Network network) {
    NetNs machine = network.namespace(VethLink.HOST);
    String forwarding = machine.sysctl("net.ipv4.ip_forward");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> machine.sysctl("net.ipv4.ip_forward", "1"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "sysctl: net.ipv4.ip_forward is not written in host, the machine's own namespace,"
                + " whose settings belong to the machine; read it with sysctl(key), or set it in a"
                + " namespace of the test");
    assertThat(machine.sysctl("net.ipv4.ip_forward")).isEqualTo(forwarding);
  }

  private static void assertMachineKeeps(String hostEnd) {
    assertThat(Oracle.hostIp("-o", "-4", "addr", "show", "dev", hostEnd))
        .as("the machine's address on its end")
        .contains("inet 10.93.0.2/24");
    assertThat(Oracle.hostIp("route", "show", "dev", hostEnd))
        .as("the machine's route to the link's subnet")
        .contains("10.93.0.0/24");
  }
}
