package dev.netns.benchmarks;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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
 * The baseline users have today: the same two topologies as {@link TopologyBenchmark}, built and
 * torn down by spawning iproute2 commands from Java, one process per step, as a test's
 * {@code @BeforeEach} would.
 *
 * <ul>
 *   <li>{@link #pair} (13 processes): {@code ip netns add} twice; {@code ip link add VA type veth
 *       peer name VB} (both ends appear in the machine's namespace); {@code ip link set ... netns}
 *       twice; {@code ip -n NS addr add} twice; {@code ip -n NS link set lo up} twice; {@code ip -n
 *       NS link set ... up} twice; {@code ip netns del} twice.
 *   <li>{@link #seed} (10 processes): {@code ip netns add}; {@code ip link add} with the peer in
 *       the machine's namespace; {@code ip link set ... netns}; an address on each end; loopback
 *       and both ends up; {@code ip link del} of the machine's end (so that it is gone at once, as
 *       the library does); {@code ip netns del}.
 * </ul>
 *
 * <p>Every name is fresh in every operation and carries this JVM's pid; a failure half-way deletes
 * what was made before rethrowing, and the trial ends with a sweep of anything left with this JVM's
 * prefixes. {@code ip netns del} returns once the bind mount is gone; the kernel frees the
 * namespace afterwards, as it does for the library's anonymous namespaces.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
public class IprouteBaselineBenchmark {
  private static final String NAMESPACE_PREFIX = "njb-" + ProcessHandle.current().pid() + "-";
  private static final AtomicLong COUNTER = new AtomicLong();

  @Setup(Level.Trial)
  public void checkIproute() {
    IpCommand.run("-V");
  }

  @TearDown(Level.Trial)
  public void sweep() {
    IpCommand.sweep(NAMESPACE_PREFIX, HostInterfaceNames.PREFIX);
  }

  /** Returns the names of the two namespaces made and deleted. */
  @Benchmark
  public String pair() {
    String id = NAMESPACE_PREFIX + COUNTER.incrementAndGet();
    String a = id + "-a";
    String b = id + "-b";
    String va = HostInterfaceNames.next('a');
    String vb = HostInterfaceNames.next('b');
    try {
      IpCommand.run("netns", "add", a);
      IpCommand.run("netns", "add", b);
      IpCommand.run("link", "add", va, "type", "veth", "peer", "name", vb);
      IpCommand.run("link", "set", va, "netns", a);
      IpCommand.run("link", "set", vb, "netns", b);
      IpCommand.run("-n", a, "addr", "add", "10.250.4.1/24", "dev", va);
      IpCommand.run("-n", b, "addr", "add", "10.250.4.2/24", "dev", vb);
      IpCommand.run("-n", a, "link", "set", "lo", "up");
      IpCommand.run("-n", b, "link", "set", "lo", "up");
      IpCommand.run("-n", a, "link", "set", va, "up");
      IpCommand.run("-n", b, "link", "set", vb, "up");
    } catch (RuntimeException e) {
      IpCommand.runQuietly(e, "link", "del", va);
      IpCommand.runQuietly(e, "netns", "del", a);
      IpCommand.runQuietly(e, "netns", "del", b);
      throw e;
    }
    IpCommand.run("netns", "del", a);
    IpCommand.run("netns", "del", b);
    return a + " " + b;
  }

  /** Returns the name of the namespace made and deleted. */
  @Benchmark
  public String seed() {
    String blue = NAMESPACE_PREFIX + COUNTER.incrementAndGet() + "-blue";
    String host = HostInterfaceNames.next('i');
    String inside = HostInterfaceNames.next('j');
    try {
      IpCommand.run("netns", "add", blue);
      IpCommand.run("link", "add", host, "type", "veth", "peer", "name", inside);
      IpCommand.run("link", "set", inside, "netns", blue);
      IpCommand.run("addr", "add", "10.250.3.1/24", "dev", host);
      IpCommand.run("-n", blue, "addr", "add", "10.250.3.2/24", "dev", inside);
      IpCommand.run("-n", blue, "link", "set", "lo", "up");
      IpCommand.run("-n", blue, "link", "set", inside, "up");
      IpCommand.run("link", "set", host, "up");
    } catch (RuntimeException e) {
      IpCommand.runQuietly(e, "link", "del", host);
      IpCommand.runQuietly(e, "netns", "del", blue);
      throw e;
    }
    IpCommand.run("link", "del", host);
    IpCommand.run("netns", "del", blue);
    return blue;
  }
}
