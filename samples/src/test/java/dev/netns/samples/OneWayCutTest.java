package dev.netns.samples;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.netns.junit.Fault;
import dev.netns.junit.NetNamespace;
import dev.netns.junit.NetNs;
import dev.netns.junit.Network;
import dev.netns.junit.Ns;
import dev.netns.junit.VethLink;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A classic bug, reproduced: the client's requests reach the server, the server answers, and the
 * answers never come back. A client that reads without a timeout then waits forever, and nothing
 * anywhere reports an error: the server sent its reply successfully, as far as it can tell.
 *
 * <p>{@code network.cut("server", "client")} makes packets from {@code server} to {@code client}
 * vanish, while packets from {@code client} to {@code server} still flow: a one-way fault, like a
 * broken return path, an asymmetric firewall rule or a reply routed into a black hole. What a
 * client sees depends on the protocol:
 *
 * <ul>
 *   <li><b>UDP request/response.</b> The request arrives and is handled; the reply is lost. The
 *       client's {@code receive} blocks until a reply comes, and none ever will: with the JDK's
 *       default {@code SO_TIMEOUT} of 0 it waits forever. {@link
 *       #udpRequestArrivesButTheReplyNeverComesBack} shows the request arriving and a read with a
 *       generous timeout failing with {@link SocketTimeoutException} instead of hanging.
 *   <li><b>The fix.</b> A read timeout, and retries: {@link
 *       #aClientWithAReadTimeoutAndRetriesRidesOutTheFault} sends again after each timeout and gets
 *       its answer once the fault heals. The server then handles the same request several times, so
 *       handling must be safe to repeat (idempotent): the requests carry an id, and the server's
 *       log shows the same id once per attempt.
 *   <li><b>A new TCP connection.</b> The client's SYN arrives; the server's SYN-ACK vanishes, so
 *       the handshake never completes and the server never accepts. Only a connect timeout ends the
 *       wait.
 *   <li><b>An established TCP connection.</b> The request's bytes arrive and the server reads them,
 *       but its acknowledgements and its reply vanish. TCP hides the loss: both sides keep
 *       retransmitting, so no error surfaces for many minutes (about 15 with Linux's default {@code
 *       tcp_retries2}), and a client with nothing left unacknowledged would wait forever. A read
 *       timeout is what ends the wait, and it does not break the connection: once the fault heals,
 *       TCP's own retransmission delivers the reply on the same connection, with no request sent
 *       again.
 * </ul>
 *
 * <p>{@link #establishedTcpConnectionHidesTheLossUntilTheFaultHeals} shows both TCP cases. Every
 * wait here is bounded (timeouts of a few seconds at most), so the sample shows a hang without
 * hanging.
 */
@NetNamespace("client")
@NetNamespace("server")
@VethLink(a = "client", aAddress = "10.3.0.1/24", b = "server", bAddress = "10.3.0.2/24")
class OneWayCutTest {
  private static final int PORT = 7000;

  @Test
  void udpRequestArrivesButTheReplyNeverComesBack(
      Network network, @Ns("client") NetNs client, @Ns("server") NetNs server) throws Exception {
    UdpServer udp = UdpServer.start(server, network.address("server"));
    try (DatagramChannel channel = client.openDatagramChannel(null)) {
      DatagramSocket socket = channel.socket();
      assertThat(socket.getSoTimeout()).as("the JDK's default: wait forever").isZero();
      socket.setSoTimeout(2_000);

      // Before the fault: request and reply.
      assertThat(exchange(socket, udp.address(), "1")).isEqualTo("done 1");

      try (Fault cut = network.cut("server", "client")) {
        assertThat(cut.description()).isEqualTo("cut server -> client (silent)");
        send(socket, udp.address(), "2");
        // Two seconds is a generous wait on a virtual cable; without a timeout, this is a hang.
        assertThatThrownBy(() -> receive(socket)).isInstanceOf(SocketTimeoutException.class);
        // Yet the request did arrive, and the server answered it without any error.
        assertThat(udp.handled()).containsExactly("1", "2");
        assertThat(udp.replied()).isEqualTo(2);
      }
      // Healed: the same socket works again.
      assertThat(exchange(socket, udp.address(), "3")).isEqualTo("done 3");
    }
  }

  @Test
  void aClientWithAReadTimeoutAndRetriesRidesOutTheFault(
      Network network, @Ns("client") NetNs client, @Ns("server") NetNs server) throws Exception {
    UdpServer udp = UdpServer.start(server, network.address("server"));
    Fault cut = network.cut("server", "client");
    // The fault heals on its own after a second and a half, while the client is trying.
    Thread healer =
        new Thread(
            () -> {
              try {
                Thread.sleep(1_500);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              } finally {
                cut.heal();
              }
            },
            "healer");
    healer.start();
    try (DatagramChannel channel = client.openDatagramChannel(null)) {
      DatagramSocket socket = channel.socket();
      socket.setSoTimeout(300); // per attempt
      int attempts = 0;
      String reply = null;
      while (reply == null && attempts < 30) {
        attempts++;
        send(socket, udp.address(), "42"); // the same request id every time
        try {
          reply = receive(socket);
        } catch (SocketTimeoutException lost) {
          // the reply (or the request) was lost: ask again
        }
      }
      assertThat(reply).isEqualTo("done 42");
      assertThat(attempts).as("attempts, the first ones lost to the cut").isGreaterThan(1);
      // Every attempt reached the server: it handled the same request more than once.
      int sent = attempts;
      await().atMost(Duration.ofSeconds(2)).until(() -> udp.handled().size() == sent);
      assertThat(udp.handled()).containsOnly("42");
    } finally {
      healer.join();
    }
  }

  @Test
  void establishedTcpConnectionHidesTheLossUntilTheFaultHeals(
      Network network, @Ns("client") NetNs client, @Ns("server") NetNs server) throws Exception {
    InetAddress serverAddress = network.address("server");
    List<String> requests = new CopyOnWriteArrayList<>();
    try (ServerSocket listening =
        server.serverSocketFactory().createServerSocket(PORT, 1, serverAddress)) {
      Future<?> serving =
          server
              .executor()
              .submit(
                  () -> {
                    try (Socket peer = listening.accept();
                        BufferedReader in =
                            new BufferedReader(
                                new InputStreamReader(peer.getInputStream(), UTF_8))) {
                      String request = in.readLine();
                      requests.add(request);
                      peer.getOutputStream().write(("done " + request + "\n").getBytes(UTF_8));
                      return in.readLine(); // null: the client closed
                    }
                  });

      // Connected before the fault: the handshake is done.
      try (Socket socket = client.socketFactory().createSocket()) {
        socket.connect(new InetSocketAddress(serverAddress, PORT), 2_000);
        BufferedReader in =
            new BufferedReader(new InputStreamReader(socket.getInputStream(), UTF_8));
        OutputStream out = socket.getOutputStream();

        try (Fault cut = network.cut("server", "client")) {
          out.write("hello\n".getBytes(UTF_8));
          socket.setSoTimeout(2_000);
          assertThatThrownBy(in::readLine).isInstanceOf(SocketTimeoutException.class);
          // The server read the request and wrote its reply; TCP is retransmitting it in vain.
          assertThat(requests).containsExactly("hello");

          // A new connection cannot even be made: the SYN arrives, the SYN-ACK vanishes.
          try (Socket second = client.socketFactory().createSocket()) {
            assertThatThrownBy(
                    () -> second.connect(new InetSocketAddress(serverAddress, PORT), 1_000))
                .isInstanceOf(SocketTimeoutException.class);
          }
        }

        // Healed. The timeout did not break the connection: the server's next retransmission
        // brings the reply, with no new request.
        socket.setSoTimeout(10_000);
        assertThat(in.readLine()).isEqualTo("done hello");
        assertThat(requests).containsExactly("hello");
      }
      serving.get(5, TimeUnit.SECONDS);
    }
  }

  private static String exchange(DatagramSocket socket, InetSocketAddress to, String id)
      throws IOException {
    send(socket, to, id);
    return receive(socket);
  }

  private static void send(DatagramSocket socket, InetSocketAddress to, String id)
      throws IOException {
    byte[] bytes = id.getBytes(UTF_8);
    socket.send(new DatagramPacket(bytes, bytes.length, to));
  }

  private static String receive(DatagramSocket socket) throws IOException {
    DatagramPacket packet = new DatagramPacket(new byte[512], 512);
    socket.receive(packet);
    return new String(packet.getData(), 0, packet.getLength(), UTF_8);
  }

  /**
   * A UDP server in the server's namespace: answers each request id with {@code done <id>}, and
   * keeps a log of what it handled. Its executor is shut down at teardown, which closes the channel
   * and ends the loop.
   */
  private static final class UdpServer {
    private final DatagramChannel channel;
    private final List<String> handled = new CopyOnWriteArrayList<>();
    private volatile int replied;

    private UdpServer(DatagramChannel channel) {
      this.channel = channel;
    }

    static UdpServer start(NetNs server, InetAddress address) throws IOException {
      UdpServer udp =
          new UdpServer(server.openDatagramChannel(new InetSocketAddress(address, PORT)));
      server.executor().submit(udp::serve);
      return udp;
    }

    private Void serve() throws IOException {
      try (channel) {
        ByteBuffer buffer = ByteBuffer.allocate(512);
        while (true) {
          buffer.clear();
          InetSocketAddress from = (InetSocketAddress) channel.receive(buffer);
          String id = new String(buffer.array(), 0, buffer.position(), UTF_8);
          handled.add(id);
          // The kernel accepts the reply without complaint even when it is routed into the void.
          channel.send(ByteBuffer.wrap(("done " + id).getBytes(UTF_8)), from);
          replied++;
        }
      } catch (ClosedChannelException stopped) {
        return null;
      }
    }

    InetSocketAddress address() throws IOException {
      return (InetSocketAddress) channel.getLocalAddress();
    }

    List<String> handled() {
      return handled;
    }

    int replied() {
      return replied;
    }
  }
}
