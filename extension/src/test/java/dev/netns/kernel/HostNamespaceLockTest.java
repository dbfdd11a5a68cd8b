package dev.netns.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The machine-wide lock excludes threads of one JVM as well as other processes (those are shown by
 * {@code HostSubnetContentionTest}), and is never taken twice by one thread.
 */
class HostNamespaceLockTest {

  @Test
  void aSecondThreadWaitsUntilTheFirstReleases() throws Exception {
    AtomicBoolean released = new AtomicBoolean();
    CountDownLatch waiting = new CountDownLatch(1);
    CompletableFuture<Boolean> secondSawReleased = new CompletableFuture<>();
    Thread second =
        new Thread(
            () -> {
              waiting.countDown();
              try (HostNamespaceLock next = HostNamespaceLock.acquire()) {
                secondSawReleased.complete(released.get());
              } catch (RuntimeException | Error e) {
                secondSawReleased.completeExceptionally(e);
              }
            });
    try (HostNamespaceLock lock = HostNamespaceLock.acquire()) {
      assertThat(lock.file().getFileName()).hasToString(HostNamespaceLock.FILE_NAME);
      assertThat(Files.isRegularFile(lock.file())).isTrue();
      second.start();
      assertThat(waiting.await(10, TimeUnit.SECONDS)).isTrue();
      Thread.sleep(50);
      assertThat(secondSawReleased).as("the second thread got the lock").isNotDone();
      released.set(true);
    }
    assertThat(secondSawReleased.get(10, TimeUnit.SECONDS)).as("the first had released").isTrue();
    second.join(10_000);
  }

  @Test
  void oneThreadCannotTakeItTwice() {
    try (HostNamespaceLock lock = HostNamespaceLock.acquire()) {
      assertThatThrownBy(HostNamespaceLock::acquire)
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("this thread already holds the host namespace lock");
    }
    // And once released, it can be taken again.
    HostNamespaceLock.acquire().close();
  }

  @Test
  void theLockFileIsUnderRunLockWhereThatIsWritable() {
    Path runLock = Path.of("/run/lock");
    try (HostNamespaceLock lock = HostNamespaceLock.acquire()) {
      if (Files.isDirectory(runLock) && Files.isWritable(runLock)) {
        assertThat(lock.file()).isEqualTo(runLock.resolve(HostNamespaceLock.FILE_NAME));
      }
    }
  }
}
