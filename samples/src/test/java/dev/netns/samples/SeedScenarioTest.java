package dev.netns.samples;

import static dev.netns.junit.NetAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netns.junit.AddressFamily;
import dev.netns.junit.InNamespace;
import dev.netns.junit.NetNamespace;
import dev.netns.junit.NetNs;
import dev.netns.junit.Network;
import dev.netns.junit.Ns;
import dev.netns.junit.VethLink;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The scenario netns-junit grew from: one namespace, {@code blue}, wired to the machine itself by a
 * virtual cable, and a TCP conversation across it.
 *
 * <p>What the annotations build, before each test and gone after it:
 *
 * <ul>
 *   <li>in {@code blue}: loopback up, and the cable's end named {@code veth1} with {@code
 *       10.1.1.1/24};
 *   <li>in the machine's own namespace ({@link VethLink#HOST}): the other end, under a generated
 *       name such as {@code nj6zyh3}, with {@code 192.168.1.176/24}.
 * </ul>
 *
 * <p><b>How two subnets reach each other.</b> Giving an interface an address makes the kernel add a
 * route to that address's own subnet: {@code blue} learns {@code 10.1.1.0/24 dev veth1}, the
 * machine learns {@code 192.168.1.0/24 dev <end>}. That is not enough to talk: {@code blue} has no
 * idea where {@code 192.168.1.176} is, and the machine would send replies for {@code 10.1.1.1} out
 * of its default route, into the real network. So, because the two ends sit in different subnets,
 * the extension adds on each side exactly one route, over this cable, to exactly the other end's
 * subnet: {@code 192.168.1.0/24 dev veth1} in {@code blue}, and {@code 10.1.1.0/24 dev <end>} on
 * the machine. Nothing else: {@code blue} gets no default route, so it can reach the machine's end
 * of the cable and nothing beyond it, and the machine's default route and every other route it had
 * stay as they were. {@link #theExtensionRoutesExactlyTheOtherSubnet} checks exactly that.
 *
 * <p><b>Keeping every packet on the machine.</b> The client runs on JUnit's thread, in the
 * machine's own namespace, where a packet for {@code 10.1.1.1} that found no route of the test
 * would follow the machine's default route out into the real network. So before connecting, the
 * sample asks the kernel which way it would go: connecting a UDP socket looks the route up and
 * sends nothing, and the source address the kernel picks names the interface, since {@code
 * 192.168.1.176} exists only on the cable's end. The client then binds to that address before it
 * connects, which also fails at once if the cable's end is missing. (Binding alone would not keep
 * packets in: Linux sends a packet with any of its addresses as source out of whichever interface
 * its routes pick.)
 *
 * <p>{@link #bodyRunsInBlue} shows the other way to be inside: {@link InNamespace} runs a whole
 * test body on {@code blue}'s thread, where plain JDK calls ({@code new Socket}, reading {@code
 * /proc/thread-self}) see {@code blue}'s network and nothing else.
 */
@NetNamespace("blue")
@VethLink(
    a = "blue",
    aName = "veth1",
    aAddress = "10.1.1.1/24",
    b = VethLink.HOST,
    bAddress = "192.168.1.176/24")
class SeedScenarioTest {
  private static final InetAddress BLUE = address("10.1.1.1");
  private static final InetAddress HOST_END = address("192.168.1.176");

  @Test
  void theExtensionRoutesExactlyTheOtherSubnet(
      Network network, @Ns("blue") NetNs blue, @Ns(VethLink.HOST) NetNs machine) {
    String hostEnd = network.link("blue", VethLink.HOST).interfaceIn(VethLink.HOST);

    assertThat(blue).hasInterfaceUp("lo").hasInterfaceUp("veth1");
    assertThat(ipv4Addresses(blue))
        .containsExactlyInAnyOrder("lo 127.0.0.1/8", "veth1 10.1.1.1/24");
    assertThat(ipv4Addresses(machine)).contains(hostEnd + " 192.168.1.176/24");

    // Each side: the kernel's route to its own subnet, plus the extension's route to the other's.
    assertThat(ipv4Routes(blue))
        .containsExactlyInAnyOrder("10.1.1.0/24 dev veth1", "192.168.1.0/24 dev veth1");
    assertThat(ipv4Routes(machine).stream().filter(r -> r.endsWith(" dev " + hostEnd)))
        .containsExactlyInAnyOrder("192.168.1.0/24 dev " + hostEnd, "10.1.1.0/24 dev " + hostEnd);
    // The machine's way out is left alone: no default route goes over the cable.
    assertThat(machine.routes())
        .filteredOn(r -> r.isDefault())
        .noneSatisfy(r -> assertThat(r.interfaceName()).contains(hostEnd));
  }

  @Test
  void tcpEchoFromTheMachineToBlue(@Ns("blue") NetNs blue) throws Exception {
    // Listening in blue: the server socket's descriptor is made on blue's thread.
    try (ServerSocket server = blue.serverSocketFactory().createServerSocket(7000, 1, BLUE)) {
      Future<String> echoed =
          blue.executor()
              .submit(
                  () -> {
                    try (Socket peer = server.accept()) {
                      DataInputStream in = new DataInputStream(peer.getInputStream());
                      new DataOutputStream(peer.getOutputStream()).writeLong(in.readLong() + 1);
                      return peer.getInetAddress().getHostAddress();
                    }
                  });
      // JUnit's thread is in the machine's namespace: the client is an ordinary socket. First make
      // sure the kernel would send to blue over the cable, not out of the default route.
      assertThat(sourceAddressTowards(BLUE)).isEqualTo(HOST_END);
      try (Socket client = new Socket()) {
        client.bind(new InetSocketAddress(HOST_END, 0)); // only the cable's end has this address
        client.setSoTimeout(5_000);
        client.connect(new InetSocketAddress(BLUE, 7000), 5_000);
        new DataOutputStream(client.getOutputStream()).writeLong(41);
        assertThat(new DataInputStream(client.getInputStream()).readLong()).isEqualTo(42);
      }
      assertThat(echoed.get(5, TimeUnit.SECONDS))
          .as("the address blue saw the connection come from")
          .isEqualTo("192.168.1.176");
    }
  }

  @Test
  @InNamespace("blue")
  void bodyRunsInBlue(@Ns(VethLink.HOST) NetNs machine) throws Exception {
    // /proc/thread-self follows this thread, which is blue's: blue has loopback and its cable.
    assertThat(interfacesSeenByThisThread()).containsExactlyInAnyOrder("lo", "veth1");

    // A server in the machine's namespace (made there by its handle), a plain client made here.
    try (ServerSocket server = machine.serverSocketFactory().createServerSocket(0, 1, HOST_END);
        Socket client = new Socket(HOST_END, server.getLocalPort());
        Socket accepted = server.accept()) {
      assertThat(accepted.getInetAddress()).isEqualTo(BLUE);
    }

    // Nothing but the other subnet is routed: asking for a way to any other address fails at
    // once. (Connecting a UDP socket only looks the route up; it sends no packet.)
    try (DatagramChannel probe = DatagramChannel.open()) {
      assertThatThrownBy(() -> probe.connect(new InetSocketAddress("203.0.113.1", 9)))
          .isInstanceOf(SocketException.class)
          .hasMessageContaining("Network is unreachable");
    }
  }

  /**
   * The source address the kernel of this thread's namespace picks to reach {@code destination}:
   * the address of the interface its routes lead out of. Connecting a UDP socket looks the route up
   * without sending anything.
   */
  private static InetAddress sourceAddressTowards(InetAddress destination) throws Exception {
    try (DatagramChannel probe = DatagramChannel.open()) {
      probe.connect(new InetSocketAddress(destination, 9));
      return ((InetSocketAddress) probe.getLocalAddress()).getAddress();
    }
  }

  private static List<String> ipv4Addresses(NetNs ns) {
    return ns.addresses().stream()
        .filter(a -> a.family() == AddressFamily.IPV4)
        .map(a -> a.interfaceName() + " " + a.address())
        .collect(Collectors.toList());
  }

  private static List<String> ipv4Routes(NetNs ns) {
    return ns.routes().stream()
        .filter(r -> r.family() == AddressFamily.IPV4)
        .map(
            r ->
                (r.isDefault() ? "default" : r.destination())
                    + r.interfaceName().map(name -> " dev " + name).orElse(""))
        .collect(Collectors.toList());
  }

  private static List<String> interfacesSeenByThisThread() throws Exception {
    return Files.readAllLines(Path.of("/proc/thread-self/net/dev")).stream()
        .skip(2) // two header lines
        .map(line -> line.substring(0, line.indexOf(':')).trim())
        .collect(Collectors.toList());
  }

  private static InetAddress address(String literal) {
    try {
      return InetAddress.getByName(literal); // a literal: no name lookup
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(literal, e);
    }
  }
}
