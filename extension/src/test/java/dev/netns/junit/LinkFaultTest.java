package dev.netns.junit;

import static dev.netns.junit.NetAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** One-way cuts, links and LAN ports going down, and bandwidth limits, on a point-to-point link. */
@Tag("privileged")
@NetNamespace("a")
@NetNamespace("b")
@VethLink(a = "a", aAddress = "10.2.0.1/24", b = "b", bAddress = "10.2.0.2/24")
class LinkFaultTest {
  private static final Duration SHORT = Duration.ofMillis(300);

  @Test
  void partitionOnAPointToPointLinkStopsTcpAndUdpBothWaysAndHeals(Network network)
      throws Exception {
    NetNs a = network.namespace("a");
    NetNs b = network.namespace("b");
    InetAddress aAddress = network.address("a");
    InetAddress bAddress = network.address("b");
    try (ServerSocket server = b.serverSocketFactory().createServerSocket(7300, 5, bAddress);
        Socket client = a.socketFactory().createSocket(bAddress, 7300);
        Socket accepted = server.accept()) {
      client.getOutputStream().write(1);
      assertThat(accepted.getInputStream().read()).isEqualTo(1);
      accepted.setSoTimeout(300);
      try (Fault split = network.partition(java.util.Set.of("a"), java.util.Set.of("b"))) {
        PartitionTest.assertUdp(a, b, bAddress, false);
        PartitionTest.assertUdp(b, a, aAddress, false);
        assertThat(a).within(SHORT).cannotConnect(bAddress, 7300);
        client.getOutputStream().write(2); // held back by TCP until the partition heals
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> accepted.getInputStream().read())
            .isInstanceOf(java.net.SocketTimeoutException.class);
      }
      accepted.setSoTimeout(15_000);
      assertThat(accepted.getInputStream().read())
          .as("the established stream carries on")
          .isEqualTo(2);
      PartitionTest.assertUdp(a, b, bAddress, true);
      PartitionTest.assertUdp(b, a, aAddress, true);
    }
  }

  @Test
  void oneWayCutSilencesOnlyOneDirection(Network network) throws Exception {
    NetNs a = network.namespace("a");
    NetNs b = network.namespace("b");
    InetAddress aAddress = network.address("a");
    InetAddress bAddress = network.address("b");
    try (Fault cut = network.cut("a", "b")) {
      assertThat(cut.description()).isEqualTo("cut a -> b (silent)");
      PartitionTest.assertUdp(a, b, bAddress, false);
      PartitionTest.assertUdp(b, a, aAddress, true);
    }
    PartitionTest.assertUdp(a, b, bAddress, true);
  }

  @Test
  void rejectingCutFailsTheSenderFast(Network network) throws Exception {
    NetNs a = network.namespace("a");
    NetNs b = network.namespace("b");
    try (Fault cut = network.cutRejecting("a", "b")) {
      assertThat(cut.description()).isEqualTo("cut a -> b (rejecting)");
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () ->
                  a.call(
                      () -> {
                        try (Socket s = new Socket()) {
                          s.connect(new java.net.InetSocketAddress(network.address("b"), 9), 5_000);
                        }
                        return null;
                      }))
          .isInstanceOf(java.net.NoRouteToHostException.class);
      PartitionTest.assertUdp(b, a, network.address("a"), true);
    }
  }

  @Test
  void linkDownCutsBothWaysAndComesBack(Network network) throws Exception {
    NetNs a = network.namespace("a");
    InetAddress bAddress = network.address("b");
    Link wire = network.link("a", "b");
    try (Fault down = wire.disconnect()) {
      assertThat(a).hasInterfaceDown("b").within(SHORT).cannotReach(bAddress);
      assertThat(down.description()).isEqualTo("link a:b<->b:a down");
    }
    assertThat(a).hasInterfaceUp("b");
    NetAssertions.awaitReachable(a, bAddress, Duration.ofSeconds(5));
  }

  @Test
  void bandwidthLimitCapsATcpTransferAndHealLiftsIt(Network network) throws Exception {
    NetNs a = network.namespace("a");
    NetNs b = network.namespace("b");
    long limited;
    try (Fault slow = network.link("a", "b").impair("a", Impairment.none().withRate(8_000_000))) {
      assertThat(slow.description()).isEqualTo("rate 8000000 bit/s leaving a:b");
      limited = transferBitsPerSecond(a, b, network.address("b"), 1_000_000);
    }
    long free = transferBitsPerSecond(a, b, network.address("b"), 1_000_000);
    // A token bucket lets its first burst through at once, so a 1 MB transfer can run a little
    // above the rate; it must not run far above it, nor far below.
    assertThat(limited).as("bit/s under an 8 Mbit/s limit").isBetween(4_000_000L, 12_000_000L);
    assertThat(free).as("bit/s once healed").isGreaterThan(50_000_000L);
  }

  /** Sends {@code bytes} from {@code from} to {@code to} over TCP; returns the receiver's rate. */
  static long transferBitsPerSecond(NetNs from, NetNs to, InetAddress toAddress, int bytes)
      throws Exception {
    try (ServerSocket server = to.serverSocketFactory().createServerSocket(0, 1, toAddress)) {
      Future<Long> received =
          to.executor()
              .submit(
                  () -> {
                    try (Socket peer = server.accept();
                        InputStream in = peer.getInputStream()) {
                      byte[] buffer = new byte[65536];
                      long total = 0;
                      long started = 0;
                      int n;
                      while ((n = in.read(buffer)) > 0) {
                        if (total == 0) {
                          started = System.nanoTime();
                        }
                        total += n;
                      }
                      long nanos = Math.max(1, System.nanoTime() - started);
                      return total * 8 * 1_000_000_000L / nanos;
                    }
                  });
      try (Socket client = from.socketFactory().createSocket(toAddress, server.getLocalPort());
          OutputStream out = client.getOutputStream()) {
        out.write(new byte[bytes]);
      }
      return received.get();
    }
  }
}
