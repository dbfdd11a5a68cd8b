package dev.netns.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netns.kernel.NamespaceInode;
import dev.netns.testing.Requirements;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * An {@code @InNamespace} body that waits for another thread's {@code call} into the same
 * namespace: a thread it started itself (already inside), or a thread outside. Neither may queue
 * behind the body; the fixtures wait five seconds, so that a regression fails instead of hanging.
 */
@Tag("privileged")
class InNamespaceCallTest {
  /** A platform thread in the machine's namespace, started before any fixture runs. */
  static ExecutorService outside;

  @BeforeEach
  void requirePrivileges() {
    Requirements.requireNamespaces();
  }

  @NetNamespace("blue")
  static class StartsAThreadThatCallsIn {
    @Test
    @InNamespace("blue")
    void bodyWaitsForIt(@Ns("blue") NetNs blue) throws Exception {
      CompletableFuture<Long> seen = new CompletableFuture<>();
      Thread plain =
          new Thread(
              () -> {
                try {
                  seen.complete(blue.call(NamespaceInode::ofCurrentThread));
                } catch (Exception e) {
                  seen.completeExceptionally(e);
                }
              });
      plain.start();
      assertThat(seen.get(5, TimeUnit.SECONDS)).isEqualTo(NamespaceInode.ofCurrentThread());
      plain.join();
    }
  }

  @NetNamespace("blue")
  static class WaitsForACallFromOutside {
    @Test
    @InNamespace("blue")
    void bodyWaitsForIt(@Ns("blue") NetNs blue) throws Exception {
      Future<Long> seen = outside.submit(() -> blue.call(NamespaceInode::ofCurrentThread));
      assertThat(seen.get(5, TimeUnit.SECONDS)).isEqualTo(NamespaceInode.ofCurrentThread());
    }
  }

  @Test
  void aThreadStartedInTheBodyCallsInWhileTheBodyWaits() {
    Fixtures.run(StartsAThreadThatCallsIn.class)
        .testEvents()
        .assertStatistics(s -> s.succeeded(1).failed(0));
  }

  @Test
  void aThreadOutsideCallsInWhileTheBodyWaits() {
    ThreadPoolExecutor pool = (ThreadPoolExecutor) Executors.newFixedThreadPool(1);
    pool.prestartAllCoreThreads();
    outside = pool;
    try {
      Fixtures.run(WaitsForACallFromOutside.class)
          .testEvents()
          .assertStatistics(s -> s.succeeded(1).failed(0));
    } finally {
      pool.shutdownNow();
    }
  }
}
