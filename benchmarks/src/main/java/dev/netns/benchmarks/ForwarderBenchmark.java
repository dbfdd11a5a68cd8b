package dev.netns.benchmarks;

import dev.netns.kernel.NetworkNamespace;
import dev.netns.topology.ActiveFault;
import dev.netns.topology.ForwarderPorts;
import dev.netns.topology.FrameImpairment;
import dev.netns.topology.RunningTopology;
import dev.netns.topology.Topology;
import dev.netns.topology.VethPair;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the userspace forwarder of an impairable link carries (issue 17, target 5), with a delay of
 * 1 ms in force in both directions and nothing else, so that every frame goes through it.
 *
 * <p>{@code ports} chooses how the forwarder reads and writes: {@code socket} is one system call
 * per frame (the path before packet rings, still the fallback), {@code ring} the memory-mapped
 * receive ring with batched sends. Both run in the same JMH run, one after the other.
 *
 * <ul>
 *   <li>{@link #udpFrames}: one thread floods UDP datagrams from a to b as fast as it can; the
 *       score is datagrams received by b per second, that is frames the forwarder carried. {@code
 *       frameBytes} is the Ethernet frame: 60 (18 bytes of payload) or 1514 (1472).
 *   <li>{@link #tcpMebibytes}: one TCP connection from a to b written as fast as one thread can;
 *       the score is MiB received per second (times 8.39 for Mbit/s).
 *   <li>{@link #delayError}: 1,000 probes one every 2 ms, each carrying its {@link System#nanoTime}
 *       (same JVM, same clock); prints the median and 99th percentile of the one-way time minus the
 *       1 ms asked for. The score is the time of the whole round.
 * </ul>
 */
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
public class ForwarderBenchmark {
  static final long DELAY_NANOS = 1_000_000;

  /** An impairable link a-b, 10.253.17.0/24, with 1 ms each way through the forwarder. */
  @State(Scope.Benchmark)
  public static class Link {
    @Param({"socket", "ring"})
    public String ports;

    RunningTopology network;
    ActiveFault aToB;
    private long iterationStart;
    private long delayedAtStart;
    private long cpuAtStart;
    private long wireCpuAtStart;

    /** Frames the forwarder took in from a per second, printed per iteration beside the score. */
    @Setup(Level.Iteration)
    public void markIteration() {
      iterationStart = System.nanoTime();
      delayedAtStart = aToB.counts().delayed();
      cpuAtStart = processCpuNanos();
      wireCpuAtStart = wireThreadsCpuNanos();
    }

    /**
     * CPU time of the forwarder's own threads (kernel time included: the sends carry the receiving
     * side's stack), the figure least moved by the other threads of the benchmark and the machine.
     */
    private static long wireThreadsCpuNanos() {
      java.lang.management.ThreadMXBean threads =
          java.lang.management.ManagementFactory.getThreadMXBean();
      return Thread.getAllStackTraces().keySet().stream()
          .filter(t -> t.getName().startsWith("netns-wire "))
          .mapToLong(t -> Math.max(0, threads.getThreadCpuTime(t.getId())))
          .sum();
    }

    private static long processCpuNanos() {
      return ((com.sun.management.OperatingSystemMXBean)
              java.lang.management.ManagementFactory.getOperatingSystemMXBean())
          .getProcessCpuTime();
    }

    @TearDown(Level.Iteration)
    public void printForwarderRate() {
      double seconds = (System.nanoTime() - iterationStart) / 1e9;
      long frames = aToB.counts().delayed() - delayedAtStart;
      List<String> threads =
          Thread.getAllStackTraces().keySet().stream()
              .map(Thread::getName)
              .filter(n -> n.startsWith("netns-wire "))
              .toList();
      // CPU per frame: less at the mercy of other jobs on the machine than frames per second.
      System.out.printf(
          Locale.ROOT,
          " [forwarder took in %.0f frames/s from a; JVM CPU %.2f us per frame; forwarder CPU"
              + " %.2f us per frame; wire threads %s]",
          frames / seconds,
          (processCpuNanos() - cpuAtStart) / 1e3 / Math.max(frames, 1),
          (wireThreadsCpuNanos() - wireCpuAtStart) / 1e3 / Math.max(frames, 1),
          threads);
    }

    NetworkNamespace a;
    NetworkNamespace b;
    final InetSocketAddress bAddress = new InetSocketAddress("10.253.17.2", 0);

    @Setup(Level.Trial)
    public void start() {
      Topology topology =
          Topology.builder()
              .host("a")
              .host("b")
              .impairableVeth("a", List.of("10.253.17.1/24"), "b", List.of("10.253.17.2/24"))
              .build();
      network = topology.start();
      network.forwardThrough(ForwarderPorts.valueOf(ports.toUpperCase(Locale.ROOT)));
      VethPair link = topology.links().get(0);
      aToB = network.faults().userspace(link, "a", delay(1));
      network.faults().userspace(link, "b", delay(2));
      a = network.namespace("a");
      b = network.namespace("b");
    }

    private static FrameImpairment delay(long seed) {
      return new FrameImpairment(DELAY_NANOS, 0, false, 0, 0, 0, 0, 0, 0, 0, seed);
    }

    @TearDown(Level.Trial)
    public void stop() {
      network.close();
    }
  }

  /** A flood of UDP datagrams from a to b, sent by a thread of its own. */
  @State(Scope.Benchmark)
  public static class UdpFlood {
    @Param({"60", "1514"})
    public int frameBytes;

    DatagramChannel receiver;
    private DatagramChannel sender;
    private Thread flood;
    private volatile boolean running = true;
    final ByteBuffer incoming = ByteBuffer.allocateDirect(2048);

    @Setup(Level.Trial)
    public void start(Link link) throws Exception {
      receiver = link.b.call(() -> DatagramChannel.open().bind(link.bAddress));
      receiver.setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20);
      InetSocketAddress to = (InetSocketAddress) receiver.getLocalAddress();
      sender = link.a.call(() -> DatagramChannel.open().connect(to));
      ByteBuffer payload = ByteBuffer.allocateDirect(frameBytes - 14 - 20 - 8);
      flood =
          new Thread(
              () -> {
                while (running) {
                  try {
                    payload.clear();
                    sender.write(payload);
                  } catch (IOException e) {
                    // ENOBUFS and the like: the flood goes on
                  }
                }
              },
              "udp flood");
      flood.setDaemon(true);
      flood.start();
    }

    @TearDown(Level.Trial)
    public void stop() throws Exception {
      running = false;
      flood.join(2_000);
      sender.close();
      receiver.close();
    }
  }

  /** One TCP connection from a to b, written by a thread of its own. */
  @State(Scope.Benchmark)
  public static class TcpStream {
    SocketChannel accepted;
    private SocketChannel client;
    private Thread writer;
    private volatile boolean running = true;
    final ByteBuffer incoming = ByteBuffer.allocateDirect(1 << 20);

    @Setup(Level.Trial)
    public void start(Link link) throws Exception {
      try (ServerSocketChannel server =
          link.b.call(() -> ServerSocketChannel.open().bind(link.bAddress))) {
        InetSocketAddress at = (InetSocketAddress) server.getLocalAddress();
        client = link.a.call(() -> SocketChannel.open(at));
        accepted = server.accept();
      }
      ByteBuffer chunk = ByteBuffer.allocateDirect(256 << 10);
      writer =
          new Thread(
              () -> {
                try {
                  while (running) {
                    chunk.clear();
                    client.write(chunk);
                  }
                } catch (IOException e) {
                  // closed at teardown
                }
              },
              "tcp writer");
      writer.setDaemon(true);
      writer.start();
    }

    @TearDown(Level.Trial)
    public void stop() throws Exception {
      running = false;
      accepted.close();
      client.close();
      writer.join(2_000);
    }
  }

  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  public int udpFrames(Link link, UdpFlood flood) throws IOException {
    flood.incoming.clear();
    flood.receiver.receive(flood.incoming);
    return flood.incoming.position();
  }

  /** One op: 1 MiB received. */
  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  public int tcpMebibytes(Link link, TcpStream stream) throws IOException {
    stream.incoming.clear();
    while (stream.incoming.hasRemaining()) {
      if (stream.accepted.read(stream.incoming) < 0) {
        throw new IOException("connection closed");
      }
    }
    return stream.incoming.position();
  }

  /** The median of a round's errors, in microseconds; the round's figures are printed. */
  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  @Warmup(iterations = 1, batchSize = 1)
  @Measurement(iterations = 3, batchSize = 1)
  public long delayError(Link link) throws Exception {
    int probes = 1_000;
    long[] oneWay = new long[probes];
    try (DatagramChannel receiver = link.b.call(() -> DatagramChannel.open().bind(link.bAddress));
        DatagramChannel sender =
            link.a.call(() -> DatagramChannel.open().connect(receiver.getLocalAddress()))) {
      Thread listener =
          new Thread(
              () -> {
                ByteBuffer probe = ByteBuffer.allocate(16);
                try {
                  for (int i = 0; i < probes; i++) {
                    probe.clear();
                    receiver.receive(probe);
                    long now = System.nanoTime();
                    oneWay[probe.getInt(8)] = now - probe.getLong(0);
                  }
                } catch (IOException e) {
                  // closed after a lost probe: counted as missing below
                }
              },
              "probe receiver");
      listener.start();
      ByteBuffer probe = ByteBuffer.allocate(16);
      long next = System.nanoTime();
      for (int i = 0; i < probes; i++) {
        next += 2_000_000;
        while (System.nanoTime() < next) {
          Thread.onSpinWait();
        }
        probe.clear();
        probe.putLong(0, System.nanoTime()).putInt(8, i);
        sender.write(probe);
      }
      listener.join(1_000);
      receiver.close();
      listener.join();
    }
    long[] errors =
        Arrays.stream(oneWay).filter(t -> t > 0).map(t -> t - DELAY_NANOS).sorted().toArray();
    long median = errors[errors.length / 2];
    long p99 = errors[(int) (errors.length * 0.99)];
    System.out.printf(
        Locale.ROOT,
        "%ndelay error, ports=%s: median %+.3f ms, p99 %+.3f ms, min %+.3f ms, max %+.3f ms, %d of %d"
            + " probes%n",
        link.ports,
        median / 1e6,
        p99 / 1e6,
        errors[0] / 1e6,
        errors[errors.length - 1] / 1e6,
        errors.length,
        probes);
    return median / 1000;
  }
}
