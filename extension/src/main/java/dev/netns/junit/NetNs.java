package dev.netns.junit;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import javax.net.ServerSocketFactory;
import javax.net.SocketFactory;

/**
 * A host of the test's network: one network namespace, and the ways to run code inside it.
 *
 * <p>A thread's namespace is its own: code runs inside only on threads that entered it, which
 * {@link #run}, {@link #call}, {@link #executor()} and {@link #newThread} provide. Sockets belong
 * to the namespace of the thread that created their descriptor, forever, and may then be used from
 * any thread; so create them in here ({@link #call}, {@link #socketFactory()}, {@link
 * #openSocketChannel}). Threads and processes started from inside inherit the namespace; threads
 * that already existed (shared pools such as {@code ForkJoinPool.commonPool()}) do not.
 *
 * <pre>{@code
 * try (ServerSocket server = red.call(() -> new ServerSocket(7000))) {      // listens in red
 *   try (Socket client = blue.socketFactory().createSocket("10.1.1.2", 7000)) {  // from blue
 *     ...
 *   }
 * }
 * }</pre>
 */
public interface NetNs {
  /** The declared name. */
  String name();

  /** The network this namespace belongs to. */
  Network network();

  /** Runs {@code task} inside the namespace and waits for it; its exception is rethrown as is. */
  void run(ThrowingRunnable task) throws Exception;

  /** Runs {@code task} inside the namespace and returns its result. */
  <T> T call(Callable<T> task) throws Exception;

  /**
   * An executor whose threads live in the namespace, for example Awaitility's {@code
   * pollExecutorService}. Shut down at teardown if the test did not.
   */
  ExecutorService executor();

  /** A new, unstarted platform thread that enters the namespace before running {@code task}. */
  Thread newThread(Runnable task);

  /** Starts {@code command} as a process inside the namespace; see {@link #start}. */
  Process exec(String... command) throws IOException;

  /**
   * Starts a process from {@code builder} inside the namespace. It is killed at teardown if alive,
   * with its descendants and every other process inside the namespace; and if the JVM dies without
   * a teardown ({@code kill -9}), the namespace's watchdog, started before its first process, kills
   * them all (docs/process-hygiene.md). For a skewed wall clock, see {@link ClockSkew}.
   */
  Process start(ProcessBuilder builder) throws IOException;

  /**
   * Starts {@code builder}'s command as a {@link Node} named {@code name} inside the namespace: a
   * process the test can kill, restart, pause and wait for. The builder's command, working
   * directory and environment are copied (later changes to it do not reach the node); its redirects
   * are not: the node's output goes to {@link Node#output()}.
   *
   * <pre>{@code
   * Node web = n1.startNode("web", httpServer);  // any ProcessBuilder: python3 -m http.server 8000
   * web.awaitPort(8000, Duration.ofSeconds(10));
   * }</pre>
   *
   * @throws IllegalArgumentException for a name that is not 1 to 64 letters, digits, '.', '_' or
   *     '-', a name this namespace has a node of already, or a working directory that does not
   *     exist
   */
  Node startNode(String name, ProcessBuilder builder) throws IOException;

  /**
   * Starts a Java main class as a {@link Node} of its own JVM inside the namespace.
   *
   * <pre>{@code
   * Node server = n1.startJava(JavaNode.main(KeyValueServer.class).args("7000"));
   * server.awaitLogLine("listening", Duration.ofSeconds(10));
   * }</pre>
   *
   * @throws IllegalArgumentException when there is no java launcher in the spec's java home, or as
   *     {@link #startNode}
   */
  Node startJava(JavaNode spec) throws IOException;

  /**
   * Sockets created in this namespace. {@code createSocket(host, port)} connects from inside;
   * unconnected sockets get their descriptor inside before they are returned.
   */
  SocketFactory socketFactory();

  /** Server sockets created and bound in this namespace. */
  ServerSocketFactory serverSocketFactory();

  /** A TCP channel opened in this namespace and connected to {@code remote} from it. */
  SocketChannel openSocketChannel(InetSocketAddress remote) throws IOException;

  /** A TCP server channel opened in this namespace and bound to {@code local}. */
  ServerSocketChannel openServerSocketChannel(InetSocketAddress local) throws IOException;

  /** A UDP channel opened in this namespace and bound to {@code local} (null: any). */
  DatagramChannel openDatagramChannel(InetSocketAddress local) throws IOException;

  /**
   * The namespace's interfaces, loopback included, as the kernel reports them now (read through
   * netlink, not {@code java.net.NetworkInterface}, which mixes in the machine's IPv6 addresses).
   */
  List<NetInterface> interfaces();

  /** The addresses on the namespace's interfaces, both families, as the kernel reports them now. */
  List<AssignedAddress> addresses();

  /** The routes of the namespace's main table, IPv4 then IPv6, as the kernel reports them now. */
  List<RouteEntry> routes();

  /** The namespace's neighbour table (ARP and IPv6 neighbour discovery), both families. */
  List<NeighbourEntry> neighbours();

  /** Reads a per-namespace sysctl, such as {@code net.ipv4.ip_forward}. */
  String sysctl(String key);

  /** Writes a per-namespace sysctl, such as {@code net.ipv4.ip_forward=0} to stop a router. */
  void sysctl(String key, String value);

  /** A task that may throw. */
  @FunctionalInterface
  interface ThrowingRunnable {
    void run() throws Exception;
  }
}
