package dev.netns.kernel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongPredicate;

/**
 * The threads of this process and the network namespace each one is in, read from {@code
 * /proc/self/task}: the one place that lists them, for leak checks, failure reports and waiting for
 * a thread to be gone.
 */
public final class Tasks {
  private static final Path SELF_TASKS = Path.of("/proc/self/task");

  private Tasks() {}

  /** Every thread of this process that is alive while the directory is read. */
  public static List<TaskInfo> ofThisProcess() {
    return ofThisProcess(inode -> true);
  }

  /**
   * The threads of this process in a network namespace that {@code inodes} accepts: only their
   * names are read, one file less for each of the others (the leak check after every test reads
   * them all, and finds none).
   */
  public static List<TaskInfo> ofThisProcess(LongPredicate inodes) {
    List<TaskInfo> found = new ArrayList<>();
    try (DirectoryStream<Path> tasks = Files.newDirectoryStream(SELF_TASKS)) {
      for (Path task : tasks) {
        try {
          long inode = NamespaceInode.of(task.resolve("ns/net"));
          if (!inodes.test(inode)) {
            continue;
          }
          String name = Files.readString(task.resolve("comm")).trim();
          found.add(new TaskInfo(Integer.parseInt(task.getFileName().toString()), name, inode));
        } catch (IOException | UncheckedIOException e) {
          // The thread ended while we looked.
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + SELF_TASKS, e);
    }
    return found;
  }

  /**
   * True while the kernel still lists thread {@code tid} of this process. A Java thread's {@code
   * join} returns a moment before its task is gone and lets go of its namespace.
   */
  public static boolean isListed(int tid) {
    return Files.exists(SELF_TASKS.resolve(Integer.toString(tid)));
  }
}
