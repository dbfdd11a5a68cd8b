package dev.netns.kernel;

import dev.netns.nativeaccess.LibC;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A process and its descendants (as {@link ProcessHandle#descendants()} sees them: children of
 * children, not orphans reparented away), frozen, resumed or killed as one.
 *
 * <p>A tree is killed by freezing it first: SIGSTOP to every member, again for members that
 * appeared meanwhile, until every member is stopped and no new one appears; then SIGKILL to all.
 * Killing the root first would orphan its children out of reach, and a member still running could
 * fork a new one after the snapshot.
 *
 * <pre>{@code
 * List<ProcessHandle> frozen = ProcessTree.stop(process.toHandle());
 * ProcessTree.signal(frozen, ProcessSignal.SIGCONT);
 * ProcessTree.kill(process.toHandle());
 * }</pre>
 */
public final class ProcessTree {
  private static final Duration FREEZE_WITHIN = Duration.ofSeconds(5);

  private ProcessTree() {}

  /** The root and its descendants now, root first. */
  public static List<ProcessHandle> of(ProcessHandle root) {
    List<ProcessHandle> tree = new ArrayList<>();
    tree.add(root);
    // The JDK finds descendants by the root's pid as the process table has it now: once the root
    // has exited, a process that took its pid would lend it its children. Alive before and after
    // the walk, the pid was the root's throughout.
    if (root.isAlive()) {
      List<ProcessHandle> descendants = root.descendants().toList();
      if (root.isAlive()) {
        tree.addAll(descendants);
      }
    }
    return tree;
  }

  /**
   * Stops (SIGSTOP) the root and every descendant, until all are stopped and none appears; returns
   * them, root first.
   *
   * @throws IllegalStateException if the tree keeps changing or running for 5 s
   */
  public static List<ProcessHandle> stop(ProcessHandle root) {
    Set<ProcessHandle> stopped = new LinkedHashSet<>();
    if (!freeze(root, stopped)) {
      throw new IllegalStateException(
          "process tree of pid "
              + root.pid()
              + " did not stop within "
              + FREEZE_WITHIN.toMillis()
              + " ms of SIGSTOP: "
              + stopped.stream()
                  .map(p -> p.pid() + " " + state(p.pid()))
                  .collect(Collectors.joining(", ")));
    }
    return List.copyOf(stopped);
  }

  /**
   * Stops the tree, then kills (SIGKILL) every member; returns them, root first. A member that
   * would not stop in time (in uninterruptible sleep, say) is killed all the same: SIGKILL takes it
   * as soon as it wakes.
   */
  public static List<ProcessHandle> kill(ProcessHandle root) {
    Set<ProcessHandle> members = new LinkedHashSet<>();
    try {
      freeze(root, members);
    } finally {
      // Whatever stopped the freeze (a signal refused), what it stopped is killed, not left frozen.
      members.addAll(of(root));
      signal(members, ProcessSignal.SIGKILL);
    }
    return List.copyOf(members);
  }

  /**
   * SIGSTOP to the root and every descendant into {@code stopped}, again for members that appear,
   * until all are stopped and none appears (true), or 5 s passed (false).
   */
  private static boolean freeze(ProcessHandle root, Set<ProcessHandle> stopped) {
    long deadline = System.nanoTime() + FREEZE_WITHIN.toNanos();
    boolean interrupted = false;
    try {
      while (true) {
        boolean grew = false;
        for (ProcessHandle member : of(root)) {
          if (stopped.add(member)) {
            ProcessSignal.SIGSTOP.send(member);
            grew = true;
          }
        }
        if (!grew && stopped.stream().allMatch(ProcessTree::stoppedOrGone)) {
          return true;
        }
        if (System.nanoTime() > deadline) {
          return false;
        }
        interrupted |= pause();
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Sends {@code signal} to each of {@code members} still alive. */
  public static void signal(Collection<ProcessHandle> members, ProcessSignal signal) {
    Failures failures = new Failures();
    for (ProcessHandle member : members) {
      failures.run(() -> signal.send(member));
    }
    failures.throwIfAny();
  }

  /**
   * Waits until every one of {@code members} has exited (a zombie counts as exited: it holds no
   * memory, namespace or port, and only its parent can reap it).
   *
   * @throws IllegalStateException naming those still running after {@code within}
   */
  public static void awaitExited(Collection<ProcessHandle> members, Duration within) {
    long deadline = System.nanoTime() + within.toNanos();
    while (true) {
      List<ProcessHandle> running = members.stream().filter(p -> !exited(p)).toList();
      if (running.isEmpty()) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "still running after "
                + within.toMillis()
                + " ms: "
                + running.stream()
                    .map(p -> "pid " + p.pid() + " (" + state(p.pid()) + ")")
                    .collect(Collectors.joining(", ")));
      }
      if (pause()) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for a process tree to exit");
      }
    }
  }

  /** True once the process has exited: gone, or a zombie. */
  public static boolean exited(ProcessHandle process) {
    return !process.isAlive() || state(process.pid()) == 'Z';
  }

  /**
   * Stopped, gone, or asleep in the kernel with the stop pending: a process in uninterruptible
   * sleep ('D') runs none of its own code again before it takes the pending SIGSTOP on its way out
   * of the kernel (at most its current call completes). That is how a shell waits for good when the
   * SIGSTOP caught its vfork child before the child's exec: {@code vfork} waits killable, which no
   * stop signal ends, until the stopped child runs again (the cgroup v2 freezer counts such a
   * parent frozen too).
   */
  private static boolean stoppedOrGone(ProcessHandle process) {
    char state = state(process.pid());
    return !process.isAlive()
        || state == 'T'
        || state == 'Z'
        || state == '?'
        || (state == 'D' && stopPending(process.pid()));
  }

  /** Whether SIGSTOP is pending for the process (its own or its thread group's pending set). */
  static boolean stopPending(long pid) {
    long bit = 1L << (LibC.SIGSTOP - 1);
    try {
      for (String line :
          Files.readAllLines(
              Path.of("/proc", Long.toString(pid), "status"), StandardCharsets.UTF_8)) {
        if (line.startsWith("SigPnd:") || line.startsWith("ShdPnd:")) {
          if ((Long.parseUnsignedLong(line.substring(7).trim(), 16) & bit) != 0) {
            return true;
          }
        }
      }
      return false;
    } catch (IOException | NumberFormatException e) {
      return false;
    }
  }

  /** The state letter of {@code /proc/PID/stat} (R, S, D, T, Z...), or '?' when gone. */
  static char state(long pid) {
    try {
      String stat =
          new String(
              Files.readAllBytes(Path.of("/proc", Long.toString(pid), "stat")),
              StandardCharsets.UTF_8);
      // "pid (comm) S ...": comm may hold spaces and parentheses; the state follows the last ')'.
      int end = stat.lastIndexOf(')');
      return end >= 0 && end + 2 < stat.length() ? stat.charAt(end + 2) : '?';
    } catch (IOException e) {
      return '?';
    }
  }

  /**
   * Sleeps 2 ms; true when interrupted. An interrupt does not cut a freeze short (that would leave
   * the tree stopped): the freeze goes on and sets the interrupt again at its end.
   */
  private static boolean pause() {
    try {
      Thread.sleep(2);
      return false;
    } catch (InterruptedException e) {
      return true;
    }
  }
}
