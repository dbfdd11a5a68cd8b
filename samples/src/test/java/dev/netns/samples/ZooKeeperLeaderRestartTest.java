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

import dev.netns.junit.Lan;
import dev.netns.junit.NetNamespace;
import dev.netns.junit.NetNs;
import dev.netns.junit.Network;
import dev.netns.junit.Node;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The leader of a ZooKeeper ensemble killed (SIGKILL) in the middle of a stream of writes, and
 * restarted with its data directory.
 *
 * <p>What ZooKeeper promises: a write acknowledged to a client is committed by a quorum and
 * survives the crash of any one server; the two left elect a leader and keep accepting writes; the
 * crashed server, restarted with its own data directory, rejoins as a follower and catches up. So
 * every acknowledged write is found afterwards, on every server, the restarted one included.
 *
 * <p>One writer creates {@code /w0}, {@code /w1}, ... in order, and moves on only once a write is
 * acknowledged. A write whose outcome is unknown (the connection was lost with the leader) is sent
 * again under the same name: "node exists" then says that the first attempt went through. So the
 * acknowledged writes are exactly {@code /w0} to {@code /w(n-1)}.
 */
@NetNamespace("zk1")
@NetNamespace("zk2")
@NetNamespace("zk3")
@NetNamespace("client")
@Lan(
    name = "lan",
    subnet = "10.0.0.0/24",
    hosts = {"zk1", "zk2", "zk3", "client"})
class ZooKeeperLeaderRestartTest {
  private static final int WRITES_PER_PHASE = 20;

  @Test
  void aLeaderKilledMidWritesRestartsWithItsDataAndNoAcknowledgedWriteIsLost(
      Network network, @TempDir Path dir) throws Exception {
    Map<String, Node> servers = startAll(network, dir);
    NetNs client = network.namespace("client");
    String leader = awaitLeader(network, SERVERS);
    List<String> others = new ArrayList<>(SERVERS);
    others.remove(leader);

    Writer writer = new Writer(client, network);
    Thread writing = new Thread(writer, "zk-writer");
    writing.start();
    try {
      writer.awaitAcknowledged(WRITES_PER_PHASE);

      // Mid-writes: the leader dies with writes in flight.
      Node old = servers.get(leader);
      old.kill();
      int atKill = writer.acknowledged();
      String newLeader = awaitLeader(network, others);
      assertThat(others).contains(newLeader);
      writer.awaitAcknowledged(atKill + WRITES_PER_PHASE);

      // Back with its data directory: it rejoins as a follower.
      old.restart();
      // It reads back its own transaction log: the writes it took part in before it died.
      assertThat(old.awaitLogLine("Snapshot loaded in .*highest zxid is 0x", PATIENCE))
          .doesNotContain("highest zxid is 0x0,");
      old.awaitPort(ZooKeeperEnsemble.CLIENT_PORT, PATIENCE);
      await("the restarted " + leader + " to rejoin as a follower")
          .atMost(PATIENCE)
          .until(() -> srvr(network, leader).contains("Mode: follower"));
      writer.awaitAcknowledged(writer.acknowledged() + WRITES_PER_PHASE);
    } finally {
      writer.stop();
      writing.join(PATIENCE.toMillis());
    }
    assertThat(writer.failure()).as("the writer's failure").isNull();

    int acknowledged = writer.acknowledged();
    assertThat(acknowledged).isGreaterThanOrEqualTo(3 * WRITES_PER_PHASE);
    for (String server : SERVERS) {
      ZooKeeper zk = connect(client, network, List.of(server));
      try {
        zk.sync("/", (rc, path, ctx) -> {}, null);
        await("every acknowledged write on " + server)
            .atMost(PATIENCE)
            .ignoreExceptions()
            .until(() -> missing(zk, acknowledged).isEmpty());
      } finally {
        zk.close();
      }
    }
  }

  /** The acknowledged writes {@code /w0} to {@code /w(count-1)} that {@code zk} does not show. */
  private static Set<String> missing(ZooKeeper zk, int count) throws Exception {
    Set<String> present = new HashSet<>(zk.getChildren("/", false));
    Set<String> missing = new HashSet<>();
    for (int i = 0; i < count; i++) {
      if (!present.contains("w" + i)) {
        missing.add("w" + i);
      }
    }
    return missing;
  }

  /** Writes /w0, /w1, ... one at a time, each until acknowledged, over any of the servers. */
  private static final class Writer implements Runnable {
    private final NetNs client;
    private final Network network;
    private final AtomicInteger acknowledged = new AtomicInteger();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile boolean stopped;

    Writer(NetNs client, Network network) {
      this.client = client;
      this.network = network;
    }

    @Override
    public void run() {
      ZooKeeper zk = null;
      try {
        zk = connect(client, network, SERVERS);
        while (!stopped) {
          String path = "/w" + acknowledged.get();
          try {
            zk.create(path, bytes("x"), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            acknowledged.incrementAndGet();
          } catch (KeeperException.NodeExistsException e) {
            // An attempt whose answer was lost went through after all.
            acknowledged.incrementAndGet();
          } catch (KeeperException.SessionExpiredException e) {
            zk.close();
            zk = connect(client, network, SERVERS);
          } catch (KeeperException e) {
            // Connection lost or no quorum yet: the outcome is unknown; send it again.
            Thread.sleep(50);
          }
        }
      } catch (Throwable e) {
        failure.set(e);
      } finally {
        if (zk != null) {
          try {
            zk.close();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
      }
    }

    int acknowledged() {
      return acknowledged.get();
    }

    void awaitAcknowledged(int count) {
      await(count + " acknowledged writes")
          .atMost(PATIENCE)
          .until(() -> failure.get() != null || acknowledged.get() >= count);
      assertThat(failure.get()).as("the writer's failure").isNull();
    }

    Throwable failure() {
      return failure.get();
    }

    void stop() {
      stopped = true;
    }
  }
}
