package dev.netns.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netns.testing.HostState;
import dev.netns.testing.Requirements;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * A thousand create/configure/close cycles of a two-namespace topology leave the process with the
 * file descriptors and threads it had, and the machine with the links it had.
 */
@Tag("privileged")
@Isolated("counts the process's threads and descriptors")
class LeakTest {
  private static final int CYCLES = 1_000;

  @Test
  void thousandCyclesLeaveNothing() throws Exception {
    Requirements.requireNamespaces();
    // One warm-up cycle so that lazily made JVM and library state (the factory thread, JNA) is
    // part of the baseline.
    cycle(0);
    int fds = HostState.openFds();
    int threads = Thread.activeCount();
    Set<String> links = HostState.hostLinks();

    for (int i = 1; i <= CYCLES; i++) {
      cycle(i);
    }

    assertThat(HostState.openFds()).as("open file descriptors").isEqualTo(fds);
    assertThat(Thread.activeCount()).as("live threads").isLessThanOrEqualTo(threads);
    assertThat(HostState.threadsOutsideHostNamespace()).as("threads in other namespaces").isEmpty();
    assertThat(HostState.hostLinks()).as("links in the host namespace").isEqualTo(links);
  }

  private static void cycle(int i) throws Exception {
    List<NetworkNamespace> pair = NetworkNamespace.createAll(List.of("a" + i, "b" + i));
    try (NetworkNamespace a = pair.get(0);
        NetworkNamespace b = pair.get(1)) {
      Links.createVeth(a, "b", b, "a");
      Addresses.add(a, "b", Cidr.parse("10.7.0.1/30"));
      Addresses.add(b, "a", Cidr.parse("10.7.0.2/30"));
      Links.setUp(a, "b", true);
      Links.setUp(b, "a", true);
      if (i % 100 == 0) {
        // Now and then start the namespace threads too, so that their shutdown is covered.
        assertThat(a.call(NamespaceInode::ofCurrentThread)).isEqualTo(a.inode());
        assertThat(b.call(NamespaceInode::ofCurrentThread)).isEqualTo(b.inode());
      }
    }
  }
}
