package dev.netns.samples;

import static dev.netns.samples.ZooKeeperEnsemble.PATIENCE;
import static dev.netns.samples.ZooKeeperEnsemble.SERVERS;
import static dev.netns.samples.ZooKeeperEnsemble.awaitLeader;
import static dev.netns.samples.ZooKeeperEnsemble.bytes;
import static dev.netns.samples.ZooKeeperEnsemble.connect;
import static dev.netns.samples.ZooKeeperEnsemble.srvr;
import static dev.netns.samples.ZooKeeperEnsemble.startAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.netns.junit.Fault;
import dev.netns.junit.Lan;
import dev.netns.junit.NetNamespace;
import dev.netns.junit.NetNs;
import dev.netns.junit.Network;
import dev.netns.junit.Node;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
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
  @Test
  void majorityElectsANewLeaderAndTheOldOneRejoins(Network network, @TempDir Path dir)
      throws Exception {
    startAll(network, dir);
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
}
