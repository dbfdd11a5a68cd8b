package dev.netns.junit;

import static dev.netns.junit.NetAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The userspace path on a LAN port: one host's traffic impaired, the others' untouched. */
@Tag("privileged")
@NetNamespace("n1")
@NetNamespace("n2")
@NetNamespace("n3")
@Lan(
    name = "lan",
    subnet = "10.0.0.0/24",
    hosts = {"n1", "n2", "n3"})
class LanImpairmentTest {

  @Test
  void delayOnOnePortSlowsOnlyThatHost(Network network) throws Exception {
    NetNs n1 = network.namespace("n1");
    NetNs n2 = network.namespace("n2");
    NetNs n3 = network.namespace("n3");
    InetAddress a2 = network.address("n2");
    InetAddress a3 = network.address("n3");
    long before = UserspaceImpairmentTest.medianRoundTripMicros(n1, n2, a2);
    try (Fault slow =
        network.impair(
            "n1", "lan", Impairment.none().withDelay(Duration.ofMillis(50)).withSeed(5))) {
      assertThat(slow.description())
          .isEqualTo("userspace delay 50 ms, seed 5 leaving n1 on LAN lan");
      long during = UserspaceImpairmentTest.medianRoundTripMicros(n1, n2, a2);
      assertThat(during - before).as("added round trip n1-n2, us").isBetween(45_000L, 80_000L);
      long others = UserspaceImpairmentTest.medianRoundTripMicros(n2, n3, a3);
      assertThat(others).as("round trip n2-n3, us").isLessThan(20_000L);
    }
    long after = UserspaceImpairmentTest.medianRoundTripMicros(n1, n2, a2);
    assertThat(after).as("round trip once healed, us").isLessThan(20_000L);
  }

  @Test
  void fullLossOnOnePortCutsThatHostOffAndHeals(Network network) throws Exception {
    NetNs n1 = network.namespace("n1");
    NetNs n2 = network.namespace("n2");
    InetAddress a1 = network.address("n1");
    InetAddress a3 = network.address("n3");
    NetAssertions.awaitReachable(n1, a3, Duration.ofSeconds(5));
    NetAssertions.awaitReachable(n2, a3, Duration.ofSeconds(5));
    try (Fault lost = network.impair("n1", "lan", Impairment.none().withLoss(100).withSeed(1))) {
      assertThat(n1).within(Duration.ofMillis(300)).cannotReach(a3);
      assertThat(n2).within(Duration.ofMillis(300)).cannotReach(a1);
      assertThat(n2).canReach(a3);
    }
    NetAssertions.awaitReachable(n1, a3, Duration.ofSeconds(5));
  }
}
