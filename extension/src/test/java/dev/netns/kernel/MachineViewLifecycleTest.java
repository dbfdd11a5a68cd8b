package dev.netns.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netns.testing.HostState;
import dev.netns.testing.Requirements;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * The machine view through the kernel layer alone: who sets it up, who joins it, what threads that
 * move between namespaces see, and that nothing of it outlives the namespace.
 */
@Tag("privileged")
@Isolated("looks for holders of its mount namespaces, whose numbers other tests' may reuse")
class MachineViewLifecycleTest {
  private static final String MNT = "/proc/thread-self/ns/mnt";
  private static final String HOSTNAME = "/proc/sys/kernel/hostname";

  @BeforeEach
  void requirePrivileges() {
    Requirements.requireNamespaces();
  }

  @Test
  void closingLeavesNoMountNamespaceAndTheMachineUnchanged() throws Exception {
    String machineName = read(HOSTNAME);
    List<String> machineMounts = HostState.machineMounts();
    String view;
    try (NetworkNamespace blue = viewed("blue")) {
      view = blue.call(() -> link(MNT));
      assertThat(blue.call(() -> read(HOSTNAME))).isEqualTo("blue\n");
      assertThat(blue.call(() -> read("/etc/hosts"))).isEqualTo(hostsOf("blue"));
      assertThat(holdersInThisJvm(view)).isNotEmpty();
      assertThat(HostState.machineMounts()).isEqualTo(machineMounts);
      assertThat(read(HOSTNAME)).isEqualTo(machineName);
    }
    Awaitility.await("the view's mount namespace let go")
        .atMost(Duration.ofSeconds(5))
        .until(() -> holdersInThisJvm(view).isEmpty());
    assertThat(HostState.machineMounts()).isEqualTo(machineMounts);
    assertThat(read(HOSTNAME)).isEqualTo(machineName);
  }

  @Test
  void aThreadOfAnotherNamespaceStartedFromInsideSeesThatNamespacesMachine() throws Exception {
    try (NetworkNamespace blue = viewed("blue");
        NetworkNamespace red = viewed("red")) {
      String fromBlue = blue.call(() -> onThread(red.threadFactory(), () -> read(HOSTNAME)));
      assertThat(fromBlue).isEqualTo("red\n");
    }
  }

  @Test
  void aThreadOfANamespaceWithoutViewStartedFromInsideAViewSeesTheMachine() throws Exception {
    // Rootless, the JVM's own mount namespace belongs to the machine's user namespace: no way back.
    Requirements.requireMachineUserNamespace("stepping back into the JVM's own mount namespace");
    String machineView = link(MNT);
    String machineName = read(HOSTNAME);
    try (NetworkNamespace blue = viewed("blue");
        NetworkNamespace plain = NetworkNamespace.create("plain")) {
      List<String> seen =
          blue.call(
              () -> onThread(plain.threadFactory(), () -> List.of(link(MNT), read(HOSTNAME))));
      assertThat(seen).containsExactly(machineView, machineName);
    }
  }

  @Test
  void rootlessAThreadThatCannotLeaveAnInheritedViewDiesWithTheReason() throws Exception {
    Assumptions.assumeTrue(UserNamespaces.insideUserNamespace(), "rootless only");
    try (NetworkNamespace blue = viewed("blue");
        NetworkNamespace plain = NetworkNamespace.create("plain")) {
      Throwable died =
          blue.call(
              () -> {
                Throwable[] uncaught = new Throwable[1];
                Thread thread = plain.threadFactory().newThread(() -> {});
                thread.setUncaughtExceptionHandler((t, e) -> uncaught[0] = e);
                thread.start();
                thread.join(10_000);
                return uncaught[0];
              });
      assertThat(died)
          .isInstanceOf(IllegalStateException.class)
          .hasMessage(
              "thread netns-plain-1 of namespace plain cannot leave the machine view it inherited:"
                  + " the JVM's own mount and UTS namespaces belong to another user namespace, which"
                  + " refuses setns. Start this thread from a thread outside every namespace, or"
                  + " start the JVM in mount and UTS namespaces of its own user namespace (unshare"
                  + " --mount --uts)");
    }
  }

  @Test
  void aJoiningThreadKeepsTheJvmsWorkingDirectory() throws Exception {
    String jvm = link("/proc/thread-self/cwd");
    try (NetworkNamespace blue = viewed("blue")) {
      blue.call(() -> null);
      String joined = onThread(blue.threadFactory(), () -> link("/proc/thread-self/cwd"));
      assertThat(joined).isEqualTo(jvm);
    }
  }

  @Test
  void describingAfterAThreadEnteredIsRefused() throws Exception {
    try (NetworkNamespace blue = NetworkNamespace.create("blue")) {
      blue.call(() -> null);
      assertThatThrownBy(() -> blue.showMachine(identity("blue")))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage(
              "showMachine on namespace blue must come before any thread enters it, and threads"
                  + " already run inside");
    }
  }

  @Test
  void aHostNameLongerThanTheKernelTakesIsRefusedBeforeAnyChange() {
    String name = "n".repeat(65);
    assertThatThrownBy(() -> new MachineIdentity(name, ""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("host name '" + name + "' must be 1 to 64 bytes long");
  }

  private static NetworkNamespace viewed(String name) {
    NetworkNamespace ns = NetworkNamespace.create(name);
    ns.showMachine(identity(name));
    return ns;
  }

  private static MachineIdentity identity(String name) {
    return new MachineIdentity(name, hostsOf(name));
  }

  private static String hostsOf(String name) {
    return "127.0.0.1\tlocalhost\n127.0.1.1\t" + name + "\n";
  }

  private static <T> T onThread(ThreadFactory threads, Callable<T> task) throws Exception {
    FutureTask<T> result = new FutureTask<>(task);
    Thread thread = threads.newThread(result);
    thread.start();
    try {
      return result.get(30, TimeUnit.SECONDS);
    } finally {
      thread.join(10_000);
    }
  }

  /** Threads and descriptors of this JVM on the mount namespace {@code view}. */
  private static List<String> holdersInThisJvm(String view) throws IOException {
    List<String> holders = new ArrayList<>();
    for (Path task : HostState.entries(Path.of("/proc/self/task"))) {
      try {
        if (link(task.resolve("ns/mnt").toString()).equals(view)) {
          holders.add("thread " + task.getFileName());
        }
      } catch (UncheckedIOException e) {
        // The thread ended while we looked.
      }
    }
    for (Path fd : HostState.entries(Path.of("/proc/self/fd"))) {
      try {
        if (link(fd.toString()).equals(view)) {
          holders.add("fd " + fd.getFileName());
        }
      } catch (UncheckedIOException e) {
        // Closed while we looked.
      }
    }
    return holders;
  }

  private static String link(String path) {
    try {
      return Files.readSymbolicLink(Path.of(path)).toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String read(String file) throws IOException {
    return Files.readString(Path.of(file));
  }
}
