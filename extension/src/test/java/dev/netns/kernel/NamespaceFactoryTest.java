package dev.netns.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netns.nativeaccess.LibC;
import dev.netns.testing.Requirements;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * The factory thread works in the process's own namespace whatever thread made it: a new thread
 * inherits the namespace of the thread that starts it, and the pool starts its thread from
 * whichever thread submits first.
 */
@Tag("privileged")
@Isolated("replaces the process-wide factory thread, and relies on nobody else using it meanwhile")
class NamespaceFactoryTest {
  private static final long PROCESS_NAMESPACE = NamespaceInode.of(Path.of("/proc/self/ns/net"));

  @BeforeEach
  void requirePrivileges() {
    Requirements.requireNamespaces();
  }

  @Test
  void aReplacementStartedFromInsideANamespaceStillWorksAtHome() throws Exception {
    try (NetworkNamespace blue = NetworkNamespace.create("blue")) {
      // The next factory thread is started by whoever submits next: here, blue's thread.
      NamespaceFactory.call(
          () -> {
            NamespaceFactory.abandonCurrentThread();
            return null;
          });
      long host = blue.call(() -> NamespaceFactory.call(NamespaceInode::ofCurrentThread));
      assertThat(host).isEqualTo(PROCESS_NAMESPACE).isNotEqualTo(blue.inode());
      try (NetworkNamespace handle = blue.call(NetworkNamespace::host)) {
        assertThat(handle.inode()).isEqualTo(PROCESS_NAMESPACE);
      }
    }
  }

  /**
   * A factory thread stuck outside home is abandoned: the tasks queued behind it move to its
   * successor instead of running where it is stuck.
   */
  @Test
  void tasksQueuedBehindAnAbandonedThreadRunAtHome() throws Exception {
    LibC libc = LibC.instance();
    try (NetworkNamespace blue = NetworkNamespace.create("blue")) {
      CountDownLatch running = new CountDownLatch(1);
      CountDownLatch queued = new CountDownLatch(1);
      CompletableFuture<Void> stray =
          CompletableFuture.runAsync(
              () ->
                  NamespaceFactory.call(
                      () -> {
                        running.countDown();
                        queued.await();
                        // As a failed way home would leave it.
                        libc.setns(blue.fd(), LibC.CLONE_NEWNET);
                        NamespaceFactory.abandonCurrentThread();
                        return null;
                      }),
              runnable -> new Thread(runnable).start());
      assertThat(running.await(5, TimeUnit.SECONDS)).isTrue();
      CompletableFuture<Long> behind = new CompletableFuture<>();
      Thread caller =
          new Thread(() -> behind.complete(NamespaceFactory.call(NamespaceInode::ofCurrentThread)));
      caller.start();
      // WAITING once its task is queued and it waits for the result.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (caller.getState() != Thread.State.WAITING && System.nanoTime() < deadline) {
        Thread.sleep(1);
      }
      queued.countDown();
      stray.get(5, TimeUnit.SECONDS);
      assertThat(behind.get(5, TimeUnit.SECONDS)).isEqualTo(PROCESS_NAMESPACE);
      caller.join();
    }
  }
}
