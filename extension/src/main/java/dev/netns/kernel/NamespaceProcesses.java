package dev.netns.kernel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongPredicate;

/**
 * The processes of the whole machine whose network namespace is one of given namespaces, found by
 * inode in {@code /proc/PID/ns/net}, and killed before those namespaces close.
 *
 * <p>A process started inside a namespace keeps it alive, with every device in it, for as long as
 * it runs. Tracking the processes a test started is not enough: a shell that backgrounds a command
 * exits at once and leaves an orphan, and a daemon forks twice and leaves its session, so neither
 * is a descendant of anything the library started by the time the test ends. Their namespace still
 * names them.
 *
 * <p>Only namespaces this library created are searched, and only while they are open (so that their
 * inodes cannot belong to any other namespace); the JVM itself and the namespace it runs in are
 * never touched. Nor are namespaces never {@linkplain NetworkNamespace#wasEntered entered}: no
 * process can be inside one, so a test that started nothing pays no scan. A namespace's {@link
 * NamespaceWatchdog} is spared: it watches until the rest is dead, and {@link
 * NetworkNamespace#close} kills it last, so it is never reported as left behind.
 */
public final class NamespaceProcesses {
  private static final Path PROC = Path.of("/proc");
  private static final long ROUND_PAUSE_MILLIS = 5;

  private NamespaceProcesses() {}

  /**
   * Kills (SIGKILL) every process inside one of {@code namespaces} (created ones only, still open),
   * and scans again until none is left, since a process may fork while it is being killed. Returns
   * what was killed, in the order found.
   *
   * @throws IllegalStateException if processes are still inside after {@code within}, naming them
   */
  public static List<ProcessInfo> killAllInside(
      Collection<NetworkNamespace> namespaces, Duration within) {
    Set<Long> inodes = searched(namespaces);
    List<NetworkNamespace> watched = List.copyOf(namespaces);
    Map<ProcessHandle, ProcessInfo> killed = new LinkedHashMap<>();
    if (inodes.isEmpty()) {
      return List.of();
    }
    long deadline = System.nanoTime() + within.toNanos();
    while (true) {
      List<ProcessInfo> left = new ArrayList<>();
      scan(
          inodes,
          pid -> watched.stream().anyMatch(ns -> ns.isWatchdog(pid)),
          (info, handle) -> {
            left.add(info);
            // The handle knows the process's start time and signals nothing if the pid was reused.
            handle.destroyForcibly();
            killed.putIfAbsent(handle, info);
          });
      if (left.isEmpty()) {
        return List.copyOf(killed.values());
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "processes still inside after SIGKILL for "
                + within.toMillis()
                + " ms (in uninterruptible sleep?): "
                + left);
      }
      try {
        // SIGKILL is delivered at once, but the process lets go of its namespace only as it exits.
        Thread.sleep(ROUND_PAUSE_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while killing processes " + left, e);
      }
    }
  }

  /** Inodes of the created namespaces that were ever entered, never the one this JVM runs in. */
  private static Set<Long> searched(Collection<NetworkNamespace> namespaces) {
    long own = NamespaceInode.of(PROC.resolve("self/ns/net"));
    Set<Long> inodes = new HashSet<>();
    for (NetworkNamespace ns : namespaces) {
      if (!ns.isCreated()) {
        continue;
      }
      if (ns.isClosed()) {
        throw new IllegalStateException(
            "namespace " + ns.name() + " is closed: its inode may belong to another by now");
      }
      // One never entered holds no process (see wasEntered): no need to read all of /proc for it.
      if (ns.wasEntered() && ns.inode() != own) {
        inodes.add(ns.inode());
      }
    }
    return inodes;
  }

  private interface Found {
    void accept(ProcessInfo info, ProcessHandle handle);
  }

  private static void scan(Set<Long> inodes, LongPredicate spared, Found found) {
    long self = ProcessHandle.current().pid();
    requireOwnPidNamespace(self);
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC)) {
      for (Path entry : entries) {
        long pid = pid(entry.getFileName().toString());
        if (pid <= 1 || pid == self) {
          continue;
        }
        Path nsLink = entry.resolve("ns/net");
        // Cheap test first; the handle (which reads the start time) only for a match, and the
        // link read again after it, so that the handle is of the process that matched.
        if (!inodes.contains(inodeOrZero(nsLink))) {
          continue;
        }
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        long inode = inodeOrZero(nsLink);
        if (handle.isPresent() && inodes.contains(inode) && !spared.test(pid)) {
          found.accept(new ProcessInfo(pid, commandLine(entry), inode), handle.get());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + PROC, e);
    }
  }

  /**
   * Pids read from a {@code /proc} of another pid namespace (say, {@code unshare --pid} without
   * {@code --mount-proc}) would name other processes to this JVM's signals: refused.
   */
  private static void requireOwnPidNamespace(long self) {
    String seen;
    try {
      seen = Files.readSymbolicLink(PROC.resolve("self")).toString();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + PROC.resolve("self"), e);
    }
    if (!seen.equals(Long.toString(self))) {
      throw new IllegalStateException(
          PROC
              + " shows another pid namespace (it calls this JVM "
              + seen
              + ", not "
              + self
              + "), so processes left in the test's namespaces were not looked for nor killed;"
              + " mount a /proc of the JVM's own pid namespace");
    }
  }

  private static long pid(String name) {
    for (int i = 0; i < name.length(); i++) {
      if (!Character.isDigit(name.charAt(i))) {
        return -1;
      }
    }
    return name.isEmpty() ? -1 : Long.parseLong(name);
  }

  /** 0 for a process that exited (a zombie has no namespaces left) or that we may not inspect. */
  private static long inodeOrZero(Path nsLink) {
    try {
      return NamespaceInode.of(nsLink);
    } catch (UncheckedIOException e) {
      return 0;
    }
  }

  private static String commandLine(Path process) {
    try {
      byte[] raw = Files.readAllBytes(process.resolve("cmdline"));
      String line = new String(raw, StandardCharsets.UTF_8).replace('\0', ' ').trim();
      if (!line.isEmpty()) {
        return line;
      }
      return "[" + Files.readString(process.resolve("comm")).trim() + "]";
    } catch (IOException e) {
      return "?";
    }
  }
}
