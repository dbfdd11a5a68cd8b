package dev.netns.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netns.testing.Requirements;
import java.lang.ref.WeakReference;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Which thread runs a namespace's tasks, and what a namespace keeps of the threads it made. */
@Tag("privileged")
class NamespaceThreadTest {
  @BeforeEach
  void requirePrivileges() {
    Requirements.requireNamespaces();
  }

  /**
   * A plain thread started by code running inside inherits the namespace; its {@code call} must not
   * queue behind the task that waits for it on the namespace's only service thread.
   */
  @Test
  void aThreadStartedInsideCallsWithoutQueueingBehindItsCreator() throws Exception {
    try (NetworkNamespace blue = NetworkNamespace.create("blue")) {
      long seen =
          blue.call(
              () -> {
                CompletableFuture<Long> inode = new CompletableFuture<>();
                Thread plain =
                    new Thread(
                        () -> {
                          try {
                            inode.complete(blue.call(NamespaceInode::ofCurrentThread));
                          } catch (Exception | Error e) {
                            inode.completeExceptionally(e);
                          }
                        });
                plain.start();
                // A timeout, not a hang, if the call queues: the task only ends after this wait.
                long result = inode.get(5, TimeUnit.SECONDS);
                plain.join();
                return result;
              });
      assertThat(seen).isEqualTo(blue.inode());
    }
  }

  /** From a thread outside, a task still runs on the namespace's thread, inside. */
  @Test
  void aCallFromOutsideStillRunsInside() throws Exception {
    try (NetworkNamespace blue = NetworkNamespace.create("blue")) {
      assertThat(blue.call(NamespaceInode::ofCurrentThread)).isEqualTo(blue.inode());
      assertThat(blue.call(() -> Thread.currentThread().getName())).startsWith("netns-blue-");
    }
  }

  /**
   * Threads made by the namespace's thread factory are not kept once they have ended: a long test
   * whose pools keep replacing idle threads would otherwise hold every thread it ever had.
   */
  @Test
  void endedFactoryThreadsAreNotKept() throws Exception {
    try (NetworkNamespace blue = NetworkNamespace.create("blue")) {
      WeakReference<Thread> ended = startAndEnd(blue);
      ExecutorService pool = Executors.newCachedThreadPool(blue.threadFactory());
      try {
        WeakReference<Thread> pooled =
            new WeakReference<>(pool.submit(Thread::currentThread).get());
        pool.shutdown();
        assertThat(pool.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
        for (int i = 0; i < 50 && (ended.get() != null || pooled.get() != null); i++) {
          System.gc();
          Thread.sleep(20);
        }
        assertThat(ended.get()).as("a thread that ended").isNull();
        assertThat(pooled.get()).as("a pool thread that ended").isNull();
      } finally {
        pool.shutdownNow();
      }
    }
  }

  private static WeakReference<Thread> startAndEnd(NetworkNamespace ns) throws Exception {
    Thread t = ns.threadFactory().newThread(() -> {});
    t.start();
    t.join();
    return new WeakReference<>(t);
  }
}
