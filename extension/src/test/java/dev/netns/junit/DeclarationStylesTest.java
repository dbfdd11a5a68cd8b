package dev.netns.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netns.kernel.NamespaceInode;
import dev.netns.testing.Requirements;
import dev.netns.topology.Topologies;
import dev.netns.topology.Topology;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/** The ways to declare a network: on the class, inherited, composed, from a factory, nested. */
@Tag("privileged")
@Execution(ExecutionMode.SAME_THREAD) // the fixtures report through one shared list
class DeclarationStylesTest {
  static final List<String> SEEN = new CopyOnWriteArrayList<>();

  @BeforeEach
  void requirePrivileges() {
    Requirements.requireNamespaces();
    SEEN.clear();
  }

  @NetNamespace("blue")
  @InNamespace("blue")
  static class ClassLevelInNamespace {
    @Test
    void runsInBlue(@Ns("blue") NetNs blue) throws Exception {
      SEEN.add(
          NamespaceInode.ofCurrentThread() == blue.call(NamespaceInode::ofCurrentThread)
              ? "in blue"
              : "elsewhere");
    }
  }

  @Test
  void inNamespaceOnTheClassRunsEveryTestThere() {
    Fixtures.run(ClassLevelInNamespace.class).testEvents().assertStatistics(s -> s.succeeded(1));
    assertThat(SEEN).containsExactly("in blue");
  }

  @NetNamespace("a")
  @NetNamespace("b")
  @VethLink(a = "a", aAddress = "10.4.0.1/24", b = "b", bAddress = "10.4.0.2/24")
  abstract static class BaseWithNetwork {}

  static class InheritsItsNetwork extends BaseWithNetwork {
    @Test
    void seesTheInheritedNetwork(Network network) {
      SEEN.add(network.addresses("b").toString());
    }
  }

  @Test
  void declarationsAreInheritedFromSuperclasses() {
    Fixtures.run(InheritsItsNetwork.class).testEvents().assertStatistics(s -> s.succeeded(1));
    assertThat(SEEN).containsExactly("[10.4.0.2/24]");
  }

  @Retention(RetentionPolicy.RUNTIME)
  @Target({ElementType.METHOD, ElementType.FIELD})
  @InNamespace("server")
  @Ns("server")
  @interface Server {}

  @NetNamespace("server")
  static class ComposedAnnotations {
    @Server NetNs server;

    @Test
    @Server
    void runsInTheServer() throws Exception {
      SEEN.add(
          NamespaceInode.ofCurrentThread() == server.call(NamespaceInode::ofCurrentThread)
              ? "in server"
              : "elsewhere");
    }
  }

  @Test
  void inNamespaceAndNsWorkInsideComposedAnnotations() {
    Fixtures.run(ComposedAnnotations.class).testEvents().assertStatistics(s -> s.succeeded(1));
    assertThat(SEEN).containsExactly("in server");
  }

  @SharedNetwork
  @TopologyFactory("cluster")
  @InNamespace("n1")
  static class SharedFactoryNetwork {
    static Topology cluster() {
      return Topologies.lan("lan", "10.5.0.0/24", 3).build();
    }

    @Test
    void first(Network network) throws Exception {
      SEEN.add(network.namespace("n3").call(NamespaceInode::ofCurrentThread).toString());
    }

    @Test
    void second(Network network) throws Exception {
      SEEN.add(network.namespace("n3").call(NamespaceInode::ofCurrentThread).toString());
    }
  }

  @Test
  void factoryNetworksCanBeShared() {
    Fixtures.run(SharedFactoryNetwork.class).testEvents().assertStatistics(s -> s.succeeded(2));
    assertThat(SEEN).hasSize(2).containsOnly(SEEN.get(0));
  }

  @SharedNetwork
  @NetNamespace("outer")
  static class SharedOuter {
    @Nested
    @NetNamespace("inner")
    class DeclaresMore {
      @Test
      void test() {}
    }
  }

  @Test
  void nestedClassCannotAddToASharedNetwork() {
    Throwable failure = Fixtures.onlyFailure(Fixtures.run(SharedOuter.class));
    assertThat(failure)
        .hasMessage(
            "Invalid network declared on "
                + SharedOuter.DeclaresMore.class.getName()
                + ":\n- it declares namespaces or links inside a class whose network is shared"
                + " (@SharedNetwork); declare them on the outer class");
  }

  @NetNamespace("a")
  @NetNamespace("b")
  @VethLink(a = "a", aAddress = "10.4.1.1/24", b = "b", bAddress = "10.4.1.2/24", mtu = 1400)
  static class ParameterAndMtu {
    @Test
    void test(@NetNamespace("extra") NetNs extra, @Ns("a") NetNs a, Network network) {
      SEEN.add(extra.name() + " " + network.namespaces().size());
      a.interfaces().stream()
          .filter(l -> l.name().equals("b"))
          .forEach(l -> SEEN.add("mtu " + l.mtu()));
    }
  }

  @Test
  void parametersDeclareNamespacesAndLinksTakeTheirMtu() {
    Fixtures.run(ParameterAndMtu.class).testEvents().assertStatistics(s -> s.succeeded(1));
    assertThat(SEEN).containsExactly("extra 3", "mtu 1400");
  }

  @NetNamespace("blue")
  static class Bound {
    @Test
    void test(@Ns("blue") NetNs blue) throws Exception {
      try (var names = java.nio.file.Files.list(java.nio.file.Path.of("/run/netns"))) {
        names
            .map(p -> p.getFileName().toString())
            .filter(
                n ->
                    n.startsWith("nj-" + ProcessHandle.current().pid() + "-")
                        && n.endsWith("-blue"))
            .forEach(
                n ->
                    SEEN.add(
                        dev.netns.testing.Oracle.run(
                                    List.of("ip", "netns", "exec", n, "cat", "/proc/self/net/dev"))
                                .contains("lo:")
                            ? "bound " + n.substring(n.lastIndexOf('-') + 1)
                            : "not entered"));
      }
    }
  }

  @Test
  void bindingUnderRunNetnsIsThereDuringTheTestOnly() throws Exception {
    Requirements.requireMachineUserNamespace("binding under /run/netns (netns.bind=true)");
    Fixtures.run(Bound.class, java.util.Map.of("netns.bind", "true"))
        .testEvents()
        .assertStatistics(s -> s.succeeded(1));
    assertThat(SEEN).containsExactly("bound blue");
    try (var names = java.nio.file.Files.list(java.nio.file.Path.of("/run/netns"))) {
      assertThat(names.map(p -> p.getFileName().toString()))
          .noneMatch(
              n ->
                  n.startsWith("nj-" + ProcessHandle.current().pid() + "-") && n.endsWith("-blue"));
    }
  }

  @Test
  void misconfiguredSeedIsNamed() {
    Throwable failure =
        Fixtures.onlyFailure(
            Fixtures.run(ClassLevelInNamespace.class, java.util.Map.of("netns.seed", "abc")));
    assertThat(failure)
        .isInstanceOf(org.junit.jupiter.api.extension.ExtensionConfigurationException.class)
        .hasMessage(
            "configuration parameter netns.seed must be a whole number (a seed printed with a"
                + " failed test), but was 'abc'");
  }
}
