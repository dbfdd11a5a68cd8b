package dev.netns.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netns.nativeaccess.Errno;
import dev.netns.nativeaccess.KernelException;
import dev.netns.testing.Oracle;
import dev.netns.testing.Requirements;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Batches answer request by request: only the last request of a datagram asks for an
 * acknowledgement, yet a failure in the middle is reported at its own position and everything
 * around it is done; and veth pairs made in a batch have one queue each way at both ends.
 */
@Tag("privileged")
class BatchOutcomesTest {
  @BeforeEach
  void requirePrivileges() {
    Requirements.requireNamespaces();
  }

  @Test
  void failureInTheMiddleOfALargeBatchIsReportedAtItsPosition() {
    try (NetworkNamespace ns = NetworkNamespace.create("batch")) {
      Changes.in(ns).createBridge(ns, "sink", 0).execute();
      int sink = Links.index(ns, "sink");
      Changes changes = Changes.in(ns);
      // 150 routes: three datagrams of at most 64 requests; number 100 is a duplicate.
      List<Cidr> destinations = new ArrayList<>();
      for (int i = 0; i < 150; i++) {
        Cidr to = Cidr.parse("10.93." + (i / 100) + "." + (i % 100 + 1) + "/32");
        destinations.add(i == 100 ? destinations.get(99) : to);
        changes.addRoute(destinations.get(i), null, sink, false, "route " + i);
      }

      List<KernelException> outcomes = changes.executeEach();

      assertThat(outcomes).hasSize(150);
      for (int i = 0; i < 150; i++) {
        if (i == 100) {
          assertThat(outcomes.get(i).errno()).isEqualTo(Errno.EEXIST);
          assertThat(outcomes.get(i)).hasMessageContaining("route 100");
        } else {
          assertThat(outcomes.get(i)).as("route %d", i).isNull();
        }
      }
      assertThat(Oracle.ip(ns, "route", "show").lines().filter(l -> l.contains("dev sink")))
          .hasSize(149);

      Changes delete = Changes.in(ns);
      destinations.stream().distinct().forEach(delete::deleteRoute);
      assertThat(delete.executeEach()).containsOnlyNulls();
      assertThat(Oracle.ip(ns, "route", "show")).doesNotContain("dev sink");
    }
  }

  @Test
  void vethEndsHaveOneQueueEachWay() {
    try (NetworkNamespace a = NetworkNamespace.create("qa");
        NetworkNamespace b = NetworkNamespace.create("qb")) {
      Changes.in(a).createVeth(a, "eth0", 0, b, "eth1", 0).execute();
      assertThat(Oracle.ip(a, "-d", "link", "show", "eth0"))
          .contains("numtxqueues 1 numrxqueues 1");
      assertThat(Oracle.ip(b, "-d", "link", "show", "eth1"))
          .contains("numtxqueues 1 numrxqueues 1");
    }
  }
}
