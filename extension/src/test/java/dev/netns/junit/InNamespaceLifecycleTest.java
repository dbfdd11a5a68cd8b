package dev.netns.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netns.kernel.NamespaceInode;
import dev.netns.testing.Requirements;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/**
 * {@code @InNamespace} on {@code @BeforeAll} and {@code @AfterAll} methods: they run in the
 * namespace of the class's shared network, and without one the class is refused, naming the method
 * (before, the annotation was silently ignored and the method ran in the machine's namespace).
 */
class InNamespaceLifecycleTest {
  static final List<String> SEEN = new CopyOnWriteArrayList<>();

  @BeforeEach
  void clear() {
    SEEN.clear();
  }

  @SharedNetwork
  @NetNamespace("blue")
  static class SharedWithClassWideMethods {
    @Ns("blue")
    static NetNs blue;

    @BeforeAll
    @InNamespace("blue")
    static void before() throws Exception {
      SEEN.add("before in blue: " + inBlue());
    }

    @Test
    void test() throws Exception {
      SEEN.add("test in blue: " + inBlue());
    }

    @AfterAll
    @InNamespace("blue")
    static void after() throws Exception {
      SEEN.add("after in blue: " + inBlue());
    }

    private static boolean inBlue() throws Exception {
      return NamespaceInode.ofCurrentThread() == blue.call(NamespaceInode::ofCurrentThread);
    }
  }

  @Test
  @Tag("privileged")
  void beforeAllAndAfterAllRunInTheSharedNetworksNamespace() {
    Requirements.requireNamespaces();
    var results = Fixtures.run(SharedWithClassWideMethods.class);
    results.allEvents().assertStatistics(s -> s.failed(0));
    results.testEvents().assertStatistics(s -> s.succeeded(1));
    assertThat(SEEN)
        .containsExactly("before in blue: true", "test in blue: false", "after in blue: true");
  }

  @NetNamespace("blue")
  static class PerMethodNetwork {
    @BeforeAll
    @InNamespace("blue")
    static void before() {
      SEEN.add("before");
    }

    @Test
    void test() {
      SEEN.add("test");
    }
  }

  @Test
  void withoutASharedNetworkTheyAreRefused() {
    Throwable failure = Fixtures.onlyFailure(Fixtures.run(PerMethodNetwork.class));
    assertThat(failure)
        .isInstanceOf(ExtensionConfigurationException.class)
        .hasMessage(
            "Invalid network declared on "
                + PerMethodNetwork.class.getName()
                + ":\n- @InNamespace(\"blue\") on @BeforeAll method before() runs before or after"
                + " all tests, when only a network shared by the class exists; add @SharedNetwork"
                + " to PerMethodNetwork, or move the code to a @BeforeEach or @AfterEach method");
    assertThat(SEEN).isEmpty();
  }

  @SharedNetwork
  @NetNamespace("blue")
  static class UndeclaredName {
    @AfterAll
    @InNamespace("green")
    static void after() {}

    @Test
    void test() {}
  }

  @Test
  void theirNamesAreChecked() {
    Throwable failure = Fixtures.onlyFailure(Fixtures.run(UndeclaredName.class));
    assertThat(failure)
        .isInstanceOf(ExtensionConfigurationException.class)
        .hasMessage(
            "Invalid network declared on "
                + UndeclaredName.class.getName()
                + ":\n- @InNamespace(\"green\") on @AfterAll method after(): \"green\" names no"
                + " declared namespace (declared: blue)");
  }
}
