package dev.netns.benchmarks;

import dev.netns.nativeaccess.LibC;
import dev.netns.topology.RunningTopology;
import dev.netns.topology.Topology;
import dev.netns.topology.VethDeclaration;
import java.util.List;
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
 * The two small topologies most tests declare, set up and torn down through {@code Topology} and
 * {@code RunningTopology}, each next to its floor: the same namespaces, links, addresses and states
 * made with bare syscalls and hand-written rtnetlink ({@link BareNamespace}).
 *
 * <ul>
 *   <li>{@link #pair}: two namespaces joined by a veth pair, 10.250.4.1/24 and .2, everything up.
 *       The declaration is built (validated) in each operation, as the extension does per test.
 *   <li>{@link #pairFloor}: two {@code unshare}s with a descriptor and a netlink socket each; one
 *       datagram in the first namespace (loopback up, the veth with its first end up and both ends
 *       placed by descriptor, the address), one in the second (loopback up, its end up, the
 *       address); then the descriptors and sockets closed.
 *   <li>{@link #seed}: the classic setup: one namespace, a veth to the machine's own namespace,
 *       10.250.1.2/24 inside and 10.250.1.1/24 on the machine's end, both up. The machine's end
 *       gets a fresh name in every operation; at teardown it goes down (taking its routes off the
 *       machine) and the kernel deletes it with the namespace, after close has returned.
 *   <li>{@link #seedFloor}: the same (on 10.250.2.0/24) with a netlink socket in the machine's
 *       namespace opened once, the machine's end found with {@code if_nametoindex}, and an explicit
 *       {@code RTM_DELLINK}.
 *   <li>{@link #seedFloorAsyncHostEnd}: the seed floor with the library's teardown: the machine's
 *       end loses its address ({@code RTM_DELADDR}) and goes down, and is then left for the kernel
 *       to delete with the namespace, after {@code close} has returned. The floor for {@link
 *       #seed}; {@link #seedFloor} shows what the synchronous {@code RTM_DELLINK} costs.
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(2)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class TopologyBenchmark {
  private static final int INDEX = 100;
  private static final int LOOPBACK_INDEX = 1;

  private LibC libc;
  private HomeNamespace home;
  private BareRtnetlink hostNetlink;

  @Setup(Level.Trial)
  public void openHome() {
    libc = LibC.instance();
    home = HomeNamespace.ofCurrentThread();
    hostNetlink = BareRtnetlink.open(libc);
  }

  @TearDown(Level.Trial)
  public void closeHome() {
    hostNetlink.close();
    home.close();
  }

  /** The two-namespace pair, as a test would declare it. */
  static Topology pairTopology() {
    return Topology.builder()
        .host("a")
        .host("b")
        .veth("a", List.of("10.250.4.1/24"), "b", List.of("10.250.4.2/24"))
        .build();
  }

  /** The seed topology, with a fresh name for the machine's end. */
  static Topology seedTopology(String hostInterface) {
    return Topology.builder()
        .host("blue")
        .veth(
            new VethDeclaration(
                "blue",
                "",
                List.of("10.250.1.2/24"),
                Topology.HOST,
                hostInterface,
                List.of("10.250.1.1/24"),
                0,
                "seed"))
        .build();
  }

  @Benchmark
  public int pair() {
    try (RunningTopology network = pairTopology().start()) {
      return network.namespaces().size();
    }
  }

  @Benchmark
  public int pairFloor() {
    return pairFloor(home);
  }

  /** The pair made the floor's way from the calling thread, then closed. */
  static int pairFloor(HomeNamespace home) {
    try (BareNamespace a = BareNamespace.create(home);
        BareNamespace b = BareNamespace.create(home)) {
      a.netlink()
          .up(LOOPBACK_INDEX)
          .veth("b", -1, INDEX, "a", b.fd(), INDEX)
          .address(INDEX, new byte[] {10, (byte) 250, 4, 1}, 24)
          .commit("pair floor: a");
      b.netlink()
          .up(LOOPBACK_INDEX)
          .up(INDEX)
          .address(INDEX, new byte[] {10, (byte) 250, 4, 2}, 24)
          .commit("pair floor: b");
      return a.fd() + b.fd();
    }
  }

  @Benchmark
  public int seed() {
    try (RunningTopology network = seedTopology(HostInterfaceNames.next('s')).start()) {
      return network.namespaces().size();
    }
  }

  @Benchmark
  public int seedFloor() {
    try (BareNamespace blue = BareNamespace.create(home)) {
      String hostInterface = HostInterfaceNames.next('f');
      // The end inside first: the kernel honours the peer's chosen ifindex only when the first
      // end has one too, and the machine's end must let the kernel choose.
      hostNetlink.veth("host", blue.fd(), INDEX, hostInterface, -1, 0).commit("seed floor: veth");
      int hostIndex = libc.ifNameToIndex(hostInterface);
      try {
        hostNetlink
            .up(hostIndex)
            .address(hostIndex, new byte[] {10, (byte) 250, 2, 1}, 24)
            .commit("seed floor: host end");
        blue.netlink()
            .up(LOOPBACK_INDEX)
            .address(INDEX, new byte[] {10, (byte) 250, 2, 2}, 24)
            .commit("seed floor: blue");
      } finally {
        hostNetlink.deleteLink(hostIndex).commit("seed floor: RTM_DELLINK " + hostInterface);
      }
      return hostIndex;
    }
  }

  @Benchmark
  public int seedFloorAsyncHostEnd() {
    byte[] hostAddress = {10, (byte) 250, 6, 1};
    try (BareNamespace blue = BareNamespace.create(home)) {
      String hostInterface = HostInterfaceNames.next('g');
      hostNetlink.veth("host", blue.fd(), INDEX, hostInterface, -1, 0).commit("seed floor: veth");
      int hostIndex = libc.ifNameToIndex(hostInterface);
      try {
        hostNetlink
            .up(hostIndex)
            .address(hostIndex, hostAddress, 24)
            .commit("seed floor: host end");
        blue.netlink()
            .up(LOOPBACK_INDEX)
            .address(INDEX, new byte[] {10, (byte) 250, 6, 2}, 24)
            .commit("seed floor: blue");
      } finally {
        hostNetlink
            .deleteAddress(hostIndex, hostAddress, 24)
            .down(hostIndex)
            .commit("seed floor: RTM_DELADDR, down " + hostInterface);
      }
      return hostIndex;
    }
  }
}
