package dev.netns.junit;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;

/**
 * A process started in a namespace of the test, with its life in the test's hands: kill it,
 * terminate it, restart it with its data, pause it past a timeout. Its output (stdout and stderr
 * together) goes to a file in the test's report directory.
 *
 * <p>A node is one command in one namespace; {@link #restart()} runs the same command again, in the
 * same namespace (so with the same addresses), working directory and environment, so that what it
 * wrote to disk is there when it comes back. A node still running at teardown is killed with its
 * whole process tree, paused ones first resumed.
 *
 * <pre>{@code
 * Node server = n1.startJava(JavaNode.main(KeyValueServer.class).args("7000", dataDir.toString()));
 * server.awaitPort(7000, Duration.ofSeconds(10));
 * server.kill();                        // SIGKILL, the whole process tree
 * server.restart();                     // same command, same namespace, same data directory
 * try (Fault frozen = server.pause()) { // SIGSTOP: alive, silent, past every timeout
 *   ...
 * }                                     // SIGCONT
 * }</pre>
 */
public interface Node {
  /** The name given at start (for a Java node, its main class's simple name unless named). */
  String name();

  /** The namespace the node runs in. */
  NetNs namespace();

  /** The pid of the node's current process (the latest start). */
  long pid();

  /** True while the current process has not exited (a paused node is alive). */
  boolean isAlive();

  /** The exit status of the current process once it exited (128 + n when killed by signal n). */
  OptionalInt exitStatus();

  /** Waits up to {@code timeout} for the current process to exit; true when it has. */
  boolean waitFor(Duration timeout) throws InterruptedException;

  /**
   * The current process, for its standard input. Its output goes to {@link #output()}, so its input
   * stream and error stream are empty.
   */
  Process process();

  /**
   * Kills the node at once: SIGKILL to its process and every descendant, frozen first so that none
   * escapes by forking. Returns once the process has exited; does nothing when it had already.
   */
  void kill();

  /** {@link #terminate(Duration)} with a grace period of 10 seconds. */
  void terminate();

  /**
   * Asks the node to stop (SIGTERM to its process), waits up to {@code grace} for it to exit, then
   * kills what is left of its process tree. Returns once it has exited.
   */
  void terminate(Duration grace);

  /**
   * Starts the node again after it exited (killed, terminated, crashed, or ended by itself): the
   * same command, in the same namespace, working directory and environment. Waits until every
   * process of the old tree is gone first, so that its ports and files are free.
   *
   * @throws IllegalStateException while the node still runs: kill or terminate it first
   */
  void restart() throws IOException;

  /**
   * Pauses the node (SIGSTOP to its process tree) until the returned fault heals (SIGCONT): the
   * node holds its sockets and sessions but answers nothing, like a process in a long GC pause or a
   * stopped virtual machine. Listed in {@link Network#faults()} and healed at teardown.
   *
   * @throws IllegalStateException when the node is not running or is paused already
   */
  Fault pause();

  /**
   * Crashes the node now (as {@link #kill()}); the returned fault heals by restarting it, unless it
   * runs again by then. Listed in {@link Network#faults()}; at teardown it is healed without
   * restarting.
   *
   * @throws IllegalStateException when the node is not running or is paused
   */
  Fault crash();

  /**
   * Waits until the node writes a line in which {@code regex} finds a match, since its latest
   * start, and returns that line.
   *
   * @throws AssertionError after {@code timeout}, or when the node exits first, quoting its last
   *     lines of output
   */
  String awaitLogLine(String regex, Duration timeout);

  /**
   * Waits until a TCP connection to {@code port} on one of the namespace's addresses (loopback
   * first), made from inside the namespace, is accepted.
   *
   * @throws AssertionError after {@code timeout}, or when the node exits first, quoting its last
   *     lines of output
   */
  void awaitPort(int port, Duration timeout);

  /**
   * True when the node wrote a line matching {@code regex} since its latest start; for Awaitility:
   * {@code await().until(() -> node.hasLogged("started"))}.
   */
  boolean hasLogged(String regex);

  /**
   * True when a TCP connection to {@code port}, made from inside the namespace, is accepted on one
   * of its addresses now; for Awaitility: {@code await().until(() -> node.acceptsConnections(80))}.
   */
  boolean acceptsConnections(int port);

  /**
   * The file that holds the node's output, every start of it: {@code
   * <reportDir>/<class>/<method>/<namespace>-<node>.log}. Kept after the test.
   */
  Path output();

  /** The last {@code count} lines of the node's output (of every start). */
  List<String> lastLines(int count);

  /**
   * Echoes the node's output, from its first line and until teardown, to the test JVM's standard
   * output, each line prefixed with the node's name: {@code [server] listening on 7000}. Returns
   * this node.
   */
  Node echoOutput();
}
