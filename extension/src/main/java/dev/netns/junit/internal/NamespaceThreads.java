package dev.netns.junit.internal;

import dev.netns.kernel.NamespaceInode;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Finds this JVM's threads that are inside given namespaces, from {@code /proc/self/task}. */
final class NamespaceThreads {
  /**
   * The JDK's process reaper threads are made lazily by whichever thread starts a process, and idle
   * for up to a minute before they exit: one made from a namespace thread stays in that namespace
   * meanwhile. It only waits for child processes; it is reported in the docs, not as a leak.
   */
  private static final String PROCESS_REAPER = "process reaper";

  private NamespaceThreads() {}

  /** Threads inside any of {@code inodes}, described as {@code 'name' (tid N) in net:[inode]}. */
  static List<String> inside(Set<Long> inodes) {
    List<String> found = new ArrayList<>();
    try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
      for (Path task : tasks) {
        try {
          long inode = NamespaceInode.of(task.resolve("ns/net"));
          if (!inodes.contains(inode)) {
            continue;
          }
          String name = Files.readString(task.resolve("comm")).trim();
          if (name.equals(PROCESS_REAPER)) {
            continue;
          }
          found.add("'" + name + "' (tid " + task.getFileName() + ") in net:[" + inode + "]");
        } catch (IOException | RuntimeException e) {
          // The thread ended while we looked.
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot list /proc/self/task", e);
    }
    return found;
  }

  /**
   * Every thread of this JVM inside one of {@code inodes}, the process reaper included, grouped by
   * namespace inode and described as {@code 'name' (tid N)}: what a failure report shows.
   */
  static Map<Long, List<String>> byNamespace(Set<Long> inodes) {
    Map<Long, List<String>> found = new TreeMap<>();
    try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
      for (Path task : tasks) {
        try {
          long inode = NamespaceInode.of(task.resolve("ns/net"));
          if (inodes.contains(inode)) {
            String name = Files.readString(task.resolve("comm")).trim();
            found
                .computeIfAbsent(inode, k -> new ArrayList<>())
                .add("'" + name + "' (tid " + task.getFileName() + ")");
          }
        } catch (IOException | RuntimeException e) {
          // The thread ended while we looked.
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot list /proc/self/task", e);
    }
    return found;
  }
}
