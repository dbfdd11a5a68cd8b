package dev.netns.junit.forked;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.netns.junit.NetNamespace;
import dev.netns.kernel.Cidr;
import dev.netns.kernel.Inspection;
import dev.netns.kernel.NetworkNamespace;
import dev.netns.kernel.RouteInfo;
import dev.netns.testing.Oracle;
import dev.netns.testing.Requirements;
import dev.netns.topology.RunningTopology;
import dev.netns.topology.Topology;
import dev.netns.topology.TopologyException;
import dev.netns.topology.VethDeclaration;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two JVMs that start networks with the same host-side subnet at the same moment never share it:
 * the check of the machine's routes and the addresses added after it are one step for every JVM on
 * the machine. One of them is refused, saying which route is in the way; the machine never routes
 * the subnet to both, and a connection from the machine never reaches the other JVM's namespace.
 *
 * <p>Each forked JVM starts and tears down the same small network many times over, released by the
 * parent at once; each round that starts checks the machine's routes and connects from the machine
 * to the namespace, which answers with its JVM's pid.
 */
@Tag("privileged")
class HostSubnetContentionTest {
  static final String DIR_PROPERTY = "netns.test.contention.dir";

  /** The first three bytes of a subnet of each JVM's own, to warm up on alone. */
  static final String WARM_UP_PROPERTY = "netns.test.contention.warmUp";

  /** Not used by any other test; not the machine's own. */
  static final Cidr SUBNET = Cidr.parse("10.141.0.0/24");

  static final String PEER = "10.141.0.1";
  static final String HOST_SIDE = "10.141.0.2";
  static final int PORT = 7141;
  static final int ROUNDS = 40;

  /** Runs in each forked JVM: contends for the subnet, and writes down what happened. */
  static class Contender {
    @Test
    void contendForTheSubnet() throws Exception {
      String dirName = System.getProperty(DIR_PROPERTY);
      Assumptions.assumeTrue(
          dirName != null, "runs only in the JVMs HostSubnetContentionTest forks");
      Path dir = Path.of(dirName);
      long pid = ProcessHandle.current().pid();
      // Warm up alone on another subnet, so that both JVMs contend at full speed once released.
      String warmUp = System.getProperty(WARM_UP_PROPERTY);
      try (RunningTopology warm = network(warmUp + ".1", warmUp + ".2").start()) {
        assertThat(warm.namespaces()).containsKey("n");
      }
      Files.createFile(dir.resolve("ready-" + pid));
      await("the parent's go")
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(5))
          .until(() -> Files.exists(dir.resolve("go")));

      int started = 0;
      List<String> refusals = new ArrayList<>();
      List<String> crossTalk = new ArrayList<>();
      for (int round = 0; round < ROUNDS; round++) {
        RunningTopology network;
        try {
          network = network(PEER, HOST_SIDE).start();
        } catch (TopologyException e) {
          refusals.add(e.getMessage());
          continue;
        }
        try (network) {
          started++;
          String problem = problemWithOwnRound(network, pid);
          if (problem != null) {
            crossTalk.add("round " + round + ": " + problem);
          }
        }
      }

      Properties result = new Properties();
      result.setProperty("started", Integer.toString(started));
      result.setProperty("refused", Integer.toString(refusals.size()));
      for (int i = 0; i < refusals.size(); i++) {
        result.setProperty("refusal." + i, refusals.get(i));
      }
      result.setProperty("crossTalk", String.join("\n", crossTalk));
      ForkedJvm.writeAtomically(result, dir.resolve("result-" + pid + ".properties"));
    }

    /** A fresh topology each time: host-side names are never reused. */
    private static Topology network(String peer, String hostSide) {
      return Topology.builder()
          .host("n")
          .veth(
              new VethDeclaration(
                  "n",
                  "eth0",
                  List.of(peer + "/24"),
                  Topology.HOST,
                  "",
                  List.of(hostSide + "/24"),
                  0,
                  "contended link"))
          .build();
    }

    /**
     * Null when the machine routes the subnet over this network's link alone and a connection from
     * the machine reaches this network's namespace; else what went wrong.
     */
    private static String problemWithOwnRound(RunningTopology network, long pid) throws Exception {
      NetworkNamespace host = network.namespace(Topology.HOST);
      String own = network.topology().links().get(0).interfaceIn(Topology.HOST);
      List<String> routes = new ArrayList<>();
      for (RouteInfo route : Inspection.routes(host)) {
        if (!route.isDefault()
            && route.destination() != null
            && route.destination().overlaps(SUBNET)) {
          routes.add(route.destination() + " on " + route.linkName());
        }
      }
      if (!routes.equals(List.of(SUBNET + " on " + own))) {
        // Nothing is sent: a connection might go to the other JVM, or out of the machine.
        return "the machine routes " + routes + " while this JVM's link is " + own;
      }
      NetworkNamespace n = network.namespace("n");
      try (ServerSocketChannel server =
          n.call(
              () ->
                  ServerSocketChannel.open()
                      .bind(new InetSocketAddress(InetAddress.getByName(PEER), PORT)))) {
        // This thread is in the machine's namespace, as the main thread of a forked JVM is.
        try (Socket client = new Socket()) {
          client.connect(new InetSocketAddress(PEER, PORT), 3000);
          client.setSoTimeout(3000);
          try (SocketChannel accepted = acceptWithin(server, 3000)) {
            if (accepted == null) {
              return "a connection from the machine to " + PEER + " did not reach this namespace";
            }
            accepted.write(ByteBuffer.wrap(Long.toString(pid).getBytes(StandardCharsets.UTF_8)));
            accepted.shutdownOutput();
            InputStream in = client.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return answer.equals(Long.toString(pid))
                ? null
                : "the machine's connection was answered by pid '" + answer + "'";
          }
        }
      } catch (IOException e) {
        return "a connection from the machine to " + PEER + " failed: " + e;
      }
    }

    /** The next connection, or null when none comes within {@code millis}. */
    private static SocketChannel acceptWithin(ServerSocketChannel server, long millis)
        throws IOException, InterruptedException {
      server.configureBlocking(false);
      long deadline = System.nanoTime() + millis * 1_000_000;
      while (System.nanoTime() < deadline) {
        SocketChannel accepted = server.accept();
        if (accepted != null) {
          accepted.configureBlocking(true);
          return accepted;
        }
        Thread.sleep(1);
      }
      return null;
    }
  }

  @Test
  void oneOfTwoJvmsIsRefusedAndTheMachineNeverRoutesTheSubnetToBoth(@TempDir Path dir)
      throws Exception {
    Requirements.requireNamespaces();
    Path one = Files.createDirectory(dir.resolve("one"));
    Path two = Files.createDirectory(dir.resolve("two"));
    try (ForkedJvm first = ForkedJvm.start(one, List.of(), properties(dir, 1), Contender.class);
        ForkedJvm second = ForkedJvm.start(two, List.of(), properties(dir, 2), Contender.class)) {
      await("both JVMs ready")
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(20))
          .until(
              () ->
                  ready(dir, first) && ready(dir, second)
                      || !first.process().isAlive()
                      || !second.process().isAlive());
      assertThat(ready(dir, first)).as("%s", first).isTrue();
      assertThat(ready(dir, second)).as("%s", second).isTrue();
      Files.createFile(dir.resolve("go"));
      assertThat(first.awaitExit(120)).as("%s", first).isZero();
      assertThat(second.awaitExit(120)).as("%s", second).isZero();

      int started = 0;
      List<String> refusals = new ArrayList<>();
      for (ForkedJvm child : List.of(first, second)) {
        assertThat(child.results())
            .as("%s", child)
            .filteredOn(ForkedJvm.FixtureResult::test)
            .singleElement()
            .satisfies(r -> assertThat(r.status()).isEqualTo("SUCCESSFUL"));
        Properties result = result(dir, child);
        assertThat(result.getProperty("crossTalk"))
            .as("what JVM %d saw of the other's network", child.pid())
            .isEmpty();
        started += Integer.parseInt(result.getProperty("started"));
        int refused = Integer.parseInt(result.getProperty("refused"));
        for (int i = 0; i < refused; i++) {
          refusals.add(result.getProperty("refusal." + i));
        }
      }
      System.out.printf(
          "two JVMs, %d rounds each: %d got the subnet, %d were refused%n",
          ROUNDS, started, refusals.size());
      assertThat(started).as("rounds that got the subnet").isPositive();
      assertThat(refusals).as("rounds refused: the two JVMs did contend").isNotEmpty();
      assertThat(refusals)
          .allSatisfy(
              message ->
                  assertThat(message)
                      .matches(
                          "contended link: host-side address 10\\.141\\.0\\.2/24 overlaps the"
                              + " machine's route to 10\\.141\\.0\\.0/24 on nj[0-9a-z]+h[0-9a-z]+;"
                              + " pick a subnet the machine does not use"));
    }
    await("the machine without the subnet")
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(100))
        .untilAsserted(
            () -> assertThat(Oracle.hostIp("-o", "addr", "show")).doesNotContain("10.141."));
    assertThat(Oracle.hostIp("route", "show")).doesNotContain("10.141.");
  }

  private static Map<String, String> properties(Path dir, int child) {
    return Map.of(
        DIR_PROPERTY,
        dir.toString(),
        WARM_UP_PROPERTY,
        "10.141." + child,
        NetNamespace.REQUIRE_PROPERTY_NAME,
        "true");
  }

  private static boolean ready(Path dir, ForkedJvm child) {
    return Files.exists(dir.resolve("ready-" + child.pid()));
  }

  private static Properties result(Path dir, ForkedJvm child) throws IOException {
    Path file = dir.resolve("result-" + child.pid() + ".properties");
    assertThat(file).as("results of %s", child).exists();
    Properties result = new Properties();
    try (Reader in = Files.newBufferedReader(file)) {
      result.load(in);
    }
    return result;
  }
}
