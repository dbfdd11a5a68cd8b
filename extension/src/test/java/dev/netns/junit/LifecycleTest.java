package dev.netns.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netns.kernel.NamespaceInode;
import dev.netns.nativeaccess.LibC;
import dev.netns.testing.HostState;
import dev.netns.testing.Requirements;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/** When networks are built and torn down, and what teardown guarantees. */
@Tag("privileged")
class LifecycleTest {

  @BeforeEach
  void requirePrivileges() {
    Requirements.requireNamespaces();
  }

  /** Descriptors of this process that point at a namespace with this inode. */
  static List<String> fdsOn(long inode) throws IOException {
    List<String> found = new ArrayList<>();
    try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
      for (Path fd : fds) {
        try {
          if (Files.readSymbolicLink(fd).toString().equals("net:[" + inode + "]")) {
            found.add(fd.toString());
          }
        } catch (IOException e) {
          // closed meanwhile
        }
      }
    }
    return found;
  }

  static final Map<String, Long> SEEN = new ConcurrentHashMap<>();

  /**
   * Descriptors and thread ids seen holding a fixture's namespace while it ran. Inode numbers are
   * reused once the kernel has freed a namespace, possibly for another test's running at the same
   * time: after teardown, only these may be looked for under the inode.
   */
  static final Map<String, List<String>> SEEN_FDS = new ConcurrentHashMap<>();

  static final Map<String, Integer> SEEN_TIDS = new ConcurrentHashMap<>();

  /** Of the descriptors seen holding the namespace, those that still do. */
  static List<String> stillHeld(String fixture, long inode) throws IOException {
    List<String> held = fdsOn(inode);
    held.retainAll(SEEN_FDS.get(fixture));
    return held;
  }

  @NetNamespace("blue")
  @VethLink(
      a = "blue",
      aAddress = "10.78.0.1/24",
      b = VethLink.HOST,
      bName = "njtdfail0",
      bAddress = "10.78.0.2/24")
  static class FailingTest {
    @Test
    void fails(@Ns("blue") NetNs blue) throws Exception {
      long inode = blue.call(NamespaceInode::ofCurrentThread);
      SEEN.put("failing", inode);
      SEEN_FDS.put("failing", fdsOn(inode));
      SEEN_TIDS.put("failing", blue.call(() -> LibC.instance().gettid()));
      throw new AssertionError("the test itself fails");
    }
  }

  @Test
  void failingTestStillTearsEverythingDown() throws Exception {
    EngineExecutionResults results = Fixtures.run(FailingTest.class);
    results.testEvents().assertStatistics(stats -> stats.started(1).failed(1));
    assertThat(Fixtures.onlyFailure(results)).hasMessage("the test itself fails");
    long inode = SEEN.get("failing");
    assertThat(SEEN_FDS.get("failing")).as("descriptors seen while the test ran").isNotEmpty();
    assertThat(stillHeld("failing", inode)).as("descriptors holding the namespace").isEmpty();
    int tid = SEEN_TIDS.get("failing");
    assertThat(HostState.threadsIn(Set.of(inode)))
        .as("the namespace's thread, still inside")
        .noneMatch(t -> t.tid() == tid);
    // Down at once at teardown, gone with its namespace moments later.
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(5))
        .untilAsserted(() -> assertThat(HostState.hostLinks()).doesNotContain("njtdfail0"));
  }

  static final CountDownLatch RELEASE_LEAKED = new CountDownLatch(1);

  @NetNamespace("blue")
  static class LeakingTest {
    @Test
    void leaksAThread(@Ns("blue") NetNs blue) throws InterruptedException {
      CountDownLatch inside = new CountDownLatch(1);
      Thread leaked =
          blue.newThread(
              () -> {
                inside.countDown();
                try {
                  RELEASE_LEAKED.await();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              });
      leaked.start();
      inside.await();
    }
  }

  @Test
  void threadLeftInANamespaceFailsTheTestNamingIt() {
    try {
      EngineExecutionResults results = Fixtures.run(LeakingTest.class);
      // JUnit 5.13 and later report a failure of its store's close() wrapped in a JUnitException,
      // earlier versions as it is.
      Throwable reported = Fixtures.onlyFailure(results);
      Throwable failure =
          reported instanceof org.junit.platform.commons.JUnitException
              ? reported.getCause()
              : reported;
      assertThat(failure)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageStartingWith(
              "LeakingTest.leaksAThread() left threads inside its network namespaces after"
                  + " teardown, which keeps them alive: 'netns-blue-1' (tid ")
          .hasMessageEndingWith(
              "Stop every thread and executor started inside a namespace before the test ends"
                  + " (set netns.threadLeaks=warn to only warn).");
    } finally {
      RELEASE_LEAKED.countDown();
    }
  }

  static final CountDownLatch RELEASE_WARNED = new CountDownLatch(1);

  @NetNamespace("blue")
  static class WarnedLeakingTest {
    @Test
    void leaksAThread(@Ns("blue") NetNs blue) throws InterruptedException {
      CountDownLatch inside = new CountDownLatch(1);
      blue.newThread(
              () -> {
                inside.countDown();
                try {
                  RELEASE_WARNED.await();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              })
          .start();
      inside.await();
    }
  }

  @Test
  void threadLeakOnlyWarnsWhenConfigured() {
    try {
      Fixtures.run(WarnedLeakingTest.class, Map.of("netns.threadLeaks", "warn"))
          .testEvents()
          .assertStatistics(stats -> stats.succeeded(1).failed(0));
    } finally {
      RELEASE_WARNED.countDown();
    }
  }

  // Networks are told apart by a mark left in them, not by namespace inodes, which the kernel
  // reuses once a namespace is gone: each test reads a per-namespace sysctl, then sets it to a
  // value
  // of its own. A test that sees another test's value shares that test's network.
  static final String MARK = "net.ipv4.tcp_syn_retries";

  /** What the test found in {@code ns}, after which it leaves its own {@code mark} there. */
  static String readThenMark(NetNs ns, int mark) {
    String found = ns.sysctl(MARK);
    ns.sysctl(MARK, Integer.toString(mark));
    return found;
  }

  static final List<String> PER_METHOD = new java.util.concurrent.CopyOnWriteArrayList<>();

  @NetNamespace("blue")
  @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
  static class PerMethodTest {
    @Test
    @Order(1)
    void first(@Ns("blue") NetNs blue) {
      PER_METHOD.add(readThenMark(blue, 3));
    }

    @Test
    @Order(2)
    void second(@Ns("blue") NetNs blue) {
      PER_METHOD.add(readThenMark(blue, 4));
    }
  }

  @Test
  void eachTestMethodGetsAFreshNetworkByDefault() {
    PER_METHOD.clear();
    Fixtures.run(PerMethodTest.class).testEvents().assertStatistics(s -> s.succeeded(2));
    assertThat(PER_METHOD).hasSize(2).doesNotContain("3", "4");
  }

  static final List<String> SHARED = new java.util.concurrent.CopyOnWriteArrayList<>();
  static final Set<Long> SHARED_INODES = ConcurrentHashMap.newKeySet();

  @SharedNetwork
  @NetNamespace("blue")
  @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
  static class SharedTest {
    @Test
    @Order(1)
    void first(@Ns("blue") NetNs blue) throws Exception {
      SHARED.add(readThenMark(blue, 3));
      long inode = blue.call(NamespaceInode::ofCurrentThread);
      SHARED_INODES.add(inode);
      SEEN_FDS.put("shared", fdsOn(inode));
    }

    @Test
    @Order(2)
    void second(@Ns("blue") NetNs blue) {
      SHARED.add(readThenMark(blue, 4));
    }

    @Nested
    class Inner {
      @Test
      void nestedSeesTheEnclosingNetwork(@Ns("blue") NetNs blue) {
        SHARED.add(readThenMark(blue, 5));
      }
    }
  }

  @Test
  void sharedNetworkServesEveryMethodAndNestedClasses() throws IOException {
    SHARED.clear();
    Fixtures.run(SharedTest.class).testEvents().assertStatistics(s -> s.succeeded(3).failed(0));
    assertThat(SHARED).hasSize(3);
    assertThat(SHARED.subList(1, 3)).containsExactly("3", "4");
    assertThat(stillHeld("shared", SHARED_INODES.iterator().next()))
        .as("torn down after the class")
        .isEmpty();
  }

  static final List<String> STATIC_FIELD = new java.util.concurrent.CopyOnWriteArrayList<>();

  @NetNamespace("blue")
  @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
  static class StaticFieldTest {
    @Ns("blue")
    static NetNs blue;

    @Test
    @Order(1)
    void first() {
      STATIC_FIELD.add(readThenMark(blue, 3));
    }

    @Test
    @Order(2)
    void second() {
      STATIC_FIELD.add(readThenMark(blue, 4));
    }
  }

  @Test
  void staticFieldImpliesOneNetworkPerClass() {
    STATIC_FIELD.clear();
    Fixtures.run(StaticFieldTest.class).testEvents().assertStatistics(s -> s.succeeded(2));
    assertThat(STATIC_FIELD).hasSize(2).element(1).isEqualTo("3");
  }
}
