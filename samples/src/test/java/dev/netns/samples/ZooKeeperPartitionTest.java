package dev.netns.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.netns.junit.Fault;
import dev.netns.junit.JavaNode;
import dev.netns.junit.Lan;
import dev.netns.junit.NetNamespace;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Apache ZooKeeper ensemble split by a network partition.
 *
 * <p>Three servers, each its own JVM started as a {@link Node} inside its own namespace, share one
 * LAN with a client namespace. Separate processes are the honest choice: each server then has only
 * its own namespace's network, exactly like three machines, and nothing (no shared thread pool, no
 * in-process shortcut) can carry traffic around the partition.
 *
 * <p>The test finds the leader, cuts it off from the other two servers, and checks what ZooKeeper
 * promises: the majority elects a new leader and keeps accepting writes, while the isolated server
 * stops serving. After the partition heals, the old leader rejoins as a follower and sees the
 * writes made while it was cut off. If the partition did nothing, no new leader would be elected
 * and the isolated server would keep serving; if it cut too much, the majority could not write.
 * Either way the test fails.
 */
@NetNamespace("zk1")
@NetNamespace("zk2")
@NetNamespace("zk3")
@NetNamespace("client")
@Lan(
    name = "lan",
    subnet = "10.0.0.0/24",
    hosts = {"zk1", "zk2", "zk3", "client"})
class ZooKeeperPartitionTest {
  private static final List<String> SERVERS = List.of("zk1", "zk2", "zk3");
  private static final int CLIENT_PORT = 2181;
  private static final Duration PATIENCE = Duration.ofSeconds(40);

  @Test
  void majorityElectsANewLeaderAndTheOldOneRejoins(Network network, @TempDir Path dir)
      throws Exception {
    for (int id = 1; id <= 3; id++) {
      startServer(network, dir, id);
    }
    NetNs client = network.namespace("client");
    String leader = awaitLeader(network, SERVERS);
    List<String> majority = new ArrayList<>(SERVERS);
    majority.remove(leader);

    ZooKeeper zk = connect(client, network, majority);
    try {
      zk.create("/before", bytes("1"), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);

      try (Fault split = network.partition(Set.of(leader), Set.copyOf(majority))) {
        // The majority elects one of its own...
        String newLeader = awaitLeader(network, majority);
        assertThat(majority).contains(newLeader);
        // ...and keeps serving writes.
        await("a write accepted by the majority")
            .atMost(PATIENCE)
            .ignoreExceptionsInstanceOf(KeeperException.class)
            .until(
                () ->
                    zk.create(
                            "/during",
                            bytes("2"),
                            ZooDefs.Ids.OPEN_ACL_UNSAFE,
                            CreateMode.PERSISTENT)
                        != null);
        // The isolated server has lost its quorum: it no longer serves.
        await("the isolated " + leader + " to stop serving")
            .atMost(PATIENCE)
            .until(() -> srvr(network, leader).contains("not currently serving requests"));
      }

      // Healed: the old leader comes back as a follower with the writes it missed.
      await("the old leader to rejoin as a follower")
          .atMost(PATIENCE)
          .until(() -> srvr(network, leader).contains("Mode: follower"));
      ZooKeeper rejoined = connect(client, network, List.of(leader));
      try {
        rejoined.sync("/", (rc, path, ctx) -> {}, null);
        await("/during to reach " + leader)
            .atMost(PATIENCE)
            .ignoreExceptions()
            .until(
                () -> new String(rejoined.getData("/during", false, null), StandardCharsets.UTF_8),
                "2"::equals);
        assertThat(rejoined.exists("/before", false)).isNotNull();
      } finally {
        rejoined.close();
      }
    } finally {
      zk.close();
    }
  }

  /**
   * Starts server {@code id} as a JVM node inside namespace zk{id}, and waits until it accepts
   * clients. Its output lands beside the test's report ({@code zk1-zk1.log}); the node is killed at
   * teardown.
   */
  private static Node startServer(Network network, Path dir, int id) throws IOException {
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
  private static ZooKeeper connect(NetNs client, Network network, List<String> servers)
      throws Exception {
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
  private static String awaitLeader(Network network, List<String> servers) {
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
  private static String srvr(Network network, String server) {
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

  private static String address(Network network, String host) {
    return network.address(host).getHostAddress();
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
