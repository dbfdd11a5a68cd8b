package dev.netns.testing;

import dev.netns.kernel.NamespaceInode;
import dev.netns.kernel.TaskInfo;
import dev.netns.kernel.Tasks;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** Snapshots of what this JVM and the machine hold, for leak checks. */
public final class HostState {
  private HostState() {}

  /**
   * The machine's mount table ({@code /proc/1/mountinfo}), but for namespaces that concurrent tests
   * bind under {@code /run/netns}.
   */
  public static List<String> machineMounts() throws IOException {
    return Files.readAllLines(Path.of("/proc/1/mountinfo")).stream()
        .filter(l -> !l.contains(" /run/netns"))
        .toList();
  }

  /** The entries of a directory such as {@code /proc} or {@code /proc/PID/fd}, as a list. */
  public static List<Path> entries(Path dir) throws IOException {
    List<Path> entries = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
      stream.forEach(entries::add);
    }
    return entries;
  }

  /** Number of open file descriptors of this process. */
  public static int openFds() {
    try (var fds = Files.list(Path.of("/proc/self/fd"))) {
      return (int) fds.count();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /** What each open descriptor of this process points at (sockets, namespaces, files), sorted. */
  public static List<String> openFdTargets() {
    List<String> targets = new ArrayList<>();
    try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
      for (Path fd : fds) {
        try {
          String target = Files.readSymbolicLink(fd).toString();
          // Descriptors on sockets and namespaces are what the library opens; their numbers
          // differ from run to run, their kind does not.
          targets.add(target.replaceAll("\\[\\d+\\]", "[]"));
        } catch (IOException e) {
          // closed meanwhile (the directory stream's own descriptor, for one)
        }
      }
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    java.util.Collections.sort(targets);
    return targets;
  }

  /** Names of the links in the machine's own namespace, as iproute2 lists them. */
  public static Set<String> hostLinks() {
    Set<String> names = new TreeSet<>();
    for (String line : Oracle.hostIp("-o", "link", "show").split("\n")) {
      String[] parts = line.split(": ");
      if (parts.length > 1) {
        names.add(parts[1].replaceAll("@.*", ""));
      }
    }
    return names;
  }

  /**
   * Threads of this JVM inside one of these network namespaces. Inode numbers are reused once the
   * kernel has freed a namespace, so after a close compare the threads' ids too: a thread seen
   * inside before the close and still inside after it.
   */
  public static List<TaskInfo> threadsIn(Set<Long> netInodes) {
    List<TaskInfo> inside = new ArrayList<>();
    for (TaskInfo task : Tasks.ofThisProcess()) {
      if (netInodes.contains(task.netInode())) {
        inside.add(task);
      }
    }
    return inside;
  }

  /**
   * Threads of this JVM (by /proc task name) whose network namespace is not the process's. The
   * JDK's "process reaper" is left out: it is made by whichever thread first starts a process and
   * idles up to a minute wherever it was made (see docs/threads-and-sockets.md).
   */
  public static List<String> threadsOutsideHostNamespace() {
    long home = NamespaceInode.of(Path.of("/proc/self/ns/net"));
    List<String> threads = new ArrayList<>();
    for (TaskInfo task : Tasks.ofThisProcess()) {
      if (task.netInode() != home && !task.name().equals("process reaper")) {
        threads.add(task.name() + " in net:[" + task.netInode() + "]");
      }
    }
    return threads;
  }
}
