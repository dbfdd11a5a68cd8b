package dev.netns.benchmarks;

import dev.netns.kernel.NetworkNamespace;
import dev.netns.topology.RunningTopology;
import dev.netns.topology.Topology;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * Checks that two hosts of a running network talk: a byte over TCP from one to the other's first
 * address, through whatever lies between them. Throws when it does not arrive.
 *
 * <pre>{@code
 * EndToEnd.check(network, topology, "n1", "n1000");
 * }</pre>
 */
final class EndToEnd {
  private EndToEnd() {}

  static void check(RunningTopology network, Topology topology, String from, String to)
      throws Exception {
    NetworkNamespace sender = network.namespace(from);
    NetworkNamespace receiver = network.namespace(to);
    InetAddress target = topology.addressesOf(to).get(0).address();
    try (ServerSocketChannel server =
        receiver.call(() -> ServerSocketChannel.open().bind(new InetSocketAddress(target, 0)))) {
      InetSocketAddress at = (InetSocketAddress) server.getLocalAddress();
      try (SocketChannel client = sender.call(() -> SocketChannel.open(at));
          SocketChannel accepted = server.accept()) {
        client.write(ByteBuffer.wrap(new byte[] {7}));
        ByteBuffer one = ByteBuffer.allocate(1);
        accepted.read(one);
        if (one.position() != 1 || one.get(0) != 7) {
          throw new IllegalStateException("no byte from " + from + " reached " + to);
        }
      }
    }
  }
}
