package dev.netns.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netns.testing.HostState;
import dev.netns.testing.Requirements;
import java.net.InetAddress;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * Big topologies from the builder, without JUnit's help: they build, carry traffic end to end, and
 * leave nothing behind. (Build times are printed for the record; JMH in benchmarks/ measures.)
 */
@Tag("privileged")
@Isolated("compares the machine's links and the JVM's descriptors before and after")
class ScaleTest {
  @BeforeEach
  void requirePrivileges() throws Exception {
    Requirements.requireNamespaces();
    // Whatever the JVM opens once and keeps (jars of classes loaded on first use, the machine
    // view's hold on the JVM's own mount and UTS namespaces) opens here, before a test takes its
    // baseline: part of it, not a leak. The machine's links are compared all the same.
    Set<String> links = HostState.hostLinks();
    try (RunningTopology warm = Topologies.lan("warm", "10.0.0.0/24", 2).build().start()) {
      WiringChecks.assertReaches(
          warm.namespace("n1"), warm.namespace("n2"), InetAddress.getByName("10.0.0.2"));
    }
    assertThat(HostState.hostLinks()).isEqualTo(links);
  }

  @Test
  void hundredHostLan() throws Exception {
    Topology topology = Topologies.lan("lan", "10.0.0.0/24", 100).build();
    checkBuildTrafficTeardown(topology, "n1", "n100", "10.0.0.100");
  }

  @Test
  void lineOfTwentyRouters() throws Exception {
    Topology topology = Topologies.routerLine(20).build();
    String bAddress = topology.addressesOf("b").get(0).address().getHostAddress();
    checkBuildTrafficTeardown(topology, "a", "b", bAddress);
  }

  @Test
  void twoLansThroughOneRouter() throws Exception {
    checkBuildTrafficTeardown(Topologies.twoLans(5).build(), "l1", "r5", "10.0.2.5");
  }

  private static void checkBuildTrafficTeardown(
      Topology topology, String from, String to, String toAddress) throws Exception {
    Set<String> links = HostState.hostLinks();
    List<String> fds = HostState.openFdTargets();
    long started = System.nanoTime();
    try (RunningTopology network = topology.start()) {
      long built = System.nanoTime();
      System.out.printf(
          "%s: %d namespaces built in %.1f ms%n",
          topology.hosts().size() > 50 ? "100-host LAN" : from + "->" + to,
          network.allNamespaces().size(),
          (built - started) / 1e6);
      WiringChecks.assertReaches(
          network.namespace(from), network.namespace(to), InetAddress.getByName(toAddress));
    }
    assertThat(HostState.hostLinks()).isEqualTo(links);
    // The JDK closes the pipes of the iproute2 processes above from its reaper thread, a moment
    // after they exit: wait for that, not for anything of the library's.
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(3))
        .untilAsserted(
            () -> {
              List<String> added = new java.util.ArrayList<>(HostState.openFdTargets());
              fds.forEach(added::remove);
              assertThat(added).as("descriptors opened and not closed").isEmpty();
            });
    assertThat(HostState.threadsOutsideHostNamespace()).isEmpty();
  }
}
