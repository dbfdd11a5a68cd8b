package dev.netns.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netns.kernel.NamespaceInode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The API as users write it: two namespaces, a veth pair, injection and @InNamespace. */
@Tag("privileged")
@NetNamespace("blue")
@NetNamespace("red")
@VethLink(a = "blue", aAddress = "10.1.1.1/24", b = "red", bAddress = "10.1.1.2/24")
class EchoTest {
  @Ns("blue")
  NetNs blueField;

  Network network;

  long beforeEachInode;

  @BeforeEach
  @InNamespace("red")
  void beforeEachRunsInRed() {
    beforeEachInode = NamespaceInode.ofCurrentThread();
  }

  @Test
  void echo(@Ns("blue") NetNs blue, @Ns("red") NetNs red) throws Exception {
    try (ServerSocket server = red.call(() -> new ServerSocket(7000))) {
      ExecutorService executor = red.executor();
      Future<String> served =
          executor.submit(
              () -> {
                try (Socket peer = server.accept();
                    BufferedReader in =
                        new BufferedReader(
                            new InputStreamReader(peer.getInputStream(), StandardCharsets.UTF_8));
                    PrintWriter out = new PrintWriter(peer.getOutputStream(), true)) {
                  String line = in.readLine();
                  out.println("echo " + line);
                  return peer.getInetAddress().getHostAddress();
                }
              });
      try (Socket client = blue.socketFactory().createSocket("10.1.1.2", 7000);
          PrintWriter out = new PrintWriter(client.getOutputStream(), true);
          BufferedReader in =
              new BufferedReader(
                  new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8))) {
        out.println("hi");
        assertThat(in.readLine()).isEqualTo("echo hi");
      }
      assertThat(served.get()).isEqualTo("10.1.1.1");
    }
  }

  @Test
  void fieldsAndNetworkAreInjected() {
    assertThat(blueField.name()).isEqualTo("blue");
    assertThat(network.namespaces()).extracting(NetNs::name).containsExactly("blue", "red");
    assertThat(network.link("red", "blue").interfaceIn("blue")).isEqualTo("red");
    assertThat(network.link("blue", "red").interfaceIn("red")).isEqualTo("blue");
    assertThat(blueField.interfaces())
        .anySatisfy(l -> assertThat(l.name()).isEqualTo("red"))
        .anySatisfy(l -> assertThat(l.name()).isEqualTo("lo"));
  }

  @Test
  @InNamespace("blue")
  void bodyRunsInBlue(@Ns("blue") NetNs blue, @Ns("red") NetNs red) throws Exception {
    long here = NamespaceInode.ofCurrentThread();
    assertThat(here).isEqualTo(blue.call(NamespaceInode::ofCurrentThread));
    assertThat(beforeEachInode).isEqualTo(red.call(NamespaceInode::ofCurrentThread));
    // A plain new Socket() made and connected here belongs to blue.
    try (ServerSocket server = red.serverSocketFactory().createServerSocket(7001);
        Socket client = new Socket("10.1.1.2", 7001);
        Socket accepted = server.accept()) {
      assertThat(accepted.getInetAddress().getHostAddress()).isEqualTo("10.1.1.1");
    }
  }

  @Test
  void unconnectedSocketsFromTheFactoriesLiveInTheNamespace(
      @Ns("blue") NetNs blue, @Ns("red") NetNs red) throws Exception {
    // Made inside, bound and connected from this (host) thread: the descriptors still belong to
    // the namespaces, so 10.1.1.2 is reachable although the host has no route to it.
    try (ServerSocket server = red.serverSocketFactory().createServerSocket()) {
      server.bind(new InetSocketAddress("10.1.1.2", 0));
      try (Socket client = blue.socketFactory().createSocket()) {
        // Binding to blue's address first proves the descriptor is in blue before any packet
        // could leave: in the host namespace this bind fails with EADDRNOTAVAIL.
        client.bind(new InetSocketAddress("10.1.1.1", 0));
        client.connect(new InetSocketAddress("10.1.1.2", server.getLocalPort()), 5_000);
        try (Socket accepted = server.accept()) {
          assertThat(accepted.getInetAddress().getHostAddress()).isEqualTo("10.1.1.1");
        }
      }
    }
  }

  @Test
  void processesStartInsideTheNamespace(@Ns("red") NetNs red) throws Exception {
    Process ip = red.exec("cat", "/proc/self/net/dev");
    String devices = new String(ip.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(ip.waitFor()).isZero();
    assertThat(devices).contains("blue:").doesNotContain("eth0:");
  }
}
