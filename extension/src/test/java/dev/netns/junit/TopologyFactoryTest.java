package dev.netns.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netns.testing.Requirements;
import dev.netns.topology.Topology;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * A {@code @TopologyFactory} method runs once per class, however many tests build networks from
 * what it returns (before, it ran two or three times per test).
 */
@Tag("privileged")
@Execution(ExecutionMode.SAME_THREAD) // the fixtures count in one shared counter
class TopologyFactoryTest {
  static final AtomicInteger CALLS = new AtomicInteger();

  static Topology twoHosts() {
    CALLS.incrementAndGet();
    return Topology.builder()
        .host("a")
        .host("b")
        .veth("a", java.util.List.of("10.61.0.1/24"), "b", java.util.List.of("10.61.0.2/24"))
        .build();
  }

  @BeforeEach
  void setUp() {
    Requirements.requireNamespaces();
    CALLS.set(0);
  }

  @TopologyFactory("twoHosts")
  static class PerMethod {
    static Topology twoHosts() {
      return TopologyFactoryTest.twoHosts();
    }

    @Test
    void first(@Ns("a") NetNs a) {}

    @Test
    void second(@Ns("b") NetNs b) {}

    @Test
    void third(Network network) {}

    @Nested
    class Inner {
      @Test
      void nested(@Ns("a") NetNs a) {}
    }
  }

  @Test
  void perMethodNetworksCallTheFactoryOnce() {
    var results = Fixtures.run(PerMethod.class);
    results.allEvents().assertStatistics(s -> s.failed(0));
    results.testEvents().assertStatistics(s -> s.succeeded(4));
    assertThat(CALLS).hasValue(1);
  }

  @SharedNetwork
  @TopologyFactory("twoHosts")
  static class Shared {
    static Topology twoHosts() {
      return TopologyFactoryTest.twoHosts();
    }

    @Test
    void first(@Ns("a") NetNs a) {}

    @Test
    void second(@Ns("b") NetNs b) {}
  }

  @Test
  void aSharedNetworkCallsTheFactoryOnce() {
    var results = Fixtures.run(Shared.class);
    results.allEvents().assertStatistics(s -> s.failed(0));
    results.testEvents().assertStatistics(s -> s.succeeded(2));
    assertThat(CALLS).hasValue(1);
  }
}
