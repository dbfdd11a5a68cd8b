package dev.netns.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netns.kernel.Inspection;
import dev.netns.kernel.LinkInfo;
import dev.netns.kernel.NetworkNamespace;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.List;

/** What topology tests check of a built network: bridge ports, and a byte getting through. */
final class WiringChecks {
  private WiringChecks() {}

  /** The names of the links of {@code ns} that are ports of its bridge {@code br0}. */
  static List<String> bridgePorts(NetworkNamespace ns) {
    List<LinkInfo> links = Inspection.links(ns);
    int bridge =
        links.stream().filter(l -> l.name().equals("br0")).findFirst().orElseThrow().index();
    return links.stream().filter(l -> l.masterIndex() == bridge).map(LinkInfo::name).toList();
  }

  /**
   * A byte sent over TCP from {@code from} to {@code target}, an address of {@code to}, arrives.
   */
  static void assertReaches(NetworkNamespace from, NetworkNamespace to, InetAddress target)
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
