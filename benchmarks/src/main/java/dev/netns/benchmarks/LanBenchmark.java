package dev.netns.benchmarks;

import dev.netns.topology.RunningTopology;
import dev.netns.topology.Topologies;
import dev.netns.topology.Topology;
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
 * Large topologies set up and torn down in one shot: LANs of 10 and 100 hosts ({@code
 * Topologies.lan}: every host a namespace, the switch a bridge in a hidden namespace of its own,
 * one veth per host) and the line of 20 routers ({@code Topologies.routerLine(20)}: 22 namespaces,
 * 21 veth pairs, forwarding on, routes worked out).
 *
 * <p>Each measurement is one build-start-close, timed alone ({@code SingleShotTime}): at 10 to 200
 * ms an operation is far above timer resolution. Teardown here is what {@code close()} costs; the
 * kernel frees the namespaces afterwards, and between iterations, untimed, the benchmark waits for
 * it to finish so that one shot's cleanup does not slow the next ({@link ChurnBenchmark} measures
 * with the cleanup in the figure).
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 5)
@Measurement(iterations = 20)
public class LanBenchmark {
  /** The size of the LAN. */
  @State(Scope.Thread)
  public static class Lan {
    @Param({"10", "100"})
    public int hosts;

    Topology.Builder builder() {
      return Topologies.lan("lan", "10.251.0.0/24", hosts);
    }
  }

  /** Waits, untimed, until the kernel has freed the previous shot's namespaces. */
  @State(Scope.Thread)
  public static class Quiet {
    private KernelCleanup cleanup;

    @Setup(Level.Trial)
    public void open() {
      cleanup = KernelCleanup.onCurrentThread();
    }

    @TearDown(Level.Iteration)
    public void awaitCleanup() {
      cleanup.await();
    }

    @TearDown(Level.Trial)
    public void close() {
      cleanup.close();
    }
  }

  @Benchmark
  public int lan(Lan lan, Quiet quiet) {
    try (RunningTopology network = lan.builder().build().start()) {
      return network.allNamespaces().size();
    }
  }

  @Benchmark
  public int routerLine20(Quiet quiet) {
    try (RunningTopology network = Topologies.routerLine(20).build().start()) {
      return network.allNamespaces().size();
    }
  }
}
