package dev.netns.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netns.testing.Oracle;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Three hosts on one LAN, both families: everyone reaches everyone, by name and by address. */
@Tag("privileged")
@NetNamespace("n1")
@NetNamespace("n2")
@NetNamespace("n3")
@Lan(
    name = "lan",
    subnet = {"10.0.0.0/24", "fd00:0:0:1::/64"},
    hosts = {"n1", "n2", "n3"})
class LanTest {
  private static final List<String> HOSTS = List.of("n1", "n2", "n3");

  @Test
  void addressesAreAssignedInDeclarationOrder(Network network, @Ns("n3") NetNs n3) {
    assertThat(network.address("n1").getHostAddress()).isEqualTo("10.0.0.1");
    assertThat(network.addresses("n3"))
        .containsExactly(CidrAddress.parse("10.0.0.3/24"), CidrAddress.parse("fd00:0:0:1::3/64"));
    assertThat(network.addresses("n3").get(1)).hasToString("fd00:0:0:1::3/64");
    assertThat(Oracle.ip(n3, "-o", "addr", "show", "dev", "lan"))
        .contains("inet 10.0.0.3/24")
        .contains("inet6 fd00:0:0:1::3/64");
  }

  @Test
  void everyHostReachesEveryOtherOverTcpAndUdpBothFamilies(Network network) throws Exception {
    for (String from : HOSTS) {
      for (String to : HOSTS) {
        if (from.equals(to)) {
          continue;
        }
        for (CidrAddress address : network.addresses(to)) {
          exchange(network.namespace(from), network.namespace(to), address.address());
        }
        // By name: what the host's name stands for in a test.
        exchange(network.namespace(from), network.namespace(to), network.address(to));
      }
    }
  }

  static void exchange(NetNs from, NetNs to, InetAddress target) throws Exception {
    try (ServerSocketChannel server =
        to.openServerSocketChannel(new InetSocketAddress(target, 0))) {
      InetSocketAddress at = (InetSocketAddress) server.getLocalAddress();
      try (SocketChannel client = from.openSocketChannel(at);
          SocketChannel accepted = server.accept()) {
        client.write(ByteBuffer.wrap(new byte[] {1}));
        ByteBuffer one = ByteBuffer.allocate(1);
        accepted.read(one);
        assertThat(one.get(0)).as("TCP %s -> %s", from.name(), target).isEqualTo((byte) 1);
      }
    }
    try (DatagramChannel receiver = to.openDatagramChannel(new InetSocketAddress(target, 0));
        DatagramChannel sender = from.openDatagramChannel(null)) {
      sender.send(ByteBuffer.wrap(new byte[] {2}), receiver.getLocalAddress());
      ByteBuffer got = ByteBuffer.allocate(4);
      receiver.receive(got);
      assertThat(got.position()).as("UDP %s -> %s", from.name(), target).isEqualTo(1);
    }
  }
}
