package dev.netns.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netns.nativeaccess.LibC;
import dev.netns.testing.Requirements;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * When a namespace counts as entered, which decides whether the teardown searches {@code /proc} for
 * processes and threads inside it: every way in that the library offers must count.
 */
@Tag("privileged")
class NamespaceEntryTest {
  @BeforeEach
  void requirePrivileges() {
    Requirements.requireNamespaces();
  }

  /** Made and wired, with a socket opened inside by the factory's short step: not entered. */
  @Test
  void aNamespaceOnlyTheLibraryStepsIntoIsNotEntered() {
    try (NetworkNamespace blue = NetworkNamespace.create("blue")) {
      int socket = blue.openSocket(LibC.AF_INET, LibC.SOCK_DGRAM | LibC.SOCK_CLOEXEC, 0);
      LibC.instance().close(socket);
      assertThat(blue.wasEntered()).isFalse();
      assertThat(NamespaceProcesses.killAllInside(List.of(blue), Duration.ofSeconds(5))).isEmpty();
    }
  }

  /** A thread of its own (user code runs there, and starts processes there): entered. */
  @Test
  void aCallEnters() throws Exception {
    try (NetworkNamespace blue = NetworkNamespace.create("blue");
        NetworkNamespace red = NetworkNamespace.create("red")) {
      blue.call(() -> null);
      red.threadFactory().newThread(() -> {});
      assertThat(blue.wasEntered()).isTrue();
      assertThat(red.wasEntered()).isTrue();
    }
  }

  /**
   * A process that joined through the descriptor, started by no thread inside: the descriptor's
   * hand-out counts as entering, so the teardown still finds and kills it.
   */
  @Test
  void aProcessThatJoinedThroughTheDescriptorIsStillKilled() throws Exception {
    try (NetworkNamespace blue = NetworkNamespace.create("blue")) {
      Process sleeper =
          new ProcessBuilder(
                  "nsenter",
                  "--net=/proc/" + ProcessHandle.current().pid() + "/fd/" + blue.fd(),
                  "sleep",
                  "60")
              .start();
      try {
        assertThat(blue.wasEntered()).isTrue();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        // nsenter has joined once the sleep it execs runs inside.
        while (!inside(sleeper, blue) && System.nanoTime() < deadline) {
          Thread.sleep(10);
        }
        assertThat(NamespaceProcesses.killAllInside(List.of(blue), Duration.ofSeconds(5)))
            .extracting(ProcessInfo::pid)
            .containsExactly(sleeper.pid());
        assertThat(sleeper.waitFor(5, TimeUnit.SECONDS)).isTrue();
      } finally {
        sleeper.destroyForcibly();
      }
    }
  }

  private static boolean inside(Process process, NetworkNamespace ns) {
    try {
      return NamespaceInode.of(Path.of("/proc/" + process.pid() + "/ns/net")) == ns.inode();
    } catch (RuntimeException e) {
      return false;
    }
  }
}
