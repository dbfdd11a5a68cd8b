package dev.netns.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netns.testing.Oracle;
import dev.netns.testing.Requirements;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Two namespaces joined by a veth pair, checked with iproute2 and with real traffic. */
@Tag("privileged")
class TwoNamespaceTest {
  @BeforeEach
  void requirePrivileges() {
    Requirements.requireNamespaces();
  }

  @Test
  void pairCarriesTcpAndUdpBothFamilies() throws Exception {
    try (NetworkNamespace blue = NetworkNamespace.create("blue");
        NetworkNamespace red = NetworkNamespace.create("red")) {
      Links.createVeth(blue, "red", red, "blue");
      Addresses.add(blue, "red", Cidr.parse("10.1.2.1/24"));
      Addresses.add(red, "blue", Cidr.parse("10.1.2.2/24"));
      Addresses.add(blue, "red", Cidr.parse("fd00:1:2::1/64"));
      Addresses.add(red, "blue", Cidr.parse("fd00:1:2::2/64"));
      Links.setUp(blue, "red", true);
      Links.setUp(red, "blue", true);

      assertThat(Oracle.ip(blue, "-o", "addr", "show", "dev", "red"))
          .contains("inet 10.1.2.1/24")
          .contains("inet6 fd00:1:2::1/64")
          .doesNotContain("tentative");
      assertThat(Oracle.ip(red, "-o", "addr", "show", "dev", "blue")).contains("inet 10.1.2.2/24");
      // The machine's own namespace sees neither end.
      assertThat(Oracle.hostIp("-o", "link", "show"))
          .doesNotContain("red@")
          .doesNotContain("blue@");

      for (String target : new String[] {"10.1.2.2", "fd00:1:2::2"}) {
        InetSocketAddress bind = new InetSocketAddress(Cidr.parseAddress(target), 0);
        try (ServerSocketChannel server = red.call(() -> ServerSocketChannel.open().bind(bind))) {
          InetSocketAddress at = (InetSocketAddress) server.getLocalAddress();
          try (SocketChannel client = blue.call(() -> SocketChannel.open(at));
              SocketChannel accepted = server.accept()) {
            client.write(ByteBuffer.wrap(new byte[] {42}));
            ByteBuffer one = ByteBuffer.allocate(1);
            accepted.read(one);
            assertThat(one.get(0)).isEqualTo((byte) 42);
          }
        }
        try (DatagramChannel receiver = red.call(() -> DatagramChannel.open().bind(bind));
            DatagramChannel sender = blue.call(DatagramChannel::open)) {
          sender.send(ByteBuffer.wrap(new byte[] {7}), receiver.getLocalAddress());
          ByteBuffer datagram = ByteBuffer.allocate(4);
          receiver.receive(datagram);
          assertThat(datagram.position()).isEqualTo(1);
        }
      }
    }
  }

  @Test
  void namespaceThreadSeesItsOwnNamespace() throws Exception {
    try (NetworkNamespace blue = NetworkNamespace.create("blue")) {
      long inThread = blue.call(() -> NamespaceInode.of(Path.of("/proc/thread-self/ns/net")));
      assertThat(inThread).isEqualTo(blue.inode());
      assertThat(NamespaceInode.ofCurrentThread()).isNotEqualTo(blue.inode());
      // A thread started from the namespace thread inherits its namespace.
      long child =
          blue.call(
              () -> {
                long[] seen = new long[1];
                Thread t = new Thread(() -> seen[0] = NamespaceInode.ofCurrentThread());
                t.start();
                t.join();
                return seen[0];
              });
      assertThat(child).isEqualTo(blue.inode());
      // Sysctls are per namespace and written on the namespace's thread.
      Sysctls.setForwarding(blue, true);
      assertThat(Sysctls.read(blue, "net.ipv4.ip_forward")).isEqualTo("1");
      assertThat(Files.readString(Path.of("/proc/sys/net/ipv4/ip_forward")).trim())
          .as("the machine's own setting is untouched")
          .isNotNull();
    }
  }
}
