package dev.netns.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netns.testing.HostState;
import dev.netns.testing.HostSubnets;
import dev.netns.testing.Oracle;
import dev.netns.testing.Requirements;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * The seed's setup built with the kernel layer alone: namespace "blue", a veth pair to the host,
 * 10.1.1.1/24 in blue and 192.168.1.176/24 on the host end. Every fact is checked with iproute2,
 * then TCP and UDP cross the link.
 */
@ResourceLock(HostSubnets.SEED_SCENARIO)
@Tag("privileged")
class SeedScenarioTest {
  private static final Cidr BLUE_ADDRESS = Cidr.parse("10.1.1.1/24");
  private static final Cidr HOST_ADDRESS = Cidr.parse("192.168.1.176/24");

  @BeforeEach
  void requirePrivileges() {
    Requirements.requireNamespaces();
    // The two subnets below get on-link routes in the host namespace; they must not shadow or
    // overlap a route the machine already has.
    String hostRoutes = Oracle.hostIp("route", "show");
    assertThat(hostRoutes).doesNotContain("10.1.1.").doesNotContain("192.168.1.");
  }

  @Test
  void seedSetupMatchesIproute2AndCarriesTcpAndUdp() throws Exception {
    String hostEnd = "njseed" + ThreadLocalRandom.current().nextInt(100_000, 999_999);
    try (NetworkNamespace host = NetworkNamespace.host();
        NetworkNamespace blue = NetworkNamespace.create("blue")) {
      try {
        Links.createVeth(blue, "veth1", host, hostEnd);
        Addresses.add(blue, "veth1", BLUE_ADDRESS);
        Addresses.add(host, hostEnd, HOST_ADDRESS);
        Links.setUp(blue, "veth1", true);
        Links.setUp(host, hostEnd, true);
        // Two subnets on one wire: each side routes the other's subnet on-link over the veth, and
        // the host only for that declared subnet, over that declared interface.
        Routes.addOnLink(blue, HOST_ADDRESS.network(), "veth1");
        Routes.addOnLink(host, BLUE_ADDRESS.network(), hostEnd);

        String blueAddr = Oracle.ip(blue, "-o", "addr", "show", "dev", "veth1");
        assertThat(blueAddr).contains("inet 10.1.1.1/24");
        String blueLinks = Oracle.ip(blue, "-o", "link", "show");
        assertThat(blueLinks).contains("1: lo:").contains("veth1@");
        assertThat(Oracle.ip(blue, "-o", "link", "show", "lo")).contains("UP");
        assertThat(Oracle.ip(blue, "-o", "link", "show", "veth1")).contains(",UP,");
        assertThat(Oracle.hostIp("-o", "addr", "show", "dev", hostEnd))
            .contains("inet 192.168.1.176/24");
        assertThat(Oracle.hostIp("-o", "link", "show", "dev", hostEnd)).contains(",UP,");
        assertThat(Oracle.ip(blue, "route", "show"))
            .contains("10.1.1.0/24 dev veth1")
            .contains("192.168.1.0/24 dev veth1");
        assertThat(Oracle.hostIp("route", "show", "10.1.1.0/24")).contains("dev " + hostEnd);

        // The library's own view agrees with iproute2's.
        assertThat(Inspection.addresses(blue))
            .anySatisfy(
                a -> {
                  assertThat(a.linkName()).isEqualTo("veth1");
                  assertThat(a.address()).isEqualTo(BLUE_ADDRESS);
                });
        assertThat(Inspection.links(blue))
            .anySatisfy(
                l -> {
                  assertThat(l.name()).isEqualTo("veth1");
                  assertThat(l.kind()).isEqualTo("veth");
                  assertThat(l.up()).isTrue();
                });

        // TCP: a server created on blue's thread, a client in the host namespace.
        try (ServerSocketChannel server =
            blue.call(
                () ->
                    ServerSocketChannel.open()
                        .bind(new InetSocketAddress(BLUE_ADDRESS.address(), 0)))) {
          int port = ((InetSocketAddress) server.getLocalAddress()).getPort();
          try (SocketChannel client =
                  SocketChannel.open(new InetSocketAddress(BLUE_ADDRESS.address(), port));
              SocketChannel accepted = server.accept()) {
            client.write(ByteBuffer.wrap("hello blue".getBytes(StandardCharsets.UTF_8)));
            ByteBuffer received = ByteBuffer.allocate(64);
            accepted.read(received);
            assertThat(new String(received.array(), 0, received.position(), StandardCharsets.UTF_8))
                .isEqualTo("hello blue");
            assertThat(((InetSocketAddress) accepted.getRemoteAddress()).getAddress())
                .isEqualTo(HOST_ADDRESS.address());
          }
        }

        // UDP: a datagram from the host end to blue.
        try (DatagramChannel receiver =
                blue.call(
                    () ->
                        DatagramChannel.open()
                            .bind(new InetSocketAddress(BLUE_ADDRESS.address(), 0)));
            DatagramChannel sender = DatagramChannel.open()) {
          sender.bind(new InetSocketAddress(HOST_ADDRESS.address(), 0));
          sender.send(ByteBuffer.wrap(new byte[] {1, 2, 3}), receiver.getLocalAddress());
          ByteBuffer datagram = ByteBuffer.allocate(16);
          InetSocketAddress from = (InetSocketAddress) receiver.receive(datagram);
          assertThat(datagram.position()).isEqualTo(3);
          assertThat(from.getAddress()).isEqualTo(InetAddress.getByName("192.168.1.176"));
        }
      } finally {
        // The host end goes at once (deleting one end removes both), not when the kernel gets to
        // it.
        if (Links.find(host, hostEnd).isPresent()) {
          Links.delete(host, hostEnd);
        }
      }
    }
    assertThat(HostState.hostLinks()).doesNotContain(hostEnd);
  }
}
