package dev.netns.junit.internal;

import dev.netns.junit.NetNamespace;
import dev.netns.kernel.NetworkNamespace;
import dev.netns.kernel.UserNamespaces;
import dev.netns.nativeaccess.Errno;
import dev.netns.nativeaccess.KernelException;
import dev.netns.nativeaccess.LibC;
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
 * other name under {@code /run/netns} is ever touched.
 */
final class NamespaceBindings implements AutoCloseable {
  private static final Path RUN_NETNS = Path.of("/run/netns");
  private static final Pattern OURS = Pattern.compile("nj-(\\d+)-\\d+-.*");
  private static final AtomicLong COUNTER = new AtomicLong();
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
   * may not mount anything: asked to unmount a file it just made, which is no mount point, the
   * kernel answers EPERM before it looks, where a JVM that may mount gets EINVAL.
   */
  static Optional<String> refusedHere() {
    if (!UserNamespaces.insideUserNamespace() || mayMount()) {
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

  private static boolean mayMount() {
    Path probe = null;
    try {
      probe = Files.createTempFile("netns-junit-mount-probe", "");
      LibC.instance().umount2(probe.toString(), 0);
      return true;
    } catch (KernelException e) {
      return e.errno() != Errno.EPERM;
    } catch (IOException e) {
      return true; // no probe: let binding try and report what fails
    } finally {
      if (probe != null) {
        try {
          Files.deleteIfExists(probe);
        } catch (IOException e) {
          // a stray empty file in the temp directory
        }
      }
    }
  }

  /** Binds every namespace; on failure unbinds those already bound. */
  static NamespaceBindings bind(Map<String, NetworkNamespace> namespaces) throws IOException {
    LibC libc = LibC.instance();
    reapDeadOnce(libc);
    Files.createDirectories(RUN_NETNS);
    long pid = ProcessHandle.current().pid();
    List<Path> bound = new ArrayList<>();
    NamespaceBindings bindings = new NamespaceBindings(bound);
    try {
      for (NetworkNamespace ns : namespaces.values()) {
        String safe = ns.name().replaceAll("[^A-Za-z0-9_.-]", "_");
        Path target = RUN_NETNS.resolve("nj-" + pid + "-" + COUNTER.incrementAndGet() + "-" + safe);
        Files.createFile(target);
        bound.add(target);
        libc.bindMount("/proc/" + pid + "/fd/" + ns.fd(), target.toString());
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
    unbind(LibC.instance(), bound);
  }

  private static void unbind(LibC libc, List<Path> paths) {
    RuntimeException failure = null;
    for (Path path : paths) {
      try {
        try {
          libc.umount2(path.toString(), LibC.MNT_DETACH);
        } catch (RuntimeException notMounted) {
          // created but never mounted: only the file is left
        }
        Files.deleteIfExists(path);
      } catch (IOException | RuntimeException e) {
        RuntimeException wrapped = new IllegalStateException("cannot remove " + path, e);
        if (failure == null) {
          failure = wrapped;
        } else {
          failure.addSuppressed(wrapped);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  /**
   * Removes the bindings of JVMs that died (a binding outlives a killed JVM and keeps its namespace
   * alive), once per JVM, whether or not this JVM binds. Never throws.
   */
  static void reapDeadBindings() {
    try {
      reapDeadOnce(LibC.instance());
    } catch (IOException | RuntimeException | LinkageError e) {
      // Nothing to reap, or not allowed to: the tests themselves do not depend on it.
    }
  }

  private static synchronized void reapDeadOnce(LibC libc) throws IOException {
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
    unbind(libc, dead);
    reaped = true;
  }
}
