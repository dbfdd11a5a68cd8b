package dev.netns.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netns.testing.Oracle;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Two LANs joined by a router: traffic crosses only through it. */
@Tag("privileged")
@NetNamespace("a")
@NetNamespace("b")
@Router("r")
@Lan(
    name = "left",
    subnet = "10.0.1.0/24",
    hosts = {"a", "r"})
@Lan(
    name = "right",
    subnet = "10.0.2.0/24",
    hosts = {"r", "b"})
class RouterTest {

  @Test
  void hostsGetADefaultRouteThroughTheirRouter(@Ns("a") NetNs a, @Ns("r") NetNs r) {
    assertThat(Oracle.ip(a, "route", "show", "default")).contains("default via 10.0.1.2 dev left");
    assertThat(r.sysctl("net.ipv4.ip_forward")).isEqualTo("1");
    assertThat(r.sysctl("net.ipv6.conf.all.forwarding")).isEqualTo("1");
  }

  @Test
  void trafficCrossesThroughTheRouterAndStopsWhenItStopsForwarding(
      @Ns("a") NetNs a, @Ns("b") NetNs b, @Ns("r") NetNs r, Network network) throws Exception {
    InetSocketAddress bAddress = new InetSocketAddress(network.address("b"), 9000);
    assertThat(bAddress.getAddress().getHostAddress()).isEqualTo("10.0.2.2");
    LanTest.exchange(a, b, network.address("b"));

    try (DatagramChannel receiver = b.openDatagramChannel(bAddress);
        DatagramChannel sender = a.openDatagramChannel(null)) {
      receiver.socket().setSoTimeout(300);
      r.sysctl("net.ipv4.ip_forward", "0");
      sender.send(ByteBuffer.wrap(new byte[] {1}), bAddress);
      assertThatThrownBy(
              () -> receiver.socket().receive(new java.net.DatagramPacket(new byte[4], 4)))
          .as("nothing crosses a router that does not forward")
          .isInstanceOf(SocketTimeoutException.class);

      r.sysctl("net.ipv4.ip_forward", "1");
      sender.send(ByteBuffer.wrap(new byte[] {2}), bAddress);
      java.net.DatagramPacket packet = new java.net.DatagramPacket(new byte[4], 4);
      receiver.socket().receive(packet);
      assertThat(packet.getData()[0]).isEqualTo((byte) 2);
    }
  }
}
