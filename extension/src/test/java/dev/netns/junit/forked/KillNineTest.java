package dev.netns.junit.forked;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.netns.junit.NetNamespace;
import dev.netns.junit.NetNs;
import dev.netns.junit.Network;
import dev.netns.junit.Ns;
import dev.netns.junit.VethLink;
import dev.netns.kernel.NamespaceInode;
import dev.netns.testing.HostState;
import dev.netns.testing.Oracle;
import dev.netns.testing.Requirements;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash safety, the claim {@code RunningTopology} makes: a JVM killed with SIGKILL in the middle of
 * a test, with no teardown at all, leaves nothing behind. Its anonymous namespaces are held only by
 * its own descriptors and threads, so the kernel frees them, and with them every veth pair that has
 * an end inside, including the end in the machine's own namespace.
 *
 * <p>The fixture runs in a second JVM, records what it built, and sleeps; this test checks the
 * machine with iproute2 and {@code /proc} before and after {@code kill -9}.
 */
@Tag("privileged")
class KillNineTest {
  /** Fixed by the annotation; no other test uses it. */
  static final String HOST_INTERFACE = "njkill9";

  static final String MARKER_PROPERTY = "netns.test.killNine.marker";

  @NetNamespace("blue")
  @NetNamespace("red")
  @VethLink(
      a = "blue",
      aAddress = "10.77.0.1/24",
      b = VethLink.HOST,
      bName = HOST_INTERFACE,
      bAddress = "10.77.0.2/24")
  @VethLink(a = "blue", aAddress = "10.78.0.1/24", b = "red", bAddress = "10.78.0.2/24")
  static class Sleeper {
    @Test
    void recordTheNetworkThenSleep(Network network, @Ns("blue") NetNs blue, @Ns("red") NetNs red)
        throws Exception {
      String marker = System.getProperty(MARKER_PROPERTY);
      Assumptions.assumeTrue(marker != null, "runs only in the JVM that KillNineTest forks");
      Properties recorded = new Properties();
      recorded.setProperty("pid", Long.toString(ProcessHandle.current().pid()));
      recorded.setProperty(
          "interface", network.link("blue", VethLink.HOST).interfaceIn(VethLink.HOST));
      recorded.setProperty("blue", Long.toString(blue.call(NamespaceInode::ofCurrentThread)));
      recorded.setProperty("red", Long.toString(red.call(NamespaceInode::ofCurrentThread)));
      ForkedJvm.writeAtomically(recorded, Path.of(marker));
      // The parent kills this JVM long before; the bound only limits an orphan's life.
      Thread.sleep(30_000);
    }
  }

  @Test
  void aKilledJvmLeavesNoNamespaceAndNoHostInterface(@TempDir Path dir) throws Exception {
    Requirements.requireNamespaces();
    assertThat(NamespaceInode.ofCurrentThread())
        .as("this test's thread is in the process's namespace, where iproute2 runs")
        .isEqualTo(NamespaceInode.of(Path.of("/proc/self/ns/net")));
    assertThat(HostState.hostLinks())
        .as("%s before the fork (left by another run that is still going?)", HOST_INTERFACE)
        .doesNotContain(HOST_INTERFACE);
    Set<String> netnsBefore = netnsList();
    Path marker = dir.resolve("network.properties");

    long childPid;
    Set<Long> inodes;
    try (ForkedJvm child =
        ForkedJvm.start(
            dir,
            List.of(),
            Map.of(MARKER_PROPERTY, marker.toString(), NetNamespace.REQUIRE_PROPERTY_NAME, "true"),
            Sleeper.class)) {
      childPid = child.pid();
      Properties recorded = child.awaitMarker(marker);
      assertThat(recorded.getProperty("pid")).isEqualTo(Long.toString(childPid));
      assertThat(recorded.getProperty("interface")).isEqualTo(HOST_INTERFACE);
      long blue = Long.parseLong(recorded.getProperty("blue"));
      long red = Long.parseLong(recorded.getProperty("red"));
      inodes = Set.of(blue, red);
      assertThat(blue).isNotEqualTo(red);

      // While the child lives, the oracle sees what it recorded: the host-side end with its
      // address, and both namespaces held by the child (so the scan below can find holders).
      assertThat(HostState.hostLinks()).contains(HOST_INTERFACE);
      assertThat(Oracle.hostIp("-o", "-4", "addr", "show", "dev", HOST_INTERFACE))
          .contains("inet 10.77.0.2/24");
      List<Holder> holders = holders(inodes, Set.of());
      assertThat(holders)
          .as("holders of net:[%d] and net:[%d]", blue, red)
          .anySatisfy(
              h ->
                  assertThat(h.describe())
                      .contains("pid " + childPid + " thread ", "[" + blue + "]"))
          .anySatisfy(
              h ->
                  assertThat(h.describe())
                      .contains("pid " + childPid + " thread ", "[" + red + "]"));
      // The namespace-to-namespace link, seen from inside blue through one of the child's threads.
      Holder inBlue =
          holders.stream()
              .filter(h -> h.pid() == childPid && h.inode() == blue && h.tid() > 0)
              .findFirst()
              .orElseThrow();
      String blueLinks =
          Oracle.run(
              List.of(
                  "nsenter",
                  "--net=/proc/" + childPid + "/task/" + inBlue.tid() + "/ns/net",
                  "ip",
                  "-o",
                  "link",
                  "show"));
      assertThat(blueLinks).contains(": red@", ": host@");

      child.process().destroyForcibly();
      assertThat(child.awaitExit(10)).as("exit status after SIGKILL").isEqualTo(128 + 9);
    }

    // All at once, holders first: a process still inside explains the rest. One plain assertion
    // on a snapshot, not soft assertions: AssertJ builds its soft-assertion proxies with Byte Buddy
    // on first use, which took more than the whole wait on a loaded machine in the parallel suite,
    // so Awaitility gave up mid-evaluation and reported no assertion at all.
    await("the kernel freeing the killed JVM's namespaces")
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(100))
        .untilAsserted(
            () ->
                assertThat(Remains.of(inodes, ourselvesAndDescendants(), netnsBefore))
                    .as("what the killed JVM left on the machine")
                    .isEqualTo(Remains.NONE));
  }

  /**
   * What a killed JVM may have left on the machine, as iproute2 and {@code /proc} see it; every
   * field is empty when it left nothing.
   *
   * @param holders processes in, or holding, its namespaces
   * @param hostLinks the host-side end of its veth pair, if still there
   * @param hostAddresses lines of {@code ip -o addr show} in its host-side subnet
   * @param hostRoutes lines of {@code ip route show} in its host-side subnet
   * @param netnsEntries new entries of {@code ip netns list}
   */
  record Remains(
      List<Holder> holders,
      Set<String> hostLinks,
      List<String> hostAddresses,
      List<String> hostRoutes,
      Set<String> netnsEntries) {
    static final Remains NONE = new Remains(List.of(), Set.of(), List.of(), List.of(), Set.of());

    static Remains of(Set<Long> inodes, Set<Long> excluded, Set<String> netnsBefore) {
      Set<String> hostLinks = new TreeSet<>(HostState.hostLinks());
      hostLinks.retainAll(Set.of(HOST_INTERFACE));
      return new Remains(
          KillNineTest.holders(inodes, excluded),
          hostLinks,
          linesWith(Oracle.hostIp("-o", "addr", "show"), "10.77.0."),
          linesWith(Oracle.hostIp("route", "show"), "10.77.0."),
          newNetnsEntries(netnsBefore));
    }

    private static List<String> linesWith(String output, String text) {
      return output.lines().filter(line -> line.contains(text)).toList();
    }
  }

  /** Names under {@code /run/netns}, as {@code ip netns list} prints them. */
  private static Set<String> netnsList() {
    Set<String> names = new TreeSet<>();
    for (String line : Oracle.hostIp("netns", "list").split("\n")) {
      if (!line.isBlank()) {
        names.add(line.trim().split("\\s+")[0]);
      }
    }
    return names;
  }

  /**
   * Entries that appeared since {@code before}, except bindings ({@code nj-PID-...}) of other live
   * JVMs, which may run tests of their own meanwhile.
   */
  private static Set<String> newNetnsEntries(Set<String> before) {
    Set<String> added = new TreeSet<>(netnsList());
    added.removeAll(before);
    added.removeIf(
        name -> {
          String[] parts = name.split("-");
          return parts.length > 2
              && parts[0].equals("nj")
              && parts[1].matches("\\d+")
              && ProcessHandle.of(Long.parseLong(parts[1])).isPresent();
        });
    return added;
  }

  /**
   * This JVM and the processes it started. Concurrent tests in this JVM make namespaces (and start
   * {@code nsenter}) all the time, and the kernel hands a freed namespace's inode number to the
   * next namespace made, so they may well be in a recycled inode; the killed JVM's orphans, if any,
   * are reparented to init, so they are not among them.
   */
  private static Set<Long> ourselvesAndDescendants() {
    Set<Long> pids = new TreeSet<>();
    pids.add(ProcessHandle.current().pid());
    ProcessHandle.current().descendants().forEach(p -> pids.add(p.pid()));
    return pids;
  }

  /** A process that holds a namespace: through a thread inside it, an open fd, or a mount. */
  record Holder(long pid, long tid, String how, long inode) {
    String describe() {
      return "pid " + pid + " " + how + " in net:[" + inode + "] (" + command(pid) + ")";
    }

    @Override
    public String toString() {
      return describe();
    }
  }

  /**
   * Every process (but {@code excluded}) with a thread inside, or an fd or a mount of, one of the
   * namespaces, read from {@code /proc/PID/task/TID/ns/net}, {@code /proc/PID/fd} and {@code
   * /proc/PID/mountinfo}.
   */
  static List<Holder> holders(Set<Long> inodes, Set<Long> excluded) {
    Set<String> targets = inodes.stream().map(i -> "net:[" + i + "]").collect(Collectors.toSet());
    List<Holder> holders = new ArrayList<>();
    Set<String> mountNamespacesRead = new HashSet<>();
    try (DirectoryStream<Path> processes =
        Files.newDirectoryStream(
            Path.of("/proc"), p -> p.getFileName().toString().matches("\\d+"))) {
      for (Path process : processes) {
        long pid = Long.parseLong(process.getFileName().toString());
        if (excluded.contains(pid)) {
          continue;
        }
        try {
          for (Path task : HostState.entries(process.resolve("task"))) {
            String target = link(task.resolve("ns/net"));
            if (targets.contains(target)) {
              long tid = Long.parseLong(task.getFileName().toString());
              holders.add(new Holder(pid, tid, "thread " + tid, inodeOf(target)));
            }
          }
          for (Path fd : HostState.entries(process.resolve("fd"))) {
            String target = link(fd);
            if (targets.contains(target)) {
              holders.add(new Holder(pid, 0, "fd " + fd.getFileName(), inodeOf(target)));
            }
          }
          // Processes that share a mount namespace share its mount table: read it once.
          String mountNamespace = link(process.resolve("ns/mnt"));
          if (!mountNamespace.isEmpty() && !mountNamespacesRead.add(mountNamespace)) {
            continue;
          }
          for (String mount : Files.readAllLines(process.resolve("mountinfo"))) {
            for (String target : targets) {
              if (mount.contains(" " + target + " ")) {
                holders.add(new Holder(pid, 0, "mount " + mount, inodeOf(target)));
              }
            }
          }
        } catch (IOException e) {
          // The process ended while we looked.
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list /proc", e);
    }
    return holders;
  }

  private static String link(Path path) {
    try {
      return Files.readSymbolicLink(path).toString();
    } catch (IOException e) {
      return "";
    }
  }

  private static long inodeOf(String target) {
    return Long.parseLong(target.substring("net:[".length(), target.length() - 1));
  }

  private static String command(long pid) {
    try {
      return Files.readString(Path.of("/proc", Long.toString(pid), "comm")).trim();
    } catch (IOException e) {
      return "?";
    }
  }
}
