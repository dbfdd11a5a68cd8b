package dev.netns.junit.internal;

import dev.netns.kernel.TaskInfo;
import dev.netns.kernel.Tasks;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Finds this JVM's threads that are inside given namespaces, as the kernel lists them. */
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
    if (inodes.isEmpty()) {
      return found;
    }
    for (TaskInfo task : Tasks.ofThisProcess(inodes::contains)) {
      if (!task.name().equals(PROCESS_REAPER)) {
        found.add(
            "'" + task.name() + "' (tid " + task.tid() + ") in net:[" + task.netInode() + "]");
      }
    }
    return found;
  }

  /**
   * Every thread of this JVM inside one of {@code inodes}, the process reaper included, grouped by
   * namespace inode and described as {@code 'name' (tid N)}: what a failure report shows.
   */
  static Map<Long, List<String>> byNamespace(Set<Long> inodes) {
    Map<Long, List<String>> found = new TreeMap<>();
    for (TaskInfo task : Tasks.ofThisProcess(inodes::contains)) {
      found
          .computeIfAbsent(task.netInode(), k -> new ArrayList<>())
          .add("'" + task.name() + "' (tid " + task.tid() + ")");
    }
    return found;
  }
}
