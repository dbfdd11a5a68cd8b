package dev.netns.samples;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.netns.junit.Lan;
import dev.netns.junit.NetNamespace;
import dev.netns.junit.NetNs;
import dev.netns.junit.Network;
import dev.netns.junit.Ns;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real server program and a Java client on two hosts of a LAN: the shape of most integration
 * tests of networked code, with the network made real.
 *
 * <p>{@code @Lan} puts {@code server} and {@code client} on one switch, with addresses from {@code
 * 10.0.0.0/24} in the order the hosts are listed: {@code server} is {@code 10.0.0.1}, {@code
 * client} is {@code 10.0.0.2}, and {@code network.address("server")} is how a test names the server
 * without hard-coding its address.
 *
 * <p>The server is Python's {@code http.server}, a separate process started with {@link
 * NetNs#start}: it inherits the {@code server} namespace, so it can bind {@code 10.0.0.1}, which
 * exists nowhere else. The test waits for the line the server prints once it listens, instead of
 * sleeping or retrying connections. Port 8000 is fixed: each test has namespaces of its own, so no
 * other test or program on the machine can hold it.
 *
 * <p>The client is a plain {@link Socket} made by {@code client.socketFactory()}, so it is created
 * in the {@code client} namespace and connects from {@code 10.0.0.2}, which the server's access log
 * confirms. Two JDK HTTP clients are traps here. {@code java.net.http.HttpClient} starts its
 * selector thread lazily in the namespace of the thread that builds it, and on Java 17 it cannot be
 * closed (see {@code docs/threads-and-sockets.md}). {@code HttpURLConnection} keeps idle
 * connections in one cache for the whole JVM, keyed by protocol, host and port, never by namespace:
 * two tests running in parallel with the same addresses can be handed each other's connections.
 *
 * <p>The LAN exists only inside the test's namespaces: the machine itself has no interface on it
 * and no route to it. {@link #theMachineItselfHasNoWayOntoTheLan} shows that without sending a
 * single packet from the machine's namespace: it only asks the kernel which way a packet would go.
 */
@NetNamespace("server")
@NetNamespace("client")
@Lan(
    name = "lan",
    subnet = "10.0.0.0/24",
    hosts = {"server", "client"})
class ClientServerProcessTest {
  private static final int PORT = 8000;

  @TempDir Path site;

  @Test
  void clientFetchesAFileFromAServerProcess(
      Network network, @Ns("server") NetNs server, @Ns("client") NetNs client) throws Exception {
    InetAddress serverAddress = network.address("server");
    assertThat(serverAddress.getHostAddress()).isEqualTo("10.0.0.1"); // first listed, first address
    Files.writeString(site.resolve("hello.txt"), "hello from the server namespace\n");

    Process python =
        server.start(
            new ProcessBuilder(
                    "python3",
                    "-u", // unbuffered: each line reaches us when printed
                    "-m",
                    "http.server",
                    "--bind",
                    serverAddress.getHostAddress(),
                    "--directory",
                    site.toString(),
                    String.valueOf(PORT))
                .redirectErrorStream(true)); // the access log goes to stderr
    Output output = Output.of(python);
    await("the server listening")
        .atMost(Duration.ofSeconds(15))
        .until(() -> output.contains("Serving HTTP on 10.0.0.1 port " + PORT, python));
    // The process lives in the server's namespace: its network is the LAN's port and loopback.
    assertThat(interfaceNames(Path.of("/proc", String.valueOf(python.pid()), "net", "dev")))
        .containsExactlyInAnyOrder("lo", "lan");

    String response;
    try (Socket socket = client.socketFactory().createSocket()) {
      socket.setSoTimeout(5_000);
      socket.connect(new InetSocketAddress(serverAddress, PORT), 5_000);
      socket
          .getOutputStream()
          .write("GET /hello.txt HTTP/1.0\r\nHost: server\r\n\r\n".getBytes(UTF_8));
      response = new String(socket.getInputStream().readAllBytes(), UTF_8); // HTTP/1.0: to EOF
    }
    assertThat(response)
        .startsWith("HTTP/1.0 200 OK")
        .endsWith("\r\n\r\nhello from the server namespace\n");
    // The server saw the request come from the client's address on the LAN.
    await("the access log line")
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                output.lines().stream()
                    .anyMatch(
                        l ->
                            l.startsWith(network.address("client").getHostAddress() + " - - [")
                                && l.endsWith("\"GET /hello.txt HTTP/1.0\" 200 -")));
  }

  @Test
  void theMachineItselfHasNoWayOntoTheLan(Network network, @Ns("client") NetNs client)
      throws Exception {
    InetAddress serverAddress = network.address("server");
    List<InetAddress> lanAddresses = List.of(network.address("server"), network.address("client"));

    // Inside the client, the kernel would send to the server from the client's LAN address.
    assertThat(client.call(() -> sourceAddressTowards(serverAddress)))
        .contains(network.address("client"));

    // JUnit's thread is in the machine's namespace: there, the LAN does not exist. The kernel
    // either finds no route at all, or only the machine's own way out (its default route), with
    // a source address that is none of the LAN's.
    assertThat(interfaceNames(Path.of("/proc/thread-self/net/dev"))).doesNotContain("lan");
    Optional<InetAddress> fromTheMachine = sourceAddressTowards(serverAddress);
    fromTheMachine.ifPresent(source -> assertThat(lanAddresses).doesNotContain(source));
  }

  /**
   * The source address the kernel of the calling thread's namespace would use towards {@code
   * destination}, which names the interface its routes lead out of; empty when no route leads
   * there. Connecting a UDP socket only looks the route up: no packet is sent.
   */
  private static Optional<InetAddress> sourceAddressTowards(InetAddress destination)
      throws IOException {
    try (DatagramChannel probe = DatagramChannel.open()) {
      probe.connect(new InetSocketAddress(destination, PORT));
      return Optional.of(((InetSocketAddress) probe.getLocalAddress()).getAddress());
    } catch (SocketException e) {
      if (String.valueOf(e.getMessage()).contains("Network is unreachable")) {
        return Optional.empty();
      }
      throw e;
    }
  }

  private static List<String> interfaceNames(Path procNetDev) throws IOException {
    return Files.readAllLines(procNetDev).stream()
        .skip(2) // two header lines
        .map(line -> line.substring(0, line.indexOf(':')).trim())
        .collect(Collectors.toList());
  }

  /**
   * What a process prints, line by line, collected by a daemon thread of the machine's namespace
   * (reading a pipe needs no network). The thread ends when the process does: at the latest when
   * teardown kills it.
   */
  private static final class Output {
    private final List<String> lines = new CopyOnWriteArrayList<>();

    static Output of(Process process) {
      Output output = new Output();
      Thread reader =
          new Thread(
              () -> {
                try (BufferedReader in =
                    new BufferedReader(new InputStreamReader(process.getInputStream(), UTF_8))) {
                  for (String line; (line = in.readLine()) != null; ) {
                    output.lines.add(line);
                  }
                } catch (IOException e) {
                  // the pipe closed under us as the process died: nothing more to read
                }
              },
              "output of pid " + process.pid());
      reader.setDaemon(true);
      reader.start();
      return output;
    }

    List<String> lines() {
      return lines;
    }

    /** True once a line contains {@code text}; fails when {@code process} died before that. */
    boolean contains(String text, Process process) {
      if (lines.stream().anyMatch(l -> l.contains(text))) {
        return true;
      }
      if (!process.isAlive()) {
        throw new AssertionError(
            "the process exited with " + process.exitValue() + " after printing: " + lines);
      }
      return false;
    }
  }
}
