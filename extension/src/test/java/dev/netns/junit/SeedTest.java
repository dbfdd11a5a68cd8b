package dev.netns.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netns.testing.HostSubnets;
import dev.netns.testing.Oracle;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * The seed's scenario through the annotations: namespace "blue" with a veth to the machine's own
 * namespace, 10.1.1.1/24 in blue and 192.168.1.176/24 on the host end, and a TCP echo across. The
 * two ends sit in different subnets, so the extension routes exactly each peer's subnet over the
 * link (on the host: 10.1.1.0/24 over the declared interface, nothing else).
 */
@ResourceLock(HostSubnets.SEED_SCENARIO)
@Tag("privileged")
@NetNamespace("blue")
@VethLink(
    a = "blue",
    aName = "veth1",
    aAddress = "10.1.1.1/24",
    b = VethLink.HOST,
    bAddress = "192.168.1.176/24")
class SeedTest {

  @Test
  void tcpEchoAcrossTheSeedLink(@Ns("blue") NetNs blue, Network network) throws Exception {
    String hostEnd = network.link("blue", VethLink.HOST).interfaceIn(VethLink.HOST);
    assertThat(Oracle.hostIp("-o", "addr", "show", "dev", hostEnd))
        .contains("inet 192.168.1.176/24");
    assertThat(Oracle.hostIp("route", "show", "10.1.1.0/24")).contains("dev " + hostEnd);
    assertThat(Oracle.hostIp("route", "show", "default")).doesNotContain(hostEnd);
    assertThat(blue.routes())
        .anySatisfy(r -> assertThat(r.destination()).hasToString("192.168.1.0/24"));
    assertThat(blue.interfaces()).anySatisfy(l -> assertThat(l.name()).isEqualTo("veth1"));

    try (ServerSocket server = blue.serverSocketFactory().createServerSocket(7000)) {
      ExecutorService inBlue = blue.executor();
      Future<Void> echo =
          inBlue.submit(
              () -> {
                try (Socket peer = server.accept()) {
                  new DataOutputStream(peer.getOutputStream())
                      .writeLong(new DataInputStream(peer.getInputStream()).readLong() + 1);
                }
                return null;
              });
      // This thread is in the machine's own namespace: it reaches blue over the declared link.
      try (Socket client = new Socket()) {
        client.bind(new InetSocketAddress("192.168.1.176", 0));
        client.connect(new InetSocketAddress("10.1.1.1", 7000), 5_000);
        new DataOutputStream(client.getOutputStream()).writeLong(41);
        assertThat(new DataInputStream(client.getInputStream()).readLong()).isEqualTo(42);
      }
      echo.get();
    }
  }
}
