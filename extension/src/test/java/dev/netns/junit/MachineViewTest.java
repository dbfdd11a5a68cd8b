package dev.netns.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.is;

import dev.netns.testing.Oracle;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * Every kind of thread that runs inside a namespace sees that namespace as its machine: {@code
 * NetworkInterface}, {@code /proc/net}, {@code /sys/class/net}, host name and {@code /etc/hosts},
 * checked against iproute2 run inside the namespace; the machine's own mount table and host name
 * stay as they were, and nothing stays mounted after teardown.
 *
 * <p>Over 300 lines because one network serves every kind of thread, and what each sees is read and
 * checked against iproute2 by the same few helpers here.
 */
@Tag("privileged")
@Isolated("looks for holders of its mount namespaces, whose numbers other tests' may reuse")
@NetNamespace("n1")
@NetNamespace("n2")
@NetNamespace("n3")
@Lan(
    name = "lan",
    subnet = {"10.0.0.0/24", "fd00:0:0:1::/64"},
    hosts = {"n1", "n2", "n3"})
class MachineViewTest {
  private static String machineHostName;
  private static List<String> machineMounts;
  private static List<String> jvmMounts;
  private static long machineMountNamespace;

  /**
   * The mount namespace of every view a test looked through, one entry per look: the kernel hands a
   * freed namespace's number to the next one made, so distinct numbers may be fewer than looks.
   */
  private static final Queue<Long> VIEWS_SEEN = new ConcurrentLinkedQueue<>();

  @BeforeAll
  static void recordTheMachine() {
    machineHostName = read("/proc/sys/kernel/hostname");
    machineMounts = mounts("/proc/1/mountinfo");
    jvmMounts = mounts("/proc/self/mountinfo");
    machineMountNamespace = inode("/proc/thread-self/ns/mnt");
  }

  @Test
  void serviceThreadSeesItsNamespace(@Ns("n1") NetNs n1) throws Exception {
    assertSeesOwnMachine(n1, "n1", "10.0.0.1", n1.call(MachineViewTest::look));
    assertMachineNameUnchanged();
  }

  @Test
  void executorThreadsSeeTheirNamespace(@Ns("n2") NetNs n2) throws Exception {
    ExecutorService executor = n2.executor();
    try {
      // Two threads: the second starts while the first is still busy.
      var first = executor.submit(MachineViewTest::lookSlowly);
      var second = executor.submit(MachineViewTest::look);
      assertSeesOwnMachine(n2, "n2", "10.0.0.2", first.get());
      assertSeesOwnMachine(n2, "n2", "10.0.0.2", second.get());
      assertMachineNameUnchanged();
    } finally {
      executor.shutdownNow();
    }
  }

  @Test
  void aNewThreadSeesItsNamespaceBeforeTheServiceThreadRan(@Ns("n3") NetNs n3) throws Exception {
    // The service thread has not started yet: the view is set up on demand.
    assertSeesOwnMachine(n3, "n3", "10.0.0.3", onThread(n3::newThread, MachineViewTest::look));
    assertMachineNameUnchanged();
  }

  @Test
  void aThreadStartedByANamespaceThreadSeesItsNamespace(@Ns("n1") NetNs n1) throws Exception {
    View seen = n1.call(() -> onThread(Thread::new, MachineViewTest::look));
    assertSeesOwnMachine(n1, "n1", "10.0.0.1", seen);
    assertMachineNameUnchanged();
  }

  @Test
  @InNamespace("n2")
  void anInNamespaceBodySeesItsNamespace(@Ns("n2") NetNs n2) throws Exception {
    assertSeesOwnMachine(n2, "n2", "10.0.0.2", look());
  }

  @Test
  void aProcessStartedInsideResolvesTheOtherHostsByName(@Ns("n1") NetNs n1) throws Exception {
    assertThat(output(n1.exec("getent", "ahostsv4", "n2"))).startsWith("10.0.0.2 ");
    assertThat(output(n1.exec("getent", "hosts", "n3"))).startsWith("fd00:0:0:1::3 ");
    assertThat(output(n1.exec("hostname"))).isEqualTo("n1\n");
    // From inside, the machine's name is unknown.
    assertThat(n1.exec("getent", "hosts", machineHostName).waitFor()).isEqualTo(2);
  }

  @Test
  void javaResolvesTheOtherHostsFromTheHostsFile(@Ns("n1") NetNs n1) throws Exception {
    assertThat(n1.call(() -> InetAddress.getByName("n3").getHostAddress())).isEqualTo("10.0.0.3");
    assertThat(n1.call(() -> read("/etc/hosts"))).contains("10.0.0.2\tn2\n");
  }

  /**
   * The JDK keeps the answer of {@code getLocalHost()} for 5 seconds for the whole process, whoever
   * asked: within 5 seconds of another namespace's call it gives that namespace's name. After that
   * it gives the asking thread's.
   */
  @Test
  void getLocalHostGivesTheDeclaredNameAndAddress(@Ns("n3") NetNs n3) throws Exception {
    Awaitility.await()
        .atMost(Duration.ofSeconds(15))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> n3.call(() -> InetAddress.getLocalHost().toString()), is("n3/10.0.0.3"));
  }

  /** On the JUnit thread, after every test's network is gone. */
  @AfterAll
  static void theMachineIsAsItWasAndNothingIsLeftMounted() throws IOException {
    assertThat(read("/proc/sys/kernel/hostname")).isEqualTo(machineHostName);
    assertThat(mounts("/proc/1/mountinfo")).isEqualTo(machineMounts);
    assertThat(VIEWS_SEEN).hasSizeGreaterThanOrEqualTo(3).doesNotContain(machineMountNamespace);
    // A mount namespace lives while a task is in it or a descriptor holds it: neither is left, but
    // for the JDK's process reaper, made lazily by whichever thread starts a process and idle for
    // up to a minute (as in the network namespace, where the thread-leak check allows it too).
    List<String> holders = new ArrayList<>();
    try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
      for (Path process :
          processes.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
        for (String link : nsLinksOf(process)) {
          if (VIEWS_SEEN.stream().anyMatch(v -> link.endsWith("mnt:[" + v + "]"))) {
            holders.add(process + " " + link);
          }
        }
      }
    }
    assertThat(holders).isEmpty();
  }

  /** What the calling thread sees of its machine. */
  record View(
      Map<String, Set<InetAddress>> interfaces,
      Map<String, Boolean> up,
      Set<String> procNetDev,
      Set<String> procSelfNetDev,
      Set<String> sysClassNet,
      String hostName,
      String ownAddress,
      long mountNamespace) {}

  static View look() throws IOException {
    Map<String, Set<InetAddress>> interfaces = new TreeMap<>();
    Map<String, Boolean> up = new TreeMap<>();
    for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      Set<InetAddress> addresses = new TreeSet<>(MachineViewTest::compare);
      for (InetAddress address : Collections.list(nif.getInetAddresses())) {
        addresses.add(InetAddress.getByAddress(address.getAddress()));
      }
      interfaces.put(nif.getName(), addresses);
      up.put(nif.getName(), nif.isUp());
      // The lookups by name and by address find the same interface.
      assertThat(NetworkInterface.getByName(nif.getName())).isEqualTo(nif);
      for (InetAddress address : Collections.list(nif.getInetAddresses())) {
        assertThat(NetworkInterface.getByInetAddress(address)).isEqualTo(nif);
      }
    }
    String hostName = read("/proc/sys/kernel/hostname").strip();
    long mountNamespace = inode("/proc/thread-self/ns/mnt");
    VIEWS_SEEN.add(mountNamespace);
    return new View(
        interfaces,
        up,
        devNames("/proc/net/dev"),
        devNames("/proc/self/net/dev"),
        list("/sys/class/net"),
        hostName,
        // What getLocalHost() answers once the JDK's own cache of it has expired (see below).
        InetAddress.getByName(hostName).getHostAddress(),
        mountNamespace);
  }

  static View lookSlowly() throws Exception {
    TimeUnit.MILLISECONDS.sleep(200);
    return look();
  }

  private static void assertSeesOwnMachine(NetNs ns, String name, String address, View seen)
      throws UnknownHostException, SocketException {
    Map<String, Set<InetAddress>> expected = kernelAddresses(ns);
    assertThat(seen.interfaces()).isEqualTo(expected);
    assertThat(seen.up()).isEqualTo(kernelUp(ns));
    assertThat(seen.procNetDev()).isEqualTo(kernelLinks(ns));
    assertThat(seen.procSelfNetDev()).isEqualTo(kernelLinks(ns));
    assertThat(seen.sysClassNet()).isEqualTo(kernelLinks(ns));
    assertThat(seen.hostName()).isEqualTo(name);
    assertThat(seen.ownAddress()).isEqualTo(address);
    assertThat(seen.mountNamespace()).isNotEqualTo(machineMountNamespace);
    // Meanwhile, for the machine and the JVM's main thread, nothing changed.
    assertThat(mounts("/proc/1/mountinfo")).isEqualTo(machineMounts);
    assertThat(mounts("/proc/self/mountinfo")).isEqualTo(jvmMounts);
  }

  /** On a thread outside every namespace. */
  private static void assertMachineNameUnchanged() {
    assertThat(read("/proc/sys/kernel/hostname")).isEqualTo(machineHostName);
  }

  /** Interfaces holding addresses (the ones NetworkInterface lists) and their addresses. */
  private static Map<String, Set<InetAddress>> kernelAddresses(NetNs ns)
      throws UnknownHostException {
    Map<String, Set<InetAddress>> addresses = new TreeMap<>();
    for (String line : Oracle.ip(ns, "-o", "addr", "show").split("\n")) {
      String[] fields = line.trim().split("\\s+");
      String cidr = fields[3];
      InetAddress address = InetAddress.getByName(cidr.substring(0, cidr.indexOf('/')));
      addresses
          .computeIfAbsent(fields[1], n -> new TreeSet<>(MachineViewTest::compare))
          .add(address);
    }
    return addresses;
  }

  /** Up as NetworkInterface.isUp means it: administratively up and running. */
  private static Map<String, Boolean> kernelUp(NetNs ns) {
    Map<String, Boolean> up = new TreeMap<>();
    for (String line : Oracle.ip(ns, "-o", "link", "show").split("\n")) {
      String name = line.split(":\\s+")[1].replaceFirst("@.*", "");
      String flags = line.substring(line.indexOf('<') + 1, line.indexOf('>'));
      Set<String> set = Set.of(flags.split(","));
      up.put(name, set.contains("UP") && set.contains("LOWER_UP"));
    }
    return up;
  }

  private static Set<String> kernelLinks(NetNs ns) {
    return kernelUp(ns).keySet().stream().collect(TreeSet::new, Set::add, Set::addAll);
  }

  private static int compare(InetAddress x, InetAddress y) {
    return x.getHostAddress().compareTo(y.getHostAddress());
  }

  private static <T> T onThread(
      java.util.function.Function<Runnable, Thread> threads, Callable<T> task) throws Exception {
    FutureTask<T> result = new FutureTask<>(task);
    Thread thread = threads.apply(result);
    thread.start();
    T value = result.get(30, TimeUnit.SECONDS);
    thread.join(10_000);
    return value;
  }

  private static Set<String> devNames(String file) {
    Set<String> names = new TreeSet<>();
    // Two header lines, then "  name: counters...".
    read(file).lines().skip(2).forEach(l -> names.add(l.substring(0, l.indexOf(':')).strip()));
    return names;
  }

  private static Set<String> list(String directory) throws IOException {
    try (Stream<Path> entries = Files.list(Path.of(directory))) {
      return entries
          .map(p -> p.getFileName().toString())
          .collect(TreeSet::new, Set::add, Set::addAll);
    }
  }

  private static List<String> nsLinksOf(Path process) {
    List<String> links = new ArrayList<>();
    try (Stream<Path> tasks = Files.list(process.resolve("task"))) {
      for (Path task : tasks.toList()) {
        if (!Files.readString(task.resolve("comm")).strip().equals("process reaper")) {
          links.add(task + " " + Files.readSymbolicLink(task.resolve("ns/mnt")));
        }
      }
    } catch (IOException | UncheckedIOException e) {
      // The process ended while being looked at.
    }
    try (Stream<Path> fds = Files.list(process.resolve("fd"))) {
      for (Path fd : fds.toList()) {
        try {
          links.add(fd + " " + Files.readSymbolicLink(fd));
        } catch (IOException e) {
          // Closed meanwhile.
        }
      }
    } catch (IOException | UncheckedIOException e) {
      // The process ended while being looked at.
    }
    return links;
  }

  /** The mount table, line by line. */
  private static List<String> mounts(String mountinfo) {
    // Other tests of this JVM may bind namespaces under /run/netns meanwhile.
    return read(mountinfo).lines().filter(l -> !l.contains(" /run/netns")).toList();
  }

  private static String output(Process process) throws Exception {
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(out).isZero();
    return out;
  }

  private static long inode(String nsLink) {
    try {
      String target = Files.readSymbolicLink(Path.of(nsLink)).toString();
      return Long.parseLong(target.substring(target.indexOf('[') + 1, target.indexOf(']')));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String read(String file) {
    try {
      return Files.readString(Path.of(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
