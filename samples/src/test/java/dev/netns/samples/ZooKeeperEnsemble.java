package dev.netns.samples;

import static org.awaitility.Awaitility.await;

import dev.netns.junit.JavaNode;
import dev.netns.junit.NetNs;
import dev.netns.junit.Network;
import dev.netns.junit.Node;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;

/**
 * A three-server Apache ZooKeeper ensemble for the samples: servers zk1, zk2, zk3, each a JVM
 * {@link Node} in the namespace of its name, and sessions made from a client namespace. The
 * namespaces and their LAN are the test's to declare.
 *
 * <pre>{@code
 * Map<String, Node> servers = ZooKeeperEnsemble.startAll(network, dir);
 * String leader = ZooKeeperEnsemble.awaitLeader(network, ZooKeeperEnsemble.SERVERS);
 * }</pre>
 */
final class ZooKeeperEnsemble {
  static final List<String> SERVERS = List.of("zk1", "zk2", "zk3");
  static final int CLIENT_PORT = 2181;
  static final Duration PATIENCE = Duration.ofSeconds(40);

  private ZooKeeperEnsemble() {}

  /** Starts the three servers, each as {@link #startServer} does: zk1, zk2, zk3 in this order. */
  static Map<String, Node> startAll(Network network, Path dir) throws IOException {
    Map<String, Node> servers = new LinkedHashMap<>();
    for (int id = 1; id <= SERVERS.size(); id++) {
      servers.put(SERVERS.get(id - 1), startServer(network, dir, id));
    }
    return servers;
  }

  /**
   * Starts server {@code id} as a JVM node inside namespace zk{id}, and waits until it accepts
   * clients. Its output lands beside the test's report ({@code zk1-zk1.log}); the node is killed at
   * teardown.
   */
  static Node startServer(Network network, Path dir, int id) throws IOException {
    Path data = Files.createDirectories(dir.resolve("zk" + id));
    Files.writeString(data.resolve("myid"), Integer.toString(id));
    StringBuilder config = new StringBuilder();
    config.append("tickTime=200\ninitLimit=10\nsyncLimit=5\n");
    config.append("dataDir=").append(data).append('\n');
    config.append("clientPortAddress=").append(address(network, "zk" + id)).append('\n');
    config.append("clientPort=").append(CLIENT_PORT).append('\n');
    config.append("admin.enableServer=false\n");
    config.append("4lw.commands.whitelist=srvr\n");
    for (int peer = 1; peer <= 3; peer++) {
      config
          .append("server.")
          .append(peer)
          .append('=')
          .append(address(network, "zk" + peer))
          .append(":2888:3888\n");
    }
    Path cfg = data.resolve("zoo.cfg");
    Files.writeString(cfg, config);
    Node server =
        network
            .namespace("zk" + id)
            .startJava(
                JavaNode.main("org.apache.zookeeper.server.quorum.QuorumPeerMain")
                    .name("zk" + id)
                    .jvmOptions("-Xmx128m")
                    .systemProperty("org.slf4j.simpleLogger.defaultLogLevel", "info")
                    .args(cfg.toString())
                    .workingDirectory(data));
    server.awaitPort(CLIENT_PORT, PATIENCE);
    return server;
  }

  /** A client session made inside the client namespace, talking to the given servers only. */
  static ZooKeeper connect(NetNs client, Network network, List<String> servers) throws Exception {
    StringBuilder connect = new StringBuilder();
    for (String server : servers) {
      connect.append(connect.length() == 0 ? "" : ",");
      connect.append(address(network, server)).append(':').append(CLIENT_PORT);
    }
    CountDownLatch connected = new CountDownLatch(1);
    // Constructed on the client's thread: ZooKeeper's own threads, and so its sockets, start
    // there and stay in the client namespace.
    ZooKeeper zk =
        client.call(
            () ->
                new ZooKeeper(
                    connect.toString(),
                    10_000,
                    event -> {
                      if (event.getState() == Watcher.Event.KeeperState.SyncConnected) {
                        connected.countDown();
                      }
                    }));
    if (!connected.await(PATIENCE.toSeconds(), TimeUnit.SECONDS)) {
      zk.close();
      throw new AssertionError("no ZooKeeper session with " + connect);
    }
    return zk;
  }

  /** Waits for one leader among {@code servers}, the others following; says what it saw if not. */
  static String awaitLeader(Network network, List<String> servers) {
    try {
      return await().atMost(PATIENCE).until(() -> leaderAmong(network, servers), l -> l != null);
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError(
          "no single leader among " + servers + "; srvr says: " + modes(network, servers), e);
    }
  }

  private static Map<String, String> modes(Network network, List<String> servers) {
    Map<String, String> modes = new TreeMap<>();
    for (String server : servers) {
      modes.put(server, srvr(network, server));
    }
    return modes;
  }

  private static String leaderAmong(Network network, List<String> servers) {
    Map<String, String> modes = modes(network, servers);
    List<String> leaders =
        modes.entrySet().stream()
            .filter(e -> e.getValue().contains("Mode: leader"))
            .map(Map.Entry::getKey)
            .toList();
    boolean othersFollow =
        modes.values().stream()
            .filter(v -> !v.contains("Mode: leader"))
            .allMatch(v -> v.contains("Mode: follower"));
    return leaders.size() == 1 && othersFollow ? leaders.get(0) : null;
  }

  /** The answer of ZooKeeper's {@code srvr} command, asked from the client namespace. */
  static String srvr(Network network, String server) {
    InetAddress address = network.address(server);
    try {
      return network
          .namespace("client")
          .call(
              () -> {
                try (Socket socket = new Socket()) {
                  socket.connect(new InetSocketAddress(address, CLIENT_PORT), 1_000);
                  socket.setSoTimeout(2_000);
                  OutputStream out = socket.getOutputStream();
                  out.write("srvr".getBytes(StandardCharsets.US_ASCII));
                  out.flush();
                  InputStream in = socket.getInputStream();
                  return new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
              });
    } catch (Exception e) {
      return e.toString();
    }
  }

  static String address(Network network, String host) {
    return network.address(host).getHostAddress();
  }

  static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
