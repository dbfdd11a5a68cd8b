package dev.netns.junit;

import static dev.netns.junit.NetAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.netns.testing.Oracle;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Healing a fault whose kernel state someone else already removed (a route deleted, a link gone):
 * what healing wanted is already true, so the fault heals, and teardown has nothing left to fail
 * on. The state is removed with iproute2, as a test's own code or a crashed program might.
 */
@Tag("privileged")
@NetNamespace("a")
@NetNamespace("b")
@NetNamespace("c")
@VethLink(a = "a", aAddress = "10.9.5.1/24", b = "b", bAddress = "10.9.5.2/24")
@VethLink(a = "a", aAddress = "10.9.6.1/24", b = "c", bAddress = "10.9.6.2/24")
class FaultHealingTest {

  @Test
  void aPartitionWhoseRouteWasDeletedBehindItsBackHeals(Network network) throws Exception {
    NetNs a = network.namespace("a");
    Fault split = network.partition(Set.of("a"), Set.of("b"));
    Oracle.ip(a, "route", "del", "10.9.5.2/32");
    network.healAll();
    assertThat(split.isActive()).isFalse();
    assertThat(network.faults()).isEmpty();
    assertThat(Oracle.ip(network.namespace("b"), "route", "show")).doesNotContain("nj-void");
    NetAssertions.awaitReachable(a, network.address("b"), Duration.ofSeconds(5));
  }

  /** Leaves in force a partition whose route it deleted: teardown has to heal it. */
  @NetNamespace("a")
  @NetNamespace("b")
  @VethLink(a = "a", aAddress = "10.9.5.1/24", b = "b", bAddress = "10.9.5.2/24")
  static class LeavesAHalfGonePartition {
    @Test
    void partitionDeleteAndWalkAway(Network network) {
      network.partition(Set.of("a"), Set.of("b"));
      Oracle.ip(network.namespace("a"), "route", "del", "10.9.5.2/32");
    }
  }

  @Test
  void teardownHealsAPartitionWhoseRouteWasDeletedBehindItsBack() {
    Fixtures.run(LeavesAHalfGonePartition.class)
        .allEvents()
        .assertStatistics(s -> s.failed(0))
        .assertStatistics(s -> s.succeeded(3)); // the engine, the class, the test
  }

  @Test
  void aRejectingCutWhoseRouteWasDeletedBehindItsBackHeals(Network network) {
    Fault cut = network.cutRejecting("a", "b");
    Oracle.ip(network.namespace("a"), "route", "del", "unreachable", "10.9.5.2/32");
    cut.heal();
    assertThat(cut.isActive()).isFalse();
    assertThat(network.faults()).isEmpty();
  }

  @Test
  void aDisconnectOfALinkDeletedBehindItsBackHeals(Network network) throws Exception {
    NetNs a = network.namespace("a");
    Fault down = network.link("a", "c").disconnect();
    Oracle.ip(a, "link", "del", "c");
    network.healAll();
    assertThat(down.isActive()).isFalse();
    assertThat(network.faults()).isEmpty();
    // The other link was never touched.
    NetAssertions.awaitReachable(a, network.address("b"), Duration.ofSeconds(5));
  }

  @Test
  void aRateLimitOfALinkDeletedBehindItsBackHeals(Network network) {
    Fault slow = network.link("a", "c").impair("a", Impairment.none().withRate(8_000_000));
    Oracle.ip(network.namespace("a"), "link", "del", "c");
    slow.heal();
    assertThat(slow.isActive()).isFalse();
  }

  @Test
  void aRateLimitWhoseQdiscWasDeletedBehindItsBackHeals(Network network) {
    Fault slow = network.link("a", "c").impair("a", Impairment.none().withRate(8_000_000));
    Oracle.ip(network.namespace("a"), "link", "show"); // the link is still there
    Oracle.run(
        java.util.List.of(
            "nsenter",
            "--net=/proc/"
                + ProcessHandle.current().pid()
                + "/task/"
                + tidOf(network.namespace("a"))
                + "/ns/net",
            "tc",
            "qdisc",
            "del",
            "dev",
            "c",
            "root"));
    slow.heal();
    assertThat(slow.isActive()).isFalse();
    assertThat(network.namespace("a")).hasInterfaceUp("c");
  }

  private static int tidOf(NetNs ns) {
    try {
      return ns.call(() -> dev.netns.nativeaccess.LibC.instance().gettid());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
