package dev.netns.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netns.kernel.NamespaceInode;
import dev.netns.testing.Requirements;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nodes as users drive them: a JVM node of {@link RecordServer} in n1, a client in n2; ready by log
 * line and by port, killed and restarted with its data, paused past a client's timeout and resumed,
 * crashed and healed by a restart; and what a node refuses, in words that say what to do.
 */
@Tag("privileged")
@NetNamespace("n1")
@NetNamespace("n2")
@VethLink(a = "n1", aAddress = "10.150.1.1/24", b = "n2", bAddress = "10.150.1.2/24")
class NodeTest {
  private static final int PORT = 7000;
  private static final Duration STARTUP = Duration.ofSeconds(30);

  @TempDir Path data;

  Network network;

  @BeforeEach
  void requirePrivileges() {
    Requirements.requireNamespaces();
  }

  private Node startServer(NetNs n1) throws IOException {
    return n1.startJava(
        JavaNode.main(RecordServer.class)
            .name("records")
            .jvmOptions("-Xmx32m", "-XX:TieredStopAtLevel=1", "-Xshare:auto")
            .args(Integer.toString(PORT), data.toString()));
  }

  @Test
  void aJvmNodeIsReadyByLogLineAndByPortInsideItsNamespace(@Ns("n1") NetNs n1, @Ns("n2") NetNs n2)
      throws Exception {
    Node node = startServer(n1);
    assertThat(node.awaitLogLine("listening on \\d+", STARTUP)).isEqualTo("listening on 7000");
    node.awaitPort(PORT, Duration.ofSeconds(5));
    assertThat(node.acceptsConnections(PORT)).isTrue();
    assertThat(node.hasLogged("^loaded '' from ")).isTrue();
    assertThat(request(n2, "get")).isEmpty();

    assertThat(node.name()).isEqualTo("records");
    assertThat(node.namespace()).isSameAs(n1);
    assertThat(Files.readSymbolicLink(Path.of("/proc", Long.toString(node.pid()), "ns", "net")))
        .hasToString("net:[" + n1.call(NamespaceInode::ofCurrentThread) + "]");
    assertThat(node.output())
        .endsWith(
            Path.of(
                NodeTest.class.getName(),
                "aJvmNodeIsReadyByLogLineAndByPortInsideItsNamespace",
                "n1-records.log"));
    assertThat(node.lastLines(1)).containsExactly("listening on 7000");
  }

  @Test
  void aKilledNodeRestartsWithItsData(@Ns("n1") NetNs n1, @Ns("n2") NetNs n2) throws Exception {
    Node node = startServer(n1);
    node.awaitPort(PORT, STARTUP);
    assertThat(request(n2, "set 42")).isEqualTo("ok");
    long first = node.pid();

    node.kill();
    assertThat(node.isAlive()).isFalse();
    assertThat(node.exitStatus()).hasValue(128 + 9);
    assertThat(ProcessHandle.of(first).filter(ProcessHandle::isAlive)).isEmpty();
    assertThatThrownBy(() -> request(n2, "get")).isInstanceOf(ConnectException.class);

    node.restart();
    assertThat(node.pid()).isNotEqualTo(first);
    assertThat(node.exitStatus()).isEmpty();
    node.awaitLogLine("listening on 7000", STARTUP);
    assertThat(node.hasLogged("^loaded '42' from ")).isTrue();
    assertThat(request(n2, "get")).isEqualTo("42");
    // The file holds both lives.
    assertThat(Files.readAllLines(node.output()))
        .containsSubsequence("listening on 7000", "loaded '42' from " + data.resolve("record"));
  }

  @Test
  void aPausedNodeTimesAClientOutAndAnswersOnceResumed(@Ns("n1") NetNs n1, @Ns("n2") NetNs n2)
      throws Exception {
    Node node = startServer(n1);
    node.awaitPort(PORT, STARTUP);
    try (Socket socket = n2.socketFactory().createSocket()) {
      socket.connect(new InetSocketAddress("10.150.1.1", PORT), 5_000);
      socket.setSoTimeout(500);
      PrintWriter out = new PrintWriter(socket.getOutputStream(), true, StandardCharsets.UTF_8);
      BufferedReader in =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      try (Fault frozen = node.pause()) {
        assertThat(network.faults())
            .extracting(Fault::description)
            .containsExactly("pause node records in n1");
        assertThat(node.isAlive()).isTrue();
        assertThat(state(node.pid())).isEqualTo('T');
        out.println("get");
        assertThatThrownBy(in::readLine).isInstanceOf(SocketTimeoutException.class);
      }
      socket.setSoTimeout(10_000);
      assertThat(in.readLine()).as("the answer, once resumed").isEmpty();
    }
    assertThat(network.faults()).isEmpty();
    assertThat(request(n2, "get")).isEmpty();
  }

  @Test
  void aCrashHealsByRestarting(@Ns("n1") NetNs n1, @Ns("n2") NetNs n2) throws Exception {
    Node node = startServer(n1);
    node.awaitPort(PORT, STARTUP);
    assertThat(request(n2, "set 7")).isEqualTo("ok");

    Fault crash = node.crash();
    assertThat(node.isAlive()).isFalse();
    assertThat(crash.description()).isEqualTo("crash node records in n1");
    assertThat(network.faults())
        .extracting(Fault::description)
        .containsExactly(crash.description());

    crash.heal();
    assertThat(crash.isActive()).isFalse();
    assertThat(network.faults()).isEmpty();
    node.awaitPort(PORT, STARTUP);
    assertThat(request(n2, "get")).isEqualTo("7");
  }

  @Test
  void networkHealAllRestartsACrashedNode(@Ns("n1") NetNs n1, @Ns("n2") NetNs n2) throws Exception {
    Node node = startServer(n1);
    node.awaitPort(PORT, STARTUP);
    node.crash();
    network.healAll();
    node.awaitPort(PORT, STARTUP);
    assertThat(request(n2, "get")).isEmpty();
  }

  @Test
  void terminateAsksFirst(@Ns("n1") NetNs n1) throws Exception {
    Node node = startServer(n1);
    node.awaitLogLine("listening", STARTUP);
    node.terminate(Duration.ofSeconds(20));
    assertThat(node.exitStatus()).hasValue(128 + 15);
    assertThat(node.lastLines(1)).containsExactly("stopping");
  }

  @Test
  void killTakesTheWholeProcessTree(@Ns("n1") NetNs n1) throws Exception {
    Node shell =
        n1.startNode(
            "shell",
            new ProcessBuilder("sh", "-c", "sleep 1000 & sleep 1000 & echo started; wait"));
    shell.awaitLogLine("^started$", Duration.ofSeconds(10));
    List<Long> children =
        ProcessHandle.of(shell.pid()).orElseThrow().descendants().map(ProcessHandle::pid).toList();
    assertThat(children).hasSize(2);

    shell.kill();
    assertThat(shell.exitStatus()).hasValue(128 + 9);
    for (long child : children) {
      assertThat(runs(child)).as("sleep %d", child).isFalse();
    }
  }

  @Test
  void readinessTimeoutsQuoteTheLastLines(@Ns("n1") NetNs n1) throws Exception {
    Node talker =
        n1.startNode("talker", new ProcessBuilder("sh", "-c", "echo one; echo two; sleep 1000"));
    talker.awaitLogLine("two", Duration.ofSeconds(10));
    assertThatThrownBy(() -> talker.awaitLogLine("three", Duration.ofMillis(300)))
        .isInstanceOf(AssertionError.class)
        .hasMessage(
            "node talker in n1 wrote no line matching 'three' within 300 ms; its last 2 lines ("
                + talker.output()
                + "):\n  | one\n  | two");

    Node quitter = n1.startNode("quitter", new ProcessBuilder("sh", "-c", "echo bye; exit 3"));
    assertThatThrownBy(() -> quitter.awaitPort(7001, Duration.ofSeconds(10)))
        .isInstanceOf(AssertionError.class)
        .hasMessage(
            "node quitter in n1 exited (status 3) before accepting connections on port 7001; its"
                + " last line ("
                + quitter.output()
                + "):\n  | bye");
  }

  @Test
  void misuseIsRefusedSayingWhatToDo(@Ns("n1") NetNs n1) throws Exception {
    Node node = startServer(n1);
    node.awaitLogLine("listening", STARTUP);
    long pid = node.pid();
    assertThatThrownBy(node::restart)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "restart: node records in n1 (pid "
                + pid
                + ") is still running; kill() or terminate() it first, or wait for it to exit");
    try (Fault paused = node.pause()) {
      assertThatThrownBy(node::pause)
          .hasMessage(
              "pause: node records in n1 is paused already by 'pause node records in n1'; heal"
                  + " that fault first");
      assertThatThrownBy(node::crash)
          .hasMessage(
              "crash: node records in n1 is paused by 'pause node records in n1'; heal that fault"
                  + " first, or kill() it");
      assertThatThrownBy(node::restart)
          .hasMessage(
              "restart: node records in n1 (pid "
                  + pid
                  + ") is still running, paused by 'pause node records in n1'; kill() or"
                  + " terminate() it first, or wait for it to exit");
    }
    assertThatThrownBy(() -> startServer(n1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "startJava: namespace n1 has a node named 'records' already; restart() that one, or"
                + " name this one otherwise");
    assertThat(node.hasLogged("listening on 7000"))
        .as("the first node's output, untouched")
        .isTrue();
    node.kill();
    assertThatThrownBy(node::pause)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "pause: node records in n1 is not running (exited with status 137); restart() it first");
    assertThatThrownBy(node::crash)
        .hasMessage(
            "crash: node records in n1 is not running (exited with status 137); restart() it first");

    Path missing = data.resolve("missing");
    assertThatThrownBy(
            () ->
                n1.startJava(
                    JavaNode.main(RecordServer.class).name("other").workingDirectory(missing)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "startJava: the working directory of node 'other', "
                + missing
                + ", is no directory; create it first");
    assertThatThrownBy(() -> n1.startJava(JavaNode.main(RecordServer.class).javaHome(data)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "startJava: no java launcher at "
                + data.resolve("bin/java")
                + " for node 'RecordServer' (javaHome)");
    assertThatThrownBy(() -> n1.startNode("a b", new ProcessBuilder("true")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "startNode: 'a b' is no node name: use 1 to 64 letters, digits, '.', '_' or '-'");
    assertThatThrownBy(() -> n1.startNode("empty", new ProcessBuilder()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("startNode: the builder of node 'empty' has no command");
    assertThatThrownBy(() -> node.awaitLogLine("(", Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("awaitLogLine: '(' is no regex: ");
    assertThatThrownBy(() -> node.awaitPort(0, Duration.ofSeconds(1)))
        .hasMessage("awaitPort: 0 is no TCP port (1 to 65535)");
  }

  /** One request from {@code from} to the server, answered in a line. */
  private static String request(NetNs from, String line) throws IOException {
    try (Socket socket = from.socketFactory().createSocket("10.150.1.1", PORT)) {
      socket.setSoTimeout(10_000);
      new PrintWriter(socket.getOutputStream(), true, StandardCharsets.UTF_8).println(line);
      return new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))
          .readLine();
    }
  }

  /** The state letter in {@code /proc/PID/stat}. */
  static char state(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
    return stat.charAt(stat.lastIndexOf(')') + 2);
  }

  /** True while {@code pid} runs: a zombie holds no namespace, and has no {@code ns/net}. */
  static boolean runs(long pid) {
    try {
      Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "ns", "net"));
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
