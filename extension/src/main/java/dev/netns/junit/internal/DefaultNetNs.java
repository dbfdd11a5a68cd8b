package dev.netns.junit.internal;

import dev.netns.junit.AssignedAddress;
import dev.netns.junit.JavaNode;
import dev.netns.junit.NeighbourEntry;
import dev.netns.junit.NetInterface;
import dev.netns.junit.NetNs;
import dev.netns.junit.Node;
import dev.netns.junit.RouteEntry;
import dev.netns.kernel.Failures;
import dev.netns.kernel.NetworkNamespace;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ServerSocketFactory;
import javax.net.SocketFactory;

/** {@link NetNs} over a kernel {@link NetworkNamespace}; owns what the test started through it. */
final class DefaultNetNs implements NetNs {
  private final String name;
  private final NetworkNamespace namespace;
  private final List<ExecutorService> executors = new CopyOnWriteArrayList<>();
  private final List<Process> processes = new CopyOnWriteArrayList<>();
  private final List<ProcessNode> nodes = new CopyOnWriteArrayList<>();

  private final DefaultNetwork network;

  DefaultNetNs(String name, NetworkNamespace namespace, DefaultNetwork network) {
    this.name = name;
    this.namespace = namespace;
    this.network = network;
  }

  @Override
  public DefaultNetwork network() {
    return network;
  }

  NetworkNamespace namespace() {
    return namespace;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void run(ThrowingRunnable task) throws Exception {
    namespace.call(
        () -> {
          task.run();
          return null;
        });
  }

  @Override
  public <T> T call(Callable<T> task) throws Exception {
    return namespace.call(task);
  }

  @Override
  public ExecutorService executor() {
    ExecutorService executor = Executors.newCachedThreadPool(namespace.threadFactory());
    executors.add(executor);
    return executor;
  }

  @Override
  public Thread newThread(Runnable task) {
    return namespace.threadFactory().newThread(task);
  }

  @Override
  public Process exec(String... command) throws IOException {
    return start(new ProcessBuilder(command));
  }

  @Override
  public Process start(ProcessBuilder builder) throws IOException {
    // The child is cloned from the thread that starts it, so it starts inside the namespace. The
    // watchdog first: it kills whatever runs inside if this JVM dies without a teardown.
    namespace.watchProcesses();
    Process process = io(() -> builder.start());
    processes.add(process);
    return process;
  }

  @Override
  public synchronized Node startNode(String name, ProcessBuilder builder) throws IOException {
    requireNewNode("startNode", name);
    return started(ProcessNode.of("startNode", this, name, builder));
  }

  @Override
  public synchronized Node startJava(JavaNode spec) throws IOException {
    requireNewNode("startJava", spec == null ? null : spec.name());
    return started(ProcessNode.of("startJava", this, spec));
  }

  /** The nodes started in this namespace, oldest first. */
  List<ProcessNode> nodes() {
    return List.copyOf(nodes);
  }

  /** Before anything is made: the output file of a node of the same name is that node's. */
  private void requireNewNode(String call, String node) {
    if (nodes.stream().anyMatch(n -> n.name().equals(node))) {
      throw new IllegalArgumentException(
          call
              + ": namespace "
              + name
              + " has a node named '"
              + node
              + "' already; restart() that one, or name this one otherwise");
    }
  }

  private Node started(ProcessNode node) throws IOException {
    node.launch();
    nodes.add(node);
    return node;
  }

  @Override
  public SocketFactory socketFactory() {
    return new SocketFactory() {
      @Override
      public Socket createSocket() throws IOException {
        return io(
            () -> {
              Socket socket = new Socket();
              // Socket makes its descriptor lazily; asking for an option makes it now, in here.
              socket.getSoTimeout();
              return socket;
            });
      }

      @Override
      public Socket createSocket(String host, int port) throws IOException {
        return io(() -> new Socket(host, port));
      }

      @Override
      public Socket createSocket(String host, int port, InetAddress localHost, int localPort)
          throws IOException {
        return io(() -> new Socket(host, port, localHost, localPort));
      }

      @Override
      public Socket createSocket(InetAddress host, int port) throws IOException {
        return io(() -> new Socket(host, port));
      }

      @Override
      public Socket createSocket(
          InetAddress address, int port, InetAddress localAddress, int localPort)
          throws IOException {
        return io(() -> new Socket(address, port, localAddress, localPort));
      }
    };
  }

  @Override
  public ServerSocketFactory serverSocketFactory() {
    return new ServerSocketFactory() {
      @Override
      public ServerSocket createServerSocket() throws IOException {
        return io(
            () -> {
              ServerSocket socket = new ServerSocket();
              socket.getSoTimeout(); // makes the lazy descriptor now, in here
              return socket;
            });
      }

      @Override
      public ServerSocket createServerSocket(int port) throws IOException {
        return io(() -> new ServerSocket(port));
      }

      @Override
      public ServerSocket createServerSocket(int port, int backlog) throws IOException {
        return io(() -> new ServerSocket(port, backlog));
      }

      @Override
      public ServerSocket createServerSocket(int port, int backlog, InetAddress bindAddress)
          throws IOException {
        return io(() -> new ServerSocket(port, backlog, bindAddress));
      }
    };
  }

  @Override
  public SocketChannel openSocketChannel(InetSocketAddress remote) throws IOException {
    return io(() -> SocketChannel.open(remote));
  }

  @Override
  public ServerSocketChannel openServerSocketChannel(InetSocketAddress local) throws IOException {
    return io(() -> ServerSocketChannel.open().bind(local));
  }

  @Override
  public DatagramChannel openDatagramChannel(InetSocketAddress local) throws IOException {
    return io(() -> DatagramChannel.open().bind(local));
  }

  @Override
  public List<NetInterface> interfaces() {
    return NamespaceInspection.interfaces(namespace);
  }

  @Override
  public List<AssignedAddress> addresses() {
    return NamespaceInspection.addresses(namespace);
  }

  @Override
  public List<RouteEntry> routes() {
    return NamespaceInspection.routes(namespace);
  }

  @Override
  public List<NeighbourEntry> neighbours() {
    return NamespaceInspection.neighbours(namespace);
  }

  @Override
  public String sysctl(String key) {
    return dev.netns.kernel.Sysctls.read(namespace, key);
  }

  @Override
  public void sysctl(String key, String value) {
    if (!namespace.isCreated()) {
      throw new IllegalStateException(
          "sysctl: "
              + key
              + " is not written in "
              + name
              + ", the machine's own namespace, whose settings belong to the machine; read it"
              + " with sysctl(key), or set it in a namespace of the test");
    }
    dev.netns.kernel.Sysctls.write(namespace, key, value);
  }

  /** Stops what the test started through this handle: nodes, executors, then processes. */
  void stopStarted(Failures failures) {
    for (ProcessNode node : nodes) {
      node.stopAtTeardown(failures);
    }
    for (ExecutorService executor : executors) {
      executor.shutdownNow();
    }
    for (ExecutorService executor : executors) {
      try {
        if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
          failures.add(
              new IllegalStateException(
                  "an executor of namespace " + name + " did not stop within 5 s of shutdownNow"));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    for (Process process : processes) {
      if (process.isAlive()) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
          process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }

  private <T> T io(Callable<T> task) throws IOException {
    try {
      return namespace.call(task);
    } catch (IOException | RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new UncheckedIOException(new IOException(e));
    }
  }

  @Override
  public String toString() {
    return "NetNs[" + name + "]";
  }
}
