package dev.netns.junit;

import static dev.netns.junit.NetAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Faults that cannot stack say so; faults that can heal in any order. */
@Tag("privileged")
@NetNamespace("a")
@NetNamespace("b")
@NetNamespace("c")
@VethLink(a = "a", aAddress = "10.9.1.1/24", b = "b", bAddress = "10.9.1.2/24", impairable = true)
@VethLink(a = "a", aAddress = "10.9.2.1/24", b = "c", bAddress = "10.9.2.2/24")
class FaultCompositionTest {

  @Test
  void secondImpairmentOfOneDirectionIsRefusedNamingTheFirst(Network network) {
    Link ab = network.link("a", "b");
    try (Fault loss = ab.impair("a", Impairment.none().withLoss(100).withSeed(1))) {
      assertThatThrownBy(
              () -> ab.impair("a", Impairment.none().withDelay(Duration.ofMillis(5)).withSeed(2)))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageStartingWith("impair: traffic leaving a on @VethLink(a = \"a\", b = \"b\")")
          .hasMessageContaining("is already impaired (loss 100.0 %, seed 1)");
      // The other direction is free.
      ab.impair("b", Impairment.none().withDelay(Duration.ofMillis(1)).withSeed(3)).close();
    }
    Link ac = network.link("a", "c");
    try (Fault slow = ac.impair("a", Impairment.none().withRate(8_000_000))) {
      assertThatThrownBy(() -> ac.impair("a", Impairment.none().withRate(1_000_000)))
          .hasMessageStartingWith("impair: traffic leaving a:c is already impaired by the kernel");
    }
  }

  @Test
  void silentAndRejectingFaultsOnOnePairDoNotStack(Network network) {
    try (Fault silent = network.cut("a", "b")) {
      assertThatThrownBy(() -> network.cutRejecting("a", "b"))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage(
              "a silent fault already keeps a from reaching 10.9.1.2; a rejecting one cannot"
                  + " stack on it. Heal it first");
      assertThat(network.faults()).hasSize(1);
    }
  }

  @Test
  void linkFaultsHealInAnyOrder(Network network) throws Exception {
    NetNs a = network.namespace("a");
    Fault ab = network.link("a", "b").disconnect();
    Fault ac = network.link("a", "c").disconnect();
    ab.heal(); // the oldest first: a-c is still down
    NetAssertions.awaitReachable(a, network.address("b"), Duration.ofSeconds(5));
    assertThat(a).within(Duration.ofMillis(300)).cannotReach(network.address("c"));
    ac.heal();
    NetAssertions.awaitReachable(a, network.address("c"), Duration.ofSeconds(5));
  }

  @Test
  void linkUpRestoresItsRoutes(Network network) throws Exception {
    NetNs a = network.namespace("a");
    Link ac = network.link("a", "c");
    ac.down();
    ac.up();
    NetAssertions.awaitReachable(a, network.address("c"), Duration.ofSeconds(5));
    try (Fault split = network.partition(Set.of("a"), Set.of("c"))) {
      assertThat(a).within(Duration.ofMillis(300)).cannotReach(network.address("c"));
    }
  }

  @Test
  void twoDisconnectsOfOneLinkHoldItDownUntilBothHeal(Network network) throws Exception {
    NetNs a = network.namespace("a");
    Link ac = network.link("a", "c");
    NetAssertions.awaitReachable(a, network.address("c"), Duration.ofSeconds(5));
    Fault first = ac.disconnect();
    Fault second = ac.disconnect();
    first.heal();
    assertThat(second.isActive()).isTrue();
    assertThat(a)
        .hasInterfaceDown("c")
        .within(Duration.ofMillis(300))
        .cannotReach(network.address("c"));
    second.heal();
    assertThat(a).hasInterfaceUp("c");
    NetAssertions.awaitReachable(a, network.address("c"), Duration.ofSeconds(5));
  }

  @Test
  void upIsRefusedWhileADisconnectHoldsTheLinkDown(Network network) throws Exception {
    NetNs a = network.namespace("a");
    Link ac = network.link("a", "c");
    try (Fault down = ac.disconnect()) {
      assertThatThrownBy(ac::up)
          .isInstanceOf(IllegalStateException.class)
          .hasMessage(
              "up: a:c and c:a are held down by a fault in force (link a:c<->c:a down); heal it"
                  + " first");
      assertThat(a).hasInterfaceDown("c");
    }
    NetAssertions.awaitReachable(a, network.address("c"), Duration.ofSeconds(5));
  }

  @Test
  void healingADisconnectLeavesALinkTheTestTookDownDown(Network network) throws Exception {
    NetNs a = network.namespace("a");
    Link ac = network.link("a", "c");
    ac.down();
    ac.disconnect().heal();
    assertThat(a).hasInterfaceDown("c");
    ac.up();
    NetAssertions.awaitReachable(a, network.address("c"), Duration.ofSeconds(5));
  }
}
