package dev.netns.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netns.testing.Requirements;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A release names the impairment it takes off: a late or repeated release by a fault that is no
 * longer the one in force (a heal retried after a failure half-way, when another fault impaired the
 * same direction in between) leaves the other fault's impairment alone.
 */
@Tag("privileged")
class SplicesTest {
  private static FrameImpairment delay(long millis, long seed) {
    return new FrameImpairment(millis * 1_000_000, 0, false, 0, 0, 0, 0, 0, 0, 0, seed);
  }

  @Test
  void aReleaseByAFaultNoLongerInForceLeavesTheNextOneAlone() {
    Requirements.requireNamespaces();
    Topology topology =
        Topology.builder()
            .host("a")
            .host("b")
            .impairableVeth("a", List.of("10.153.0.1/24"), "b", List.of("10.153.0.2/24"))
            .build();
    try (RunningTopology network = topology.start()) {
      Splices splices = new Splices(network);
      SplicePoint point = new SplicePoint.OfLink(topology.links().get(0));
      FrameImpairment first = delay(5, 1);
      FrameImpairment second = delay(5, 1); // equal, but another fault's
      splices.impair(point, true, first);
      splices.release(point, true, first);
      splices.impair(point, true, second);

      splices.release(point, true, first); // the first fault's heal, once more

      assertThat(splices.isImpairedWith(point, true, second)).isTrue();
      splices.release(point, true, second);
      assertThat(splices.isSpliced(point)).isFalse();
    }
  }
}
