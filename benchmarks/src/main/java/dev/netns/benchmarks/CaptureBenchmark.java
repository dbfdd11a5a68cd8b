package dev.netns.benchmarks;

import dev.netns.kernel.NetworkNamespace;
import dev.netns.kernel.PacketCapture;
import dev.netns.topology.RunningTopology;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What packet capture (issue: diagnostics) costs a test, and whether it keeps up.
 *
 * <ul>
 *   <li>{@link #pairWithoutCapture}: the two-namespace pair set up and torn down, as most tests do:
 *       the cost when capture is off (the default), for comparison.
 *   <li>{@link #pairWithCapture}: the same with both ends captured into pcap files from the moment
 *       the network is up until teardown, as {@code @Capture} does. The difference is the price of
 *       capture per test; most of it is the kernel closing packet sockets.
 *   <li>{@link #burstCaptured}: 2,000 UDP datagrams of 100 bytes sent as fast as one thread can, on
 *       a captured pair; reports frames captured on the receiving side per datagram sent (1.0 means
 *       nothing was lost at test-scale rates) as an auxiliary counter.
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 4, time = 2)
public class CaptureBenchmark {
  private Path dir;

  @Setup(Level.Trial)
  public void makeDirectory() throws IOException {
    dir = Files.createTempDirectory("netns-capture-bench");
  }

  @TearDown(Level.Trial)
  public void removeDirectory() throws IOException {
    try (var files = Files.list(dir)) {
      for (Path file : files.toList()) {
        Files.deleteIfExists(file);
      }
    }
    Files.deleteIfExists(dir);
  }

  @Benchmark
  public int pairWithoutCapture() {
    try (RunningTopology network = TopologyBenchmark.pairTopology().start()) {
      return network.namespaces().size();
    }
  }

  @Benchmark
  public int pairWithCapture() throws IOException {
    try (RunningTopology network = TopologyBenchmark.pairTopology().start()) {
      try (PacketCapture capture =
          PacketCapture.start(targets(network), "bench-capture", 1 << 20)) {
        return capture.targets().size();
      }
    }
  }

  /** Datagrams captured on the receiving end per datagram sent. */
  @AuxCounters(AuxCounters.Type.EVENTS)
  @State(Scope.Thread)
  public static class Captured {
    public double capturedPerSent;
  }

  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @Warmup(iterations = 2, batchSize = 1)
  @Measurement(iterations = 5, batchSize = 1)
  public long burstCaptured(Captured counters) throws Exception {
    int datagrams = 2_000;
    try (RunningTopology network = TopologyBenchmark.pairTopology().start()) {
      NetworkNamespace a = network.namespace("a");
      NetworkNamespace b = network.namespace("b");
      PacketCapture capture = PacketCapture.start(targets(network), "bench-capture", 64 << 20);
      try (DatagramChannel receiver =
              b.call(() -> DatagramChannel.open().bind(new InetSocketAddress("10.250.4.2", 0)));
          DatagramChannel sender = a.call(DatagramChannel::open)) {
        ByteBuffer payload = ByteBuffer.allocate(100);
        for (int i = 0; i < datagrams; i++) {
          payload.clear();
          sender.send(payload, receiver.getLocalAddress());
        }
      }
      Thread.sleep(50); // let the capture thread drain
      List<PacketCapture.Summary> summaries = capture.stop();
      long frames = capture.framesSoFar().get(1);
      counters.capturedPerSent = (double) frames / datagrams;
      capture.close();
      return frames + summaries.size();
    }
  }

  private List<PacketCapture.Target> targets(RunningTopology network) {
    return List.of(
        new PacketCapture.Target(
            network.namespace("a"), "b", dir.resolve("a-" + System.nanoTime() + ".pcap")),
        new PacketCapture.Target(
            network.namespace("b"), "a", dir.resolve("b-" + System.nanoTime() + ".pcap")));
  }
}
