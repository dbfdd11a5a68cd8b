package dev.netns.benchmarks;

import dev.netns.topology.ActiveFault;
import dev.netns.topology.DropMode;
import dev.netns.topology.FaultInjector;
import dev.netns.topology.RunningTopology;
import dev.netns.topology.Topologies;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
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
 * Faults applied and healed on a running network, each operation one fault put in force and healed
 * again (silent mode, as {@code Network.partition} and {@code cut} default to):
 *
 * <ul>
 *   <li>{@link #partition3}: {@code {n1} | {n2, n3}} on a LAN of three hosts: three routes into the
 *       void bridge (n1's covers n2 and n3 with one /31), in three namespaces.
 *   <li>{@link #cut}: {@code n1 -> n2} one way on the same LAN: one host route.
 *   <li>{@link #lanDisconnect}: {@code n1} unplugged from the LAN (its interface and the switch's
 *       port down), then plugged back in (both up, its routes restored).
 *   <li>{@link #halves100}: a LAN of 100 hosts split in halves, {@code n1..n50 | n51..n100}: each
 *       side's 50 addresses covered by four prefixes, 400 routes in 100 namespaces (5,000 host
 *       routes before prefix covers).
 * </ul>
 *
 * The networks are built once per trial; the first fault of a kind in a namespace also makes its
 * void bridge, which the warm-up absorbs. Each operation is timed ({@code SampleTime}).
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class FaultBenchmark {
  /** A LAN of three hosts, 10.252.3.0/24. */
  @State(Scope.Thread)
  public static class Lan3 {
    RunningTopology network;
    FaultInjector faults;

    @Setup(Level.Trial)
    public void start() {
      network = Topologies.lan("lan", "10.252.3.0/24", 3).build().start();
      faults = network.faults();
    }

    @TearDown(Level.Trial)
    public void close() {
      network.close();
    }
  }

  /** A LAN of 100 hosts, 10.252.100.0/24, and its two halves. */
  @State(Scope.Thread)
  public static class Lan100 {
    RunningTopology network;
    FaultInjector faults;
    List<Set<String>> halves;

    @Setup(Level.Trial)
    public void start() {
      network = Topologies.lan("lan", "10.252.100.0/24", 100).build().start();
      faults = network.faults();
      Set<String> first = new LinkedHashSet<>();
      Set<String> second = new LinkedHashSet<>();
      for (int i = 1; i <= 100; i++) {
        (i <= 50 ? first : second).add("n" + i);
      }
      halves = List.of(first, second);
    }

    @TearDown(Level.Trial)
    public void close() {
      network.close();
    }
  }

  @Benchmark
  public boolean partition3(Lan3 lan) {
    try (ActiveFault fault =
        lan.faults.partition(List.of(Set.of("n1"), Set.of("n2", "n3")), DropMode.SILENT)) {
      return fault.isActive();
    }
  }

  @Benchmark
  public boolean cut(Lan3 lan) {
    try (ActiveFault fault = lan.faults.cut("n1", "n2", DropMode.SILENT)) {
      return fault.isActive();
    }
  }

  @Benchmark
  public boolean lanDisconnect(Lan3 lan) {
    try (ActiveFault fault = lan.faults.disconnect("n1", "lan")) {
      return fault.isActive();
    }
  }

  @Benchmark
  public boolean halves100(Lan100 lan) {
    try (ActiveFault fault = lan.faults.partition(lan.halves, DropMode.SILENT)) {
      return fault.isActive();
    }
  }
}
