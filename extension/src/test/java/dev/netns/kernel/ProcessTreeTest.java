package dev.netns.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Freezing a process tree whose root waits in {@code vfork} for a child that has not exec'd yet:
 * the root sleeps uninterruptibly until the child execs or exits, so SIGSTOP stays pending on it;
 * with the child stopped, that is for good, and the tree counts as frozen (a shell's vfork child
 * caught by the SIGSTOP before its exec once made {@code pauseNode} fail after 5 s).
 */
class ProcessTreeTest {

  @Test
  void aParentWaitingInVforkForAStoppedChildCountsAsFrozen(@TempDir Path dir) throws Exception {
    Path fifo = dir.resolve("fifo");
    // posix_spawn in glibc is clone(CLONE_VM | CLONE_VFORK): the child opens the FIFO before its
    // exec, and the open blocks until a writer comes, so the parent waits in vfork meanwhile.
    Process python =
        new ProcessBuilder(
                "python3",
                "-c",
                "import os, sys\n"
                    + "os.mkfifo(sys.argv[1])\n"
                    + "os.posix_spawn('/bin/true', ['true'], os.environ,"
                    + " file_actions=[(os.POSIX_SPAWN_OPEN, 0, sys.argv[1], os.O_RDONLY, 0)])\n",
                fifo.toString())
            .redirectErrorStream(true)
            .start();
    ProcessHandle root = python.toHandle();
    try {
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () ->
                  ProcessTree.state(root.pid()) == 'D'
                      && root.children().findAny().isPresent()
                      && Files.exists(fifo));
      Optional<ProcessHandle> child = root.children().findFirst();
      assertThat(child).isPresent();

      List<ProcessHandle> frozen = ProcessTree.stop(root);

      assertThat(frozen).containsExactly(root, child.get());
      assertThat(ProcessTree.state(child.get().pid())).isEqualTo('T');
      assertThat(ProcessTree.state(root.pid())).isEqualTo('D');
      assertThat(ProcessTree.stopPending(root.pid())).isTrue();

      // Resumed, the stop no longer pends: SIGCONT discards it.
      ProcessTree.signal(frozen, ProcessSignal.SIGCONT);
      assertThat(ProcessTree.stopPending(root.pid())).isFalse();
    } finally {
      ProcessTree.kill(root);
      python.waitFor();
    }
  }
}
