package dev.netns.kernel;

import java.io.File;
import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * A shell inside a created network namespace that kills every process in that namespace once this
 * JVM is gone, even after {@code kill -9}, when no teardown runs.
 *
 * <p>Processes started inside a namespace keep it alive, with every device in it, for as long as
 * they run, and a daemon (double fork, new session) is nobody's descendant any more; only its
 * namespace still names it. So the watch is by namespace, from inside: {@code /bin/sh}, which every
 * machine has, started from a thread inside the namespace (so it is in the namespace too, and holds
 * it: the inode it compares with cannot be handed to another namespace while it runs). It ignores
 * INT, TERM and HUP, and reads its standard input, a pipe whose only writer is this JVM. End of
 * file means the JVM died (or let go of the pipe): it then sends SIGKILL to every process whose
 * {@code /proc/PID/ns/net} is its own namespace, itself excepted, and scans again until a scan
 * finds none (a process may fork while it is being killed), then exits. Only shell builtins run
 * ({@code read}, {@code [}, {@code kill}): no command substitution or pipe, which would fork a
 * shell that the scan would find.
 *
 * <p>Two guards make it refuse to start (it exits at once) in a namespace it must never sweep: the
 * namespace of pid 1 (the machine's) and the namespace of this JVM's main thread. The library never
 * starts one there anyway ({@link NetworkNamespace#watchProcesses()} is a no-op for namespaces it
 * did not create).
 *
 * <p>The JDK closes every descriptor but the three standard ones in a child, so the watchdog holds
 * no socket, namespace or file of this JVM; its output goes to {@code /dev/null}, its working
 * directory is {@code /} (no mount kept busy) and its environment is empty (no {@code LD_PRELOAD}
 * of the user's reaches it). At normal teardown it is killed with the rest, after them: see {@link
 * NamespaceProcesses}, which never reports it as left behind.
 *
 * <pre>{@code
 * NetworkNamespace blue = NetworkNamespace.create("blue");
 * blue.watchProcesses();              // before the first process started inside
 * Process sleep = blue.call(() -> sleepBuilder.start());
 * }</pre>
 */
final class NamespaceWatchdog implements AutoCloseable {
  static final String SHELL = "/bin/sh";

  /** The name the shell runs under ({@code $0}): what {@code ps} shows after the script. */
  static final String NAME = "netns-junit-watchdog";

  /**
   * {@code $1} is this JVM's pid. Rounds are bounded: a process stuck in uninterruptible sleep
   * ignores SIGKILL until it wakes, and the shell has no sleep of its own to wait with.
   */
  static final String SCRIPT =
      """
      trap '' INT TERM HUP
      me=/proc/$$/ns/net
      if [ "$me" -ef /proc/1/ns/net ] || [ "$me" -ef "/proc/$1/ns/net" ]; then exit 2; fi
      while read -r _; do :; done
      rounds=0
      while [ "$rounds" -lt 5000 ]; do
        rounds=$((rounds + 1))
        found=
        for p in /proc/[0-9]*; do
          if [ "$p" != "/proc/$$" ] && [ "$p/ns/net" -ef "$me" ]; then
            kill -9 "${p#/proc/}" 2>/dev/null
            found=1
          fi
        done
        if [ -z "$found" ]; then exit 0; fi
      done
      exit 1
      """;

  private static final long STOP_WAIT_SECONDS = 5;

  private final String namespace;
  private final Process process;

  private NamespaceWatchdog(String namespace, Process process) {
    this.namespace = namespace;
    this.process = process;
  }

  /**
   * Starts the watchdog from the calling thread, which must be inside the namespace to watch (the
   * child is cloned from it, into its namespaces).
   */
  static NamespaceWatchdog startHere(String namespace) throws IOException {
    ProcessBuilder builder =
        new ProcessBuilder(SHELL, "-c", SCRIPT, NAME, Long.toString(ProcessHandle.current().pid()))
            .directory(new File("/"))
            .redirectInput(ProcessBuilder.Redirect.PIPE)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(ProcessBuilder.Redirect.DISCARD);
    builder.environment().clear();
    try {
      return new NamespaceWatchdog(namespace, builder.start());
    } catch (IOException e) {
      throw new IOException(
          "cannot start "
              + SHELL
              + " as the watchdog of namespace "
              + namespace
              + ", which kills the processes inside if this JVM dies: "
              + e.getMessage(),
          e);
    }
  }

  /** True if {@code pid} is this watchdog, while it runs (a pid is not reused before it is). */
  boolean is(long pid) {
    return pid == process.pid() && process.isAlive();
  }

  /** The watchdog's process, for tests in this package. */
  Process process() {
    return process;
  }

  /**
   * Kills the watchdog (SIGKILL) without the sweep it would make on end of file, which is the
   * teardown's job, and waits until it is reaped, so that it no longer holds the namespace.
   * Idempotent.
   */
  @Override
  public void close() {
    process.destroyForcibly();
    try {
      if (!process.waitFor(STOP_WAIT_SECONDS, TimeUnit.SECONDS)) {
        throw new IllegalStateException(
            "the watchdog of namespace "
                + namespace
                + " (pid "
                + process.pid()
                + ") survived SIGKILL for "
                + STOP_WAIT_SECONDS
                + " s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      try {
        process.getOutputStream().close();
      } catch (IOException e) {
        // The pipe is gone with its reader; nothing to release.
      }
    }
  }

  @Override
  public String toString() {
    return "watchdog of " + namespace + " (pid " + process.pid() + ")";
  }
}
