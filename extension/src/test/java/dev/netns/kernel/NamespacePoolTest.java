package dev.netns.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netns.nativeaccess.KernelException;
import dev.netns.testing.HostState;
import dev.netns.testing.Requirements;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * The warm pool hands out only fresh namespaces, each once and under its user's name, prepared as
 * {@code createAll} would have made it (forwarding for routers, IPv6 tuning when asked); it stays
 * within its bound, refills after namespaces are taken, and closes what it stocked.
 */
@Tag("privileged")
@Isolated("the pool is the JVM's: every namespace made meanwhile would come from it")
class NamespacePoolTest {
  private static final Duration FILL = Duration.ofSeconds(30);

  @Test
  void handsOutFreshNamespacesUnderTheirUsersNames() throws Exception {
    Requirements.requireNamespaces();
    assumeNoPoolOfTheRun();
    try (NamespacePool pool = NamespacePool.startIfNoneRuns(3).orElseThrow()) {
      assertThat(NamespacePool.startIfNoneRuns(3)).as("a second pool in the same JVM").isEmpty();
      assertThat(NamespacePool.running()).containsSame(pool);
      assertThat(pool.awaitFull(FILL)).as("filled: %s", pool).isTrue();
      List<NetworkNamespace> stocked = pool.stocked();
      assertThat(stocked).hasSize(3);

      List<NetworkNamespace> pair = NetworkNamespace.createAll(List.of("blue", "red"));
      try {
        assertThat(pair).containsExactly(stocked.get(0), stocked.get(1));
        assertThat(pair).extracting(NetworkNamespace::name).containsExactly("blue", "red");
        assertThat(pair.get(0))
            .hasToString("NetworkNamespace[blue, net:[" + pair.get(0).inode() + "]]");
        // Fresh: loopback alone, up, and no address but loopback's.
        for (NetworkNamespace ns : pair) {
          assertThat(Inspection.links(ns))
              .singleElement()
              .satisfies(lo -> assertThat(lo.name()).isEqualTo("lo"));
          assertThat(Inspection.addresses(ns))
              .allSatisfy(a -> assertThat(a.address().address().isLoopbackAddress()).isTrue());
        }
        // Messages and threads carry the name the user knows.
        assertThatThrownBy(() -> Links.index(pair.get(1), "nothere"))
            .hasMessage("namespace red has no interface named 'nothere'");
        assertThatThrownBy(() -> Links.createBridge(pair.get(1), "lo"))
            .isInstanceOf(KernelException.class)
            .hasMessageContaining("RTM_NEWLINK bridge red:lo");
        assertThat(pair.get(1).call(() -> Thread.currentThread().getName()))
            .startsWith("netns-red-");
        assertThat(pair.get(1).call(NamespaceInode::ofCurrentThread))
            .isEqualTo(pair.get(1).inode());
      } finally {
        pair.forEach(NetworkNamespace::close);
      }

      assertThat(pool.awaitFull(FILL)).as("refilled: %s", pool).isTrue();
      assertThat(pool.stocked())
          .as("handed out namespaces never come back")
          .doesNotContainAnyElementsOf(pair)
          .noneMatch(NetworkNamespace::isClosed)
          .startsWith(stocked.get(2));
      assertThat(pool.handedOut()).isEqualTo(2);
      assertThat(pool.missed()).isZero();
    }
    assertThat(NamespacePool.running()).isEmpty();
  }

  @Test
  void routersAndIpv6AreSetUpAtHandOut() throws Exception {
    Requirements.requireNamespaces();
    assumeNoPoolOfTheRun();
    try (NamespacePool pool = NamespacePool.startIfNoneRuns(3).orElseThrow()) {
      assertThat(pool.awaitFull(FILL)).isTrue();
      List<NetworkNamespace> made =
          NetworkNamespace.createAll(List.of("host", "router"), Set.of("router"), Ipv6Use.NONE);
      try {
        assertThat(pool.handedOut()).isEqualTo(2);
        assertThat(Sysctls.read(made.get(0), "net.ipv4.ip_forward")).isEqualTo("0");
        assertThat(Sysctls.read(made.get(1), "net.ipv4.ip_forward")).isEqualTo("1");
        // IPv4 only: DAD as the kernel has it, as in a namespace made on the spot.
        assertThat(Sysctls.read(made.get(0), "net.ipv6.conf.default.accept_dad"))
            .isEqualTo(Sysctls.read(made.get(1), "net.ipv6.conf.default.accept_dad"))
            .isNotEqualTo("0");
      } finally {
        made.forEach(NetworkNamespace::close);
      }
      assertThat(pool.awaitFull(FILL)).isTrue();
      List<NetworkNamespace> six =
          NetworkNamespace.createAll(List.of("six"), Set.of(), Ipv6Use.ADDRESSED);
      try {
        assertThat(pool.handedOut()).isEqualTo(3);
        assertThat(Sysctls.read(six.get(0), "net.ipv6.conf.default.accept_dad")).isEqualTo("0");
        assertThat(Sysctls.read(six.get(0), "net.ipv6.conf.default.keep_addr_on_down"))
            .isEqualTo("1");
      } finally {
        six.forEach(NetworkNamespace::close);
      }
    }
  }

  @Test
  void staysWithinItsBoundAndMakesWhatItLacks() throws Exception {
    Requirements.requireNamespaces();
    assumeNoPoolOfTheRun();
    try (NamespacePool pool = NamespacePool.startIfNoneRuns(2).orElseThrow()) {
      assertThat(pool.awaitFull(FILL)).isTrue();
      Thread.sleep(50);
      assertThat(pool.size()).as("never more than its capacity").isEqualTo(2);
      List<NetworkNamespace> five =
          NetworkNamespace.createAll(List.of("n1", "n2", "n3", "n4", "n5"));
      try {
        assertThat(five)
            .extracting(NetworkNamespace::name)
            .containsExactly("n1", "n2", "n3", "n4", "n5");
        assertThat(five.stream().map(NetworkNamespace::inode).distinct()).hasSize(5);
        assertThat(pool.handedOut()).isEqualTo(2);
        assertThat(pool.missed()).isEqualTo(3);
      } finally {
        five.forEach(NetworkNamespace::close);
      }
      for (int i = 0; i < 20; i++) {
        NetworkNamespace.create("churn" + i).close();
        assertThat(pool.size()).isLessThanOrEqualTo(2);
      }
      assertThat(pool.awaitFull(FILL)).isTrue();
      assertThat(pool.size()).isEqualTo(2);
    }
  }

  /**
   * Hundreds of take-and-refill rounds, each waiting for a full pool: the refill once stopped for
   * good when the quiet moment after a take ended between two readings of the clock.
   */
  @Test
  void refillsAfterEveryTake() throws Exception {
    Requirements.requireNamespaces();
    assumeNoPoolOfTheRun();
    try (NamespacePool pool = NamespacePool.startIfNoneRuns(2).orElseThrow()) {
      for (int i = 0; i < 300; i++) {
        assertThat(pool.awaitFull(Duration.ofSeconds(10))).as("round %d: %s", i, pool).isTrue();
        NetworkNamespace.createAll(List.of("a" + i, "b" + i)).forEach(NetworkNamespace::close);
      }
      assertThat(pool.handedOut()).isEqualTo(600);
      assertThat(pool.missed()).isZero();
    }
  }

  @Test
  void closingClosesTheStockAndStopsTheRefill() throws Exception {
    Requirements.requireNamespaces();
    assumeNoPoolOfTheRun();
    NetworkNamespace.create("warm").close(); // the factory thread and JNA, before counting
    int fds = HostState.openFds();
    List<NetworkNamespace> stocked;
    NamespacePool pool = NamespacePool.startIfNoneRuns(4).orElseThrow();
    try {
      assertThat(pool.awaitFull(FILL)).isTrue();
      stocked = pool.stocked();
      // Each stocked namespace holds its descriptor and its netlink socket, nothing else.
      assertThat(HostState.openFds()).isEqualTo(fds + 2 * 4);
      assertThat(HostState.threadsOutsideHostNamespace())
          .as("no thread of the pool is inside a namespace")
          .isEmpty();
      assertThat(niceOfThreadsNamed("netns-pool"))
          .as("the refill thread runs at the lowest priority")
          .containsExactly(19);
    } finally {
      pool.close();
    }
    assertThat(stocked).allMatch(NetworkNamespace::isClosed);
    assertThat(pool.size()).isZero();
    assertThat(HostState.openFds()).isEqualTo(fds);
    assertThat(liveThreadsNamed("netns-pool")).as("refill thread after close").isEmpty();
    assertThat(NamespacePool.running()).isEmpty();
    pool.close(); // idempotent
  }

  @Test
  void capacityIsBounded() {
    assertThatThrownBy(() -> NamespacePool.startIfNoneRuns(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a namespace pool holds 1 to 256 namespaces, not 0");
    assertThatThrownBy(() -> NamespacePool.startIfNoneRuns(257))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** Under {@code -Dnetns.pool=N} the run's own pool serves this JVM, and no second one starts. */
  static void assumeNoPoolOfTheRun() {
    Assumptions.assumeTrue(
        NamespacePool.running().isEmpty(), "the run's namespace pool serves this JVM");
  }

  /** The nice values of this process's tasks named {@code comm}, from /proc/self/task. */
  private static List<Integer> niceOfThreadsNamed(String comm) throws java.io.IOException {
    List<Integer> nice = new ArrayList<>();
    for (java.nio.file.Path task : HostState.entries(java.nio.file.Path.of("/proc/self/task"))) {
      try {
        if (java.nio.file.Files.readString(task.resolve("comm")).trim().equals(comm)) {
          String stat = java.nio.file.Files.readString(task.resolve("stat"));
          // Fields after the command's closing parenthesis: state is field 3, nice field 19.
          String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          nice.add(Integer.parseInt(fields[19 - 3]));
        }
      } catch (java.io.IOException e) {
        // the task ended while we looked
      }
    }
    return nice;
  }

  private static List<String> liveThreadsNamed(String name) throws InterruptedException {
    List<String> found = new ArrayList<>();
    long deadline = System.nanoTime() + 5_000_000_000L;
    do {
      found.clear();
      Thread.getAllStackTraces().keySet().stream()
          .filter(t -> t.getName().equals(name) && t.isAlive())
          .forEach(t -> found.add(t.getName()));
      if (found.isEmpty()) {
        break;
      }
      Thread.sleep(10);
    } while (System.nanoTime() < deadline);
    return found;
  }
}
