package dev.netns.benchmarks;

import dev.netns.kernel.Addresses;
import dev.netns.kernel.Cidr;
import dev.netns.kernel.Links;
import dev.netns.kernel.NetworkNamespace;
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
 * One veth pair between two namespaces that already exist, addressed and up, then deleted: the cost
 * of a link on its own, without the namespaces around it.
 *
 * <ul>
 *   <li>{@link #kernelLayer}: the kernel layer as a caller uses it, one call per step: {@code
 *       Links.createVeth}, {@code Addresses.add} at both ends, {@code Links.setUp} at both ends,
 *       {@code Links.delete}. Each call that takes a name first looks the ifindex up.
 *   <li>{@link #bareNetlink}: the same result in three datagrams of hand-written rtnetlink, with
 *       ifindexes chosen by the caller: create (first end up) and its address in one; the peer up
 *       and its address in the other namespace; the delete.
 * </ul>
 *
 * <p>The delete is synchronous ({@code RTM_DELLINK} waits for the device to be unregistered), so it
 * is part of both figures.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(2)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class VethBenchmark {
  private static final Cidr A_ADDRESS = Cidr.parse("10.250.5.1/24");
  private static final Cidr B_ADDRESS = Cidr.parse("10.250.5.2/24");
  private static final byte[] A_RAW = {10, (byte) 250, 5, 1};
  private static final byte[] B_RAW = {10, (byte) 250, 5, 2};
  private static final int INDEX = 100;

  private NetworkNamespace a;
  private NetworkNamespace b;
  private HomeNamespace home;
  private BareNamespace bareA;
  private BareNamespace bareB;

  @Setup(Level.Trial)
  public void createNamespaces() {
    a = NetworkNamespace.create("a");
    b = NetworkNamespace.create("b");
    home = HomeNamespace.ofCurrentThread();
    bareA = BareNamespace.create(home);
    bareB = BareNamespace.create(home);
  }

  @TearDown(Level.Trial)
  public void closeNamespaces() {
    bareB.close();
    bareA.close();
    home.close();
    b.close();
    a.close();
  }

  /** Returns the number of kernel-layer calls made, all of which succeeded. */
  @Benchmark
  public int kernelLayer() {
    Links.createVeth(a, "b", b, "a");
    try {
      Addresses.add(a, "b", A_ADDRESS);
      Addresses.add(b, "a", B_ADDRESS);
      Links.setUp(a, "b", true);
      Links.setUp(b, "a", true);
    } finally {
      Links.delete(a, "b");
    }
    return 6;
  }

  /** Returns the number of requests the kernel acknowledged. */
  @Benchmark
  public int bareNetlink() {
    int answers;
    try {
      answers =
          bareA
              .netlink()
              .veth("b", -1, INDEX, "a", bareB.fd(), INDEX)
              .address(INDEX, A_RAW, 24)
              .commit("veth a:b<->b:a");
      answers += bareB.netlink().up(INDEX).address(INDEX, B_RAW, 24).commit("b:a up, address");
    } catch (RuntimeException e) {
      try {
        bareA.netlink().deleteLink(INDEX).commit("RTM_DELLINK a:b");
      } catch (RuntimeException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
    return answers + bareA.netlink().deleteLink(INDEX).commit("RTM_DELLINK a:b");
  }
}
