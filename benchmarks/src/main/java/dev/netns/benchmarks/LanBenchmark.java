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
 * Large topologies set up and torn down in one shot: LANs of 10, 100 and 1,000 hosts ({@code
 * Topologies.lan}: every host a namespace, the switch a bridge in a hidden namespace of its own,
 * one veth per host; {@code cFloorLanSetup} is the same setup in C, the floor) and the line of 20
 * routers ({@code Topologies.routerLine(20)}: 22 namespaces, 21 veth pairs, forwarding on, routes
 * worked out). {@code lanSetup} times the setup alone, as a test waits for it; {@code endToEnd}
 * builds the 1,000-host LAN, has ten pairs of hosts talk and tears it down.
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
    @Param({"10", "100", "1000"})
    public int hosts;

    Topology.Builder builder() {
      return Topologies.lan("lan", hosts <= 250 ? "10.251.0.0/24" : "10.251.0.0/22", hosts);
    }
  }

  /**
   * A network set up in the timed part and torn down afterwards, untimed, with the kernel's cleanup
   * of it awaited there too: JMH may run the iteration's {@link Quiet} wait before this teardown,
   * and the next shot would then be timed while the kernel frees this one.
   */
  @State(Scope.Thread)
  public static class Running {
    RunningTopology network;

    @TearDown(Level.Invocation)
    public void close(Quiet quiet) {
      if (network != null) {
        network.close();
        network = null;
        quiet.awaitCleanup();
      }
    }
  }

  /**
   * The C floor of a LAN's setup ({@code lanfloor.c}, built with {@link CFloor}): the same LAN made
   * with bare syscalls and rtnetlink on one thread, closed untimed with the kernel's cleanup
   * awaited, as {@link Running} does for the library's.
   */
  @State(Scope.Thread)
  public static class CLan {
    CFloor floor;
    boolean built;

    @Setup(Level.Trial)
    public void build() {
      floor = CFloor.build();
    }

    @TearDown(Level.Invocation)
    public void close(Quiet quiet) {
      if (built) {
        floor.closeLan();
        built = false;
        quiet.awaitCleanup();
      }
    }

    @TearDown(Level.Trial)
    public void free() {
      floor.close();
    }
  }

  /** The 1,000-host LAN of issue 17, checked end to end. */
  @State(Scope.Thread)
  public static class Thousand {
    static final int HOSTS = 1000;

    Topology topology() {
      return Topologies.lan("lan", "10.251.0.0/22", HOSTS).build();
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

  /** The setup alone, as a test waits for it: {@code start()}; the teardown is untimed. */
  @Benchmark
  public int lanSetup(Lan lan, Quiet quiet, Running running) {
    running.network = lan.builder().build().start();
    return running.network.allNamespaces().size();
  }

  /**
   * The C floor of {@link #lanSetup}: the same LAN set up by C code over bare syscalls, one thread
   * (the kernel's rtnl lock serializes nearly every step anyway); the teardown is untimed.
   */
  @Benchmark
  public int cFloorLanSetup(Lan lan, Quiet quiet, CLan c) {
    c.built = true;
    c.floor.lan(lan.hosts);
    return lan.hosts;
  }

  /**
   * A LAN of 1,000 hosts built, checked end to end and torn down: ten pairs of hosts far apart in
   * the declaration (made and wired by different threads) each send a byte over TCP; a pair that
   * cannot fails the benchmark.
   */
  @Benchmark
  public int endToEnd(Thousand lan, Quiet quiet) throws Exception {
    Topology topology = lan.topology();
    try (RunningTopology network = topology.start()) {
      int checked = 0;
      for (int i = 1; i <= 10; i++) {
        int from = i * 97 % Thousand.HOSTS + 1;
        int to = Thousand.HOSTS + 1 - from;
        EndToEnd.check(network, topology, "n" + from, "n" + to);
        checked++;
      }
      return checked;
    }
  }

  @Benchmark
  public int routerLine20(Quiet quiet) {
    try (RunningTopology network = Topologies.routerLine(20).build().start()) {
      return network.allNamespaces().size();
    }
  }
}
