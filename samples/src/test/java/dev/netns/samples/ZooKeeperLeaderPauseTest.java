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
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The leader of a ZooKeeper ensemble paused (SIGSTOP, like a long GC pause or a stopped virtual
 * machine) for longer than a session's timeout, while a client connected to it alone holds an
 * ephemeral node, the building block of ZooKeeper locks and leader election.
 *
 * <p>What ZooKeeper promises: a session that the ensemble does not hear from within its timeout
 * expires, and its ephemeral nodes go with it, so that a lock cannot be held by a client (or
 * through a server) that stopped; the two servers left elect a leader among themselves; and the old
 * leader, when it wakes up, does not carry on as leader with its stale view: it steps down and
 * follows. The client's session is expired when it reaches the ensemble again.
 */
@NetNamespace("zk1")
@NetNamespace("zk2")
@NetNamespace("zk3")
@NetNamespace("client")
@Lan(
    name = "lan",
    subnet = "10.0.0.0/24",
    hosts = {"zk1", "zk2", "zk3", "client"})
class ZooKeeperLeaderPauseTest {
  @Test
  void aLeaderPausedPastTheSessionTimeoutLosesTheLockAndStepsDownOnWaking(
      Network network, @TempDir Path dir) throws Exception {
    Map<String, Node> servers = startAll(network, dir);
    NetNs client = network.namespace("client");
    String leader = awaitLeader(network, SERVERS);
    List<String> others = new ArrayList<>(SERVERS);
    others.remove(leader);

    ZooKeeper holder = connect(client, network, List.of(leader));
    ZooKeeper observer = connect(client, network, others);
    try {
      holder.create("/lock", bytes("held"), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
      assertThat(observer.exists("/lock", false)).isNotNull();

      try (Fault pause = servers.get(leader).pause()) {
        assertThat(network.faults())
            .extracting(Fault::description)
            .containsExactly(pause.description());
        // The others elect one of their own...
        String newLeader = awaitLeader(network, others);
        assertThat(others).contains(newLeader);
        // ...and the holder's session, silent for longer than its timeout, expires: the lock is
        // free while the old leader (and the holder's only server) is still asleep.
        await("the ephemeral /lock to expire while " + leader + " is paused")
            .atMost(PATIENCE)
            .ignoreExceptions()
            .until(() -> observer.exists("/lock", false) == null);
      }

      // Awake: the old leader finds it leads nobody, steps down and follows the new leader.
      await("the woken " + leader + " to step down and follow")
          .atMost(PATIENCE)
          .until(() -> srvr(network, leader).contains("Mode: follower"));
      // The holder learns that its session, and so its lock, are gone.
      await("the holder's session to be expired")
          .atMost(PATIENCE)
          .until(() -> !holder.getState().isAlive());
      // And the old leader does not show the lock either.
      ZooKeeper viaOldLeader = connect(client, network, List.of(leader));
      try {
        viaOldLeader.sync("/", (rc, path, ctx) -> {}, null);
        await("/lock to be gone on " + leader)
            .atMost(PATIENCE)
            .ignoreExceptions()
            .until(() -> viaOldLeader.exists("/lock", false) == null);
      } finally {
        viaOldLeader.close();
      }
    } finally {
      holder.close();
      observer.close();
    }
  }
}
