package dev.netns.junit.internal;

import dev.netns.junit.NetNamespace;
import dev.netns.kernel.Failures;
import dev.netns.kernel.NamespaceBinding;
import dev.netns.kernel.NetworkNamespace;
import dev.netns.kernel.UserNamespaces;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The debugging aid behind {@code netns.bind=true}: each namespace bound under {@code /run/netns}
 * as {@code nj-PID-N-NAME}, so that {@code ip netns exec} reaches it while a test is paused.
 * Bindings carry this JVM's pid; at the first binding, those whose pid is dead are reaped, and no
 * other name under {@code /run/netns} is ever touched. The mount itself is {@link
 * NamespaceBinding}'s.
 */
final class NamespaceBindings implements AutoCloseable {
  private static final Path RUN_NETNS = Path.of("/run/netns");
  private static final Pattern OURS = Pattern.compile("nj-(\\d+)-\\d+-.*");
  private static final AtomicLong COUNTER = new AtomicLong();

  /**
   * The longest namespace name a binding can carry: a file name holds {@link
   * NamespaceBinding#NAME_MAX} bytes, of which {@code nj-PID-N-} takes up to 31 (a pid of up to 7
   * digits, the most {@code pid_max} allows, and a counter of up to 19).
   */
  static final int MAX_NAME_BYTES = NamespaceBinding.NAME_MAX - "nj-".length() - 7 - 1 - 19 - 1;

  private static volatile boolean reaped;

  private final List<Path> bound;

  private NamespaceBindings(List<Path> bound) {
    this.bound = bound;
  }

  static NamespaceBindings none() {
    return new NamespaceBindings(List.of());
  }

  /**
   * Why this JVM cannot bind namespaces, known before anything is made; empty when it may. A JVM
   * inside a user namespace that does not own its mount namespace (as under the rootless launcher)
   * may not mount anything.
   */
  static Optional<String> refusedHere() {
    if (!UserNamespaces.insideUserNamespace() || NamespaceBinding.mayMount()) {
      return Optional.empty();
    }
    return Optional.of(
        NetNamespace.BIND_PROPERTY_NAME
            + "=true cannot work in this JVM: it runs inside a user namespace (as under the"
            + " rootless launcher) that may not mount anything, so it cannot bind namespaces under "
            + RUN_NETNS
            + ". Leave "
            + NetNamespace.BIND_PROPERTY_NAME
            + " unset for this run; to look inside a namespace, enter it with nsenter (see"
            + " docs/getting-started.md).");
  }

  /**
   * Why namespace {@code name} cannot be bound, checked before anything is built; empty when it
   * can.
   */
  static Optional<String> nameProblem(String name) {
    int length = fileNamePart(name).length();
    if (length <= MAX_NAME_BYTES) {
      return Optional.empty();
    }
    return Optional.of(
        "namespace \""
            + (name.length() > 40 ? name.substring(0, 40) + "…" : name)
            + "\" has a name of "
            + length
            + " characters, too long for "
            + NetNamespace.BIND_PROPERTY_NAME
            + "=true, which binds it as "
            + RUN_NETNS
            + "/nj-PID-N-NAME: use a name of at most "
            + MAX_NAME_BYTES
            + " characters, or leave "
            + NetNamespace.BIND_PROPERTY_NAME
            + " unset");
  }

  /** The name as it appears in a file name: characters other than these become '_'. */
  private static String fileNamePart(String name) {
    return name.replaceAll("[^A-Za-z0-9_.-]", "_");
  }

  /** Binds every namespace; on failure unbinds those already bound. */
  static NamespaceBindings bind(Map<String, NetworkNamespace> namespaces) throws IOException {
    reapDeadOnce();
    Files.createDirectories(RUN_NETNS);
    long pid = ProcessHandle.current().pid();
    List<Path> bound = new ArrayList<>();
    NamespaceBindings bindings = new NamespaceBindings(bound);
    try {
      for (NetworkNamespace ns : namespaces.values()) {
        Path target =
            RUN_NETNS.resolve(
                "nj-" + pid + "-" + COUNTER.incrementAndGet() + "-" + fileNamePart(ns.name()));
        NamespaceBinding.bind(ns, target);
        bound.add(target);
      }
      return bindings;
    } catch (IOException | RuntimeException e) {
      try {
        bindings.close();
      } catch (RuntimeException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  /** The paths bound, for messages that tell a person how to enter. */
  List<Path> paths() {
    return List.copyOf(bound);
  }

  @Override
  public void close() {
    unbind(bound);
  }

  private static void unbind(List<Path> paths) {
    Failures failures = new Failures();
    for (Path path : paths) {
      failures.run(
          () -> {
            try {
              NamespaceBinding.unbind(path);
            } catch (IOException | RuntimeException e) {
              throw new IllegalStateException("cannot remove " + path, e);
            }
          });
    }
    failures.throwIfAny();
  }

  /**
   * Removes the bindings of JVMs that died (a binding outlives a killed JVM and keeps its namespace
   * alive), once per JVM, whether or not this JVM binds. Never throws.
   */
  static void reapDeadBindings() {
    try {
      reapDeadOnce();
    } catch (IOException | RuntimeException | LinkageError e) {
      // Nothing to reap, or not allowed to: the tests themselves do not depend on it.
    }
  }

  private static synchronized void reapDeadOnce() throws IOException {
    if (reaped || !Files.isDirectory(RUN_NETNS)) {
      reaped = true;
      return;
    }
    List<Path> dead = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(RUN_NETNS)) {
      for (Path entry : entries) {
        Matcher m = OURS.matcher(entry.getFileName().toString());
        if (m.matches() && ProcessHandle.of(Long.parseLong(m.group(1))).isEmpty()) {
          dead.add(entry);
        }
      }
    }
    unbind(dead);
    reaped = true;
  }
}
