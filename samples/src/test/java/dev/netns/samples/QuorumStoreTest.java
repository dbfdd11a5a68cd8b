package dev.netns.samples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netns.junit.AppliedFault;
import dev.netns.junit.CheckResult;
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
import dev.netns.junit.ScheduledFault;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Finding a bug instead of staging it: three clients read and write a replicated register while a
 * seeded fault schedule partitions its nodes, and the linearizability checker judges what they saw.
 *
 * <p>{@link QuorumStore} with reads from each node's own copy is caught: a node cut off from the
 * majority keeps answering reads with the value it last saw while the majority accepts newer
 * writes, and every partition the schedule makes leaves one node on its own. With reads from a
 * majority the same schedules, whatever their seed, find nothing. The schedule's seed comes from
 * {@code netns.seed} when it is set; a failed run prints it with a line that replays it.
 */
@NetNamespace("n1")
@NetNamespace("n2")
@NetNamespace("n3")
@NetNamespace("clients")
@Lan(
    name = "lan",
    subnet = "10.164.0.0/24",
    hosts = {"n1", "n2", "n3", "clients"})
class QuorumStoreTest {
  private static final List<String> NODES = List.of("n1", "n2", "n3");
  private static final Duration WORKLOAD = Duration.ofSeconds(3);
  private static final Duration CLIENT_TIMEOUT = Duration.ofMillis(500);

  /** Partitions of the nodes (never of the clients), one at a time, a few hundred ms each. */
  private static FaultSchedule partitions(History history) {
    return FaultSchedule.builder()
        .add(FaultKind.randomHalves(), 2)
        .add(FaultKind.isolateOne())
        .add(FaultKind.majoritiesRing())
        .add(FaultKind.oneWayCut())
        .hosts("n1", "n2", "n3")
        .interval(Duration.ofMillis(100), Duration.ofMillis(300))
        .duration(Duration.ofMillis(300), Duration.ofMillis(700))
        .recordInto(history)
        .build();
  }

  @Test
  void readsFromALocalCopyAreCaught(Network network) throws Exception {
    History history = new History();
    FaultSchedule schedule = partitions(history);
    List<AppliedFault> applied;
    long seed;
    try (QuorumStore store = QuorumStore.start(network, NODES, QuorumStore.Reads.LOCAL_COPY);
        Nemesis nemesis = network.nemesis(schedule)) {
      runClients(network, history);
      applied = nemesis.applied();
      seed = nemesis.seed();
    }

    CheckResult result = Linearizability.check(history, Models.register(), Duration.ofSeconds(20));
    assertThat(result.verdict()).as(result.toString()).isEqualTo(CheckResult.Verdict.ILLEGAL);

    // The seed gives back the same faults, in the same order, at the same planned times.
    List<ScheduledFault> replayed = schedule.plan(seed, network).limit(applied.size()).toList();
    assertThat(applied).extracting(AppliedFault::planned).isEqualTo(replayed);
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 4, 5})
  void readsFromAMajorityStayLinearizable(long seed, Network network) throws Exception {
    History history = new History();
    try (QuorumStore store = QuorumStore.start(network, NODES, QuorumStore.Reads.QUORUM);
        Nemesis nemesis = network.nemesis(partitions(history), seed)) {
      runClients(network, history);
      assertThat(nemesis.applied()).as("faults applied").isNotEmpty();
    }
    Linearizability.check(history, Models.register(), Duration.ofSeconds(20)).assertLinearizable();
  }

  /** Client {@code p} talks to node {@code p}, writing unique values and reading, in turns. */
  private static void runClients(Network network, History history) throws Exception {
    NetNs clients = network.namespace("clients");
    ExecutorService pool = clients.executor();
    long end = System.nanoTime() + WORKLOAD.toNanos();
    List<Future<?>> running = new ArrayList<>();
    for (int p = 0; p < NODES.size(); p++) {
      int process = p;
      InetSocketAddress node =
          new InetSocketAddress(network.address(NODES.get(p)), QuorumStore.CLIENT_PORT);
      running.add(
          pool.submit(
              () -> {
                try (DatagramSocket socket = new DatagramSocket(0)) {
                  socket.setSoTimeout((int) CLIENT_TIMEOUT.toMillis());
                  for (int i = 0; System.nanoTime() < end; i++) {
                    String id = process + "-" + i;
                    try {
                      if (i % 2 == 0) {
                        int value = process * 1_000_000 + i;
                        history.call(
                            process,
                            Models.Op.WRITE,
                            null,
                            value,
                            () -> ask(socket, node, "W " + id + " x " + value, id),
                            e -> e instanceof Refused);
                      } else {
                        history.call(
                            process,
                            Models.Op.READ,
                            null,
                            null,
                            () -> ask(socket, node, "R " + id + " x", id),
                            e -> e instanceof Refused);
                      }
                    } catch (Exception failedOrUnknown) {
                      // recorded in the history; go on with the next operation
                    }
                    Thread.sleep(1);
                  }
                }
                return null;
              }));
    }
    try {
      for (Future<?> f : running) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** Sends a request and waits for its answer: the value, {@link Refused}, or a timeout. */
  private static Integer ask(
      DatagramSocket socket, InetSocketAddress node, String request, String id) throws Exception {
    byte[] out = request.getBytes(StandardCharsets.UTF_8);
    socket.send(new DatagramPacket(out, out.length, node));
    byte[] buffer = new byte[512];
    while (true) {
      DatagramPacket in = new DatagramPacket(buffer, buffer.length);
      socket.receive(in); // SocketTimeoutException: the outcome is unknown
      String[] reply =
          new String(in.getData(), 0, in.getLength(), StandardCharsets.UTF_8).split(" ");
      if (!reply[1].equals(id)) {
        continue; // the late answer to an earlier request
      }
      if (reply[0].equals("FAIL")) {
        throw new Refused();
      }
      return reply[2].equals("-") ? null : Integer.valueOf(reply[2]);
    }
  }

  /** The node could not reach a majority before it changed anything. */
  private static final class Refused extends Exception {
    private static final long serialVersionUID = 1L;

    Refused() {
      super("refused: no majority", null, false, false);
    }
  }
}
