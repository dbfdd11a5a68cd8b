package dev.netns.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netns.testing.Requirements;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Nodes in a fault schedule: which node a pause or crash hits is drawn from the seed, whatever
 * order the nodes are given in; a crash is healed by a restart when its time is up.
 */
@Tag("privileged")
@NetNamespace("n1")
@NetNamespace("n2")
@VethLink(a = "n1", aAddress = "10.154.0.1/24", b = "n2", bAddress = "10.154.0.2/24")
class NodeScheduleTest {
  Network network;

  @BeforeEach
  void requirePrivileges() {
    Requirements.requireNamespaces();
  }

  private static Node sleeper(NetNs ns, String name) throws Exception {
    return ns.startNode(name, new ProcessBuilder("sleep", "600"));
  }

  @Test
  void theSeedPicksTheNodeWhateverTheOrderGiven(@Ns("n1") NetNs n1, @Ns("n2") NetNs n2)
      throws Exception {
    Node a = sleeper(n1, "a");
    Node b = sleeper(n2, "b");
    List<String> one = plan(FaultKind.pauseNode(a, b), 11);
    List<String> other = plan(FaultKind.pauseNode(b, a), 11);
    assertThat(one).isEqualTo(other).hasSize(6);
    assertThat(one).allMatch(d -> d.equals("pause node a in n1") || d.equals("pause node b in n2"));
    assertThat(one).contains("pause node a in n1", "pause node b in n2");
  }

  private List<String> plan(FaultKind kind, long seed) {
    return FaultSchedule.builder()
        .add(kind)
        .limit(6)
        .build()
        .plan(seed, network)
        .map(ScheduledFault::description)
        .toList();
  }

  @Test
  void aScheduledCrashRestartsTheNodeWhenItsTimeIsUp(@Ns("n1") NetNs n1) throws Exception {
    Node node = sleeper(n1, "a");
    long before = node.pid();
    FaultSchedule schedule =
        FaultSchedule.builder()
            .add(FaultKind.crashNode(node))
            .interval(Duration.ZERO, Duration.ZERO)
            .duration(Duration.ofMillis(200), Duration.ofMillis(200))
            .limit(1)
            .build();
    try (Nemesis nemesis = network.nemesis(schedule, 3)) {
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () -> nemesis.applied().size() == 1 && nemesis.applied().get(0).healed().isPresent());
      assertThat(nemesis.applied().get(0).description()).isEqualTo("crash node a in n1");
    }
    assertThat(node.isAlive()).isTrue();
    assertThat(node.pid()).isNotEqualTo(before);
    assertThat(network.faults()).isEmpty();
  }

  @Test
  void aNodeKindNeedsANode() {
    assertThatThrownBy(() -> FaultKind.crashNode())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("FaultKind.crashNode: name at least one node");
  }
}
