package dev.netns.samples;

import static dev.netns.samples.ZooKeeperEnsemble.CLIENT_PORT;
import static dev.netns.samples.ZooKeeperEnsemble.SERVERS;
import static dev.netns.samples.ZooKeeperEnsemble.address;
import static dev.netns.samples.ZooKeeperEnsemble.awaitLeader;
import static dev.netns.samples.ZooKeeperEnsemble.bytes;
import static dev.netns.samples.ZooKeeperEnsemble.connect;
import static dev.netns.samples.ZooKeeperEnsemble.srvr;
import static dev.netns.samples.ZooKeeperEnsemble.startAll;
import static org.assertj.core.api.Assertions.assertThat;

import dev.netns.junit.AppliedFault;
import dev.netns.junit.FaultKind;
import dev.netns.junit.FaultSchedule;
import dev.netns.junit.History;
import dev.netns.junit.Lan;
import dev.netns.junit.Linearizability;
import dev.netns.junit.Models;
import dev.netns.junit.Nemesis;
import dev.netns.junit.NetNamespace;
import dev.netns.junit.NetNs;
import dev.netns.junit.Network;
import dev.netns.junit.Node;
import dev.netns.junit.Operation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The machinery of {@link QuorumStoreTest} against a real system: three clients read, write and
 * compare-and-set one znode of a three-server ZooKeeper ensemble while a seeded fault schedule
 * partitions, pauses and crashes its servers, and the linearizability checker judges what they saw.
 *
 * <p>What ZooKeeper promises: writes are linearizable (the leader orders them, a quorum commits
 * them); a plain read is answered from the local copy of the server the client is connected to,
 * which may lag behind, so plain reads are only sequentially consistent, by design. {@code sync}
 * first is often taken for a linearizable read, but it is not one under partitions: {@code sync} is
 * no quorum operation, and a server that still follows, or is, a leader that has lost its quorum
 * answers it from stale state. This sample's first version read with {@code sync} then {@code
 * getData}, and the checker caught such a read in a CI run (a value read after it was overwritten,
 * while the schedule isolated servers). So each read here is {@code getData} with its version,
 * confirmed by a {@code multi} holding only a check of that version: a write-path request that the
 * leader orders and a quorum commits, so the value was current at that point. A check that fails is
 * a read that failed.
 *
 * <p>Each client has its own session with one server (client 0 with zk1, and so on), so that a
 * fault on a server is a fault on its client. A write is {@code setData} of a fresh value; a
 * compare-and-set reads the value with its version and writes a fresh value at that version, so it
 * swaps exactly when the znode still holds the value read (every value is written once, so a
 * version names one value). A lost connection, a timeout or an expired session during a write
 * leaves its outcome unknown (info); a version that no longer matches is a compare-and-set that saw
 * another value. The seed is fixed; {@code netns.seed} replaces it.
 */
@NetNamespace("zk1")
@NetNamespace("zk2")
@NetNamespace("zk3")
@NetNamespace("client")
@Lan(
    name = "lan",
    subnet = "10.167.0.0/24",
    hosts = {"zk1", "zk2", "zk3", "client"})
class ZooKeeperRegisterTest {
  private static final long SEED = 23;
  private static final String ZNODE = "/register";
  private static final Duration WORKLOAD = Duration.ofSeconds(12);
  private static final int MIN_OK_WRITES = 20;
  private static final int MIN_OK_READS = 20;

  @Test
  void checkedReadsWritesAndCasStayLinearizableUnderPartitionsPausesAndCrashes(
      Network network, @TempDir Path dir) throws Exception {
    List<Node> servers = new ArrayList<>(startAll(network, dir).values());
    NetNs client = network.namespace("client");
    awaitLeader(network, SERVERS);
    ZooKeeper setup = connect(client, network, SERVERS);
    try {
      setup.create(ZNODE, bytes("0"), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    } finally {
      setup.close();
    }

    History history = new History();
    FaultSchedule schedule =
        FaultSchedule.builder()
            .add(FaultKind.randomHalves(), 2)
            .add(FaultKind.isolate("the leader", () -> leaderOrFirst(network)), 2)
            .add(FaultKind.isolateOne())
            .add(FaultKind.pauseNode(servers.toArray(Node[]::new)))
            .add(FaultKind.crashNode(servers.toArray(Node[]::new)))
            .hosts(SERVERS.toArray(String[]::new))
            .interval(Duration.ofMillis(300), Duration.ofMillis(1000))
            .duration(Duration.ofMillis(500), Duration.ofMillis(2500))
            .recordInto(history)
            .build();
    long seed = Long.getLong(NetNamespace.SEED_PROPERTY_NAME, SEED);
    // Every session is open before the first fault.
    List<ZooKeeper> sessions = new ArrayList<>();
    for (String server : SERVERS) {
      sessions.add(connect(client, network, List.of(server)));
    }
    List<AppliedFault> applied;
    try (Nemesis nemesis = network.nemesis(schedule, seed)) {
      runClients(sessions, client, network, history);
      applied = nemesis.applied();
    }
    assertThat(applied).as("faults applied").isNotEmpty();

    List<Operation> ops = history.operations();
    assertThat(ops.stream().filter(o -> okAs(o, Models.Op.WRITE)).count())
        .as("acknowledged writes among %s operations", ops.size())
        .isGreaterThanOrEqualTo(MIN_OK_WRITES);
    assertThat(ops.stream().filter(o -> okAs(o, Models.Op.READ)).count())
        .as("answered reads")
        .isGreaterThanOrEqualTo(MIN_OK_READS);
    Linearizability.check(history, Models.register(0), Duration.ofSeconds(30)).assertLinearizable();
  }

  private static boolean okAs(Operation op, Models.Op function) {
    return op.function() == function && op.outcome() == Operation.Outcome.OK;
  }

  /** The server that says it leads, or zk1 when none does (then there is no leader to cut off). */
  private static String leaderOrFirst(Network network) {
    for (String server : SERVERS) {
      if (srvr(network, server).contains("Mode: leader")) {
        return server;
      }
    }
    return SERVERS.get(0);
  }

  /** Client {@code p} works on its own session with server {@code p} until the workload ends. */
  private static void runClients(
      List<ZooKeeper> sessions, NetNs client, Network network, History history) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(SERVERS.size());
    long end = System.nanoTime() + WORKLOAD.toNanos();
    List<Future<?>> running = new ArrayList<>();
    for (int p = 0; p < SERVERS.size(); p++) {
      int process = p;
      String server = SERVERS.get(p);
      ZooKeeper session = sessions.get(p);
      running.add(pool.submit(() -> work(process, session, server, client, network, history, end)));
    }
    try {
      for (Future<?> f : running) {
        f.get(WORKLOAD.toSeconds() + ZooKeeperEnsemble.PATIENCE.toSeconds(), TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static Void work(
      int process,
      ZooKeeper session,
      String server,
      NetNs client,
      Network network,
      History history,
      long end)
      throws Exception {
    ZooKeeper zk = session;
    try {
      for (int i = 0; System.nanoTime() < end; i++) {
        int fresh = (process + 1) * 1_000_000 + i;
        try {
          switch (i % 3) {
            case 0 -> write(zk, process, fresh, history);
            case 1 -> read(zk, process, history);
            default -> compareAndSet(zk, process, fresh, history);
          }
        } catch (KeeperException.SessionExpiredException e) {
          // Cut off from the ensemble for longer than the session's timeout: a new session.
          zk.close();
          zk = open(client, network, server);
        } catch (KeeperException e) {
          // Recorded; the server may be cut off, paused or restarting. Try again shortly.
          Thread.sleep(50);
        }
      }
    } finally {
      zk.close();
    }
    return null;
  }

  /** setData of a fresh value, whatever the version: info when the answer is lost. */
  private static void write(ZooKeeper zk, int process, int value, History history)
      throws Exception {
    history.call(
        process,
        Models.Op.WRITE,
        null,
        value,
        () -> {
          zk.setData(ZNODE, bytes(Integer.toString(value)), -1);
          return null;
        },
        e -> false);
  }

  /**
   * getData, then a multi that checks the version read through the leader and a quorum: the value
   * was current when the check committed. A failed read (the check failed, the connection was lost)
   * changed nothing.
   */
  private static void read(ZooKeeper zk, int process, History history) throws Exception {
    history.call(
        process,
        Models.Op.READ,
        null,
        null,
        () -> {
          Stat stat = new Stat();
          int value = value(zk.getData(ZNODE, false, stat));
          zk.multi(List.of(Op.check(ZNODE, stat.getVersion())));
          return value;
        },
        e -> e instanceof KeeperException);
  }

  /**
   * A plain getData (possibly stale: it only names what to expect), then setData at the version
   * read. A bad version means the znode no longer held the value read: a swap that did not happen.
   */
  private static void compareAndSet(ZooKeeper zk, int process, int value, History history)
      throws Exception {
    Stat stat = new Stat();
    int expected = value(zk.getData(ZNODE, false, stat)); // nothing written yet: not recorded
    History.Pending cas =
        history.invoke(process, Models.Op.CAS, null, new Models.Cas(expected, value));
    try {
      zk.setData(ZNODE, bytes(Integer.toString(value)), stat.getVersion());
    } catch (KeeperException.BadVersionException e) {
      cas.ok(false);
      return;
    } catch (Exception e) {
      cas.info();
      throw e;
    }
    cas.ok(true);
  }

  /** A session with {@code server}, not waited for: operations fail until it is connected. */
  private static ZooKeeper open(NetNs client, Network network, String server) throws Exception {
    String connect = address(network, server) + ":" + CLIENT_PORT;
    return client.call(() -> new ZooKeeper(connect, 10_000, event -> {}));
  }

  private static int value(byte[] data) {
    return Integer.parseInt(new String(data, StandardCharsets.UTF_8));
  }
}
