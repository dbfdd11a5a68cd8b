package dev.netns.samples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netns.junit.Fault;
import dev.netns.junit.Impairment;
import dev.netns.junit.NetNamespace;
import dev.netns.junit.NetNs;
import dev.netns.junit.Network;
import dev.netns.junit.VethLink;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A retry policy tried against a bad network: 100 ms of latency each way and 10 % loss, on any
 * kernel, and the same losses every run.
 *
 * <p>A client sends 30 requests over UDP to a server that answers each. On a clean link every
 * request is answered at once. Through the impaired link, about one exchange in five loses its
 * request or its reply, so a client without retries fails requests; a client that waits a little
 * longer than the round trip (200 ms here) and retries completes all of them, at the price of the
 * retries it needed. The impairment's seed fixes which datagrams are lost, so the counts are the
 * same in every run: a flaky-looking failure becomes one that can be replayed.
 *
 * <p>The link is declared {@code impairable}: it runs through a hidden namespace where, while the
 * impairment is in force, a userspace forwarder delays and drops frames. That path works on any
 * kernel, with or without the kernel's netem.
 */
@NetNamespace("client")
@NetNamespace("server")
@VethLink(
    a = "client",
    aAddress = "10.8.0.1/24",
    b = "server",
    bAddress = "10.8.0.2/24",
    impairable = true)
class RetryUnderLossTest {
  private static final int REQUESTS = 30;

  @Test
  void retriesCarryEveryRequestThroughLossAndLatency(Network network) throws Exception {
    NetNs client = network.namespace("client");
    NetNs server = network.namespace("server");
    InetSocketAddress serverAddress = new InetSocketAddress(network.address("server"), 9100);
    AtomicInteger handled = new AtomicInteger();
    try (DatagramSocket serverSocket = server.call(() -> new DatagramSocket(serverAddress));
        DatagramSocket clientSocket = client.call(() -> new DatagramSocket(0))) {
      Future<?> echo = server.executor().submit(() -> serve(serverSocket, handled));

      assertThat(runWithoutRetries(clientSocket, serverAddress, Duration.ofMillis(100)))
          .as("answered on a clean link")
          .isEqualTo(REQUESTS);

      Impairment wan =
          Impairment.none().withDelay(Duration.ofMillis(100)).withLoss(10).withSeed(2024);
      try (Fault out = network.link("client", "server").impair("client", wan);
          Fault back = network.link("client", "server").impair("server", wan.withSeed(2025))) {
        int answeredOnce = runWithoutRetries(clientSocket, serverAddress, Duration.ofMillis(300));
        assertThat(answeredOnce)
            .as("answered without retries through 10 %% loss each way")
            .isLessThan(REQUESTS);

        int retries = runWithRetries(clientSocket, serverAddress, Duration.ofMillis(300), 10);
        assertThat(retries).as("retries needed for all %d requests", REQUESTS).isPositive();
      }
      serverSocket.close();
      echo.cancel(true);
    }
  }

  /** How many of the requests get an answer with one try each. */
  private static int runWithoutRetries(
      DatagramSocket socket, InetSocketAddress server, Duration timeout) throws Exception {
    int answered = 0;
    for (int id = 0; id < REQUESTS; id++) {
      if (exchange(socket, server, id, timeout)) {
        answered++;
      }
    }
    return answered;
  }

  /** Sends every request until answered; returns the retries it took. Fails if one never is. */
  private static int runWithRetries(
      DatagramSocket socket, InetSocketAddress server, Duration timeout, int attempts)
      throws Exception {
    int retries = 0;
    for (int id = 1000; id < 1000 + REQUESTS; id++) {
      int attempt = 1;
      while (!exchange(socket, server, id, timeout)) {
        assertThat(attempt).as("attempts for request %d", id).isLessThan(attempts);
        attempt++;
        retries++;
      }
    }
    return retries;
  }

  /** One request and its answer; false if the answer did not come within {@code timeout}. */
  private static boolean exchange(
      DatagramSocket socket, InetSocketAddress server, int id, Duration timeout) throws Exception {
    socket.send(new DatagramPacket(ByteBuffer.allocate(4).putInt(id).array(), 4, server));
    socket.setSoTimeout((int) timeout.toMillis());
    long deadline = System.nanoTime() + timeout.toNanos();
    DatagramPacket answer = new DatagramPacket(new byte[4], 4);
    while (System.nanoTime() < deadline) {
      try {
        socket.receive(answer);
      } catch (SocketTimeoutException e) {
        return false;
      }
      if (ByteBuffer.wrap(answer.getData()).getInt() == id) {
        return true; // answers to earlier, given-up requests are ignored
      }
    }
    return false;
  }

  private static Void serve(DatagramSocket socket, AtomicInteger handled) throws Exception {
    DatagramPacket request = new DatagramPacket(new byte[4], 4);
    while (!socket.isClosed()) {
      try {
        socket.receive(request);
      } catch (java.net.SocketException closed) {
        return null;
      }
      handled.incrementAndGet();
      socket.send(new DatagramPacket(request.getData(), 4, request.getSocketAddress()));
    }
    return null;
  }
}
