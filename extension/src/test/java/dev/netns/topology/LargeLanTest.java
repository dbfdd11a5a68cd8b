package dev.netns.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netns.kernel.AddressInfo;
import dev.netns.kernel.Inspection;
import dev.netns.kernel.LinkInfo;
import dev.netns.kernel.NetworkNamespace;
import dev.netns.testing.Requirements;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A LAN large enough that its namespaces are made and its links wired by several threads at once
 * ({@link Spread}) comes out whole: every host up with its address on a port of the switch, hosts
 * far apart in the declaration (so made by different threads) talk, and close leaves nothing open.
 */
@Tag("privileged")
class LargeLanTest {
  private static final int HOSTS = 300;

  @Test
  void aLanBuiltOnSeveralThreadsIsWiredWhole() throws Exception {
    Requirements.requireNamespaces();
    Topology topology = Topologies.lan("lan", "10.143.0.0/22", HOSTS).build();
    List<NetworkNamespace> made;
    try (RunningTopology network = topology.start()) {
      made = network.allNamespaces();
      assertThat(made).hasSize(HOSTS + 1);
      assertThat(bridgePorts(network.lanSwitch("lan"))).hasSize(HOSTS);
      List<String> missing = new ArrayList<>();
      for (int i = 1; i <= HOSTS; i++) {
        NetworkNamespace host = network.namespace("n" + i);
        String expected = topology.addressesOf("n" + i).get(0).address().getHostAddress();
        boolean up =
            Inspection.links(host).stream().anyMatch(l -> l.name().equals("lan") && l.up());
        boolean addressed =
            Inspection.addresses(host).stream()
                .map(AddressInfo::address)
                .anyMatch(a -> a.address().getHostAddress().equals(expected));
        if (!up || !addressed) {
          missing.add("n" + i + (up ? "" : " down") + (addressed ? "" : " without " + expected));
        }
      }
      assertThat(missing).as("hosts not wired").isEmpty();

      int[][] pairs = {{1, HOSTS}, {HOSTS, 1}, {2, HOSTS / 2 + 1}, {HOSTS / 2, HOSTS - 1}};
      for (int[] pair : pairs) {
        assertReaches(
            network.namespace("n" + pair[0]),
            network.namespace("n" + pair[1]),
            topology.addressesOf("n" + pair[1]).get(0).address());
      }
    }
    assertThat(made).allMatch(NetworkNamespace::isClosed);
  }

  private static List<String> bridgePorts(NetworkNamespace ns) {
    List<LinkInfo> links = Inspection.links(ns);
    int bridge =
        links.stream().filter(l -> l.name().equals("br0")).findFirst().orElseThrow().index();
    return links.stream().filter(l -> l.masterIndex() == bridge).map(LinkInfo::name).toList();
  }

  private static void assertReaches(NetworkNamespace from, NetworkNamespace to, InetAddress target)
      throws Exception {
    try (ServerSocketChannel server =
        to.call(() -> ServerSocketChannel.open().bind(new InetSocketAddress(target, 0)))) {
      InetSocketAddress at = (InetSocketAddress) server.getLocalAddress();
      try (SocketChannel client = from.call(() -> SocketChannel.open(at));
          SocketChannel accepted = server.accept()) {
        client.write(ByteBuffer.wrap(new byte[] {7}));
        ByteBuffer one = ByteBuffer.allocate(1);
        accepted.read(one);
        assertThat(one.get(0)).as("a byte from %s to %s", from.name(), target).isEqualTo((byte) 7);
      }
    }
  }
}
