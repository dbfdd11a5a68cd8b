package dev.netns.kernel;

import dev.netns.nativeaccess.Errno;
import dev.netns.nativeaccess.KernelException;
import dev.netns.netlink.QdiscRequests;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What this process may do and what this kernel has: namespaces, link kinds, qdiscs.
 *
 * <p>Probes run once per JVM, in throwaway namespaces, and are cached.
 *
 * <pre>{@code
 * Capabilities.namespaceProblem().ifPresent(reason -> abort(reason));
 * boolean netem = Capabilities.hasQdisc("netem");   // false on kernels without sch_netem
 * }</pre>
 */
public final class Capabilities {
  private static volatile Optional<String> namespaceProblem;
  private static final Map<String, Boolean> QDISCS = new ConcurrentHashMap<>();

  private Capabilities() {}

  /**
   * Empty when this process can create network namespaces; otherwise what is missing and how to get
   * it.
   */
  public static Optional<String> namespaceProblem() {
    Optional<String> result = namespaceProblem;
    if (result == null) {
      synchronized (Capabilities.class) {
        result = namespaceProblem;
        if (result == null) {
          result = probeNamespaces();
          namespaceProblem = result;
        }
      }
    }
    return result;
  }

  private static Optional<String> probeNamespaces() {
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    if (!os.contains("linux")) {
      return Optional.of(
          "network namespaces need Linux; this JVM runs on " + System.getProperty("os.name"));
    }
    try (NetworkNamespace probe = NetworkNamespace.create("probe")) {
      Links.createVeth(probe, "probe0", probe, "probe1");
      return Optional.empty();
    } catch (KernelException e) {
      return Optional.of(explain(e));
    } catch (RuntimeException | LinkageError e) {
      return Optional.of("cannot reach the kernel through JNA: " + e);
    }
  }

  private static String explain(KernelException e) {
    if (e.errno() == Errno.EPERM) {
      String who =
          effectiveCapabilities()
              .filter(caps -> !UserNamespaces.hasCapSysAdmin(caps))
              .map(
                  caps ->
                      "root".equals(System.getProperty("user.name"))
                          ? " This process runs as root but without CAP_SYS_ADMIN (CapEff="
                              + caps
                              + "), as in a container that drops capabilities."
                          : "")
              .orElse("");
      return "creating a network namespace was refused ("
          + e.getMessage()
          + ")."
          + who
          + " Run the tests as root with CAP_SYS_ADMIN and CAP_NET_ADMIN, or start the test JVM"
          + " inside a user and network namespace (see docs/getting-started.md)."
          + UserNamespaces.explainRefusal(e);
    }
    if (e.errno() == Errno.ENOSPC) {
      return "cannot create a network namespace: "
          + e.getMessage()
          + "."
          + UserNamespaces.explainLimit();
    }
    if (e.errno() == Errno.ENOTSUP || e.errno() == Errno.EINVAL || e.errno() == Errno.ENOSYS) {
      return "this kernel does not support what network namespaces need (" + e.getMessage() + ")";
    }
    return "cannot create a network namespace: " + e.getMessage();
  }

  private static Optional<String> effectiveCapabilities() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("CapEff:")) {
          return Optional.of(line.substring(7).trim());
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux, or /proc unreadable: say nothing about it
    }
    return Optional.empty();
  }

  /**
   * True when the kernel has the queueing discipline {@code kind} (for example {@code tbf}, {@code
   * htb}, {@code netem}). Probed on a throwaway namespace's loopback: an unknown kind answers
   * ENOENT, a known one accepts or rejects the empty options.
   */
  public static boolean hasQdisc(String kind) {
    return QDISCS.computeIfAbsent(kind, Capabilities::probeQdisc);
  }

  private static boolean probeQdisc(String kind) {
    try (NetworkNamespace probe = NetworkNamespace.create("probe-" + kind)) {
      try {
        probe.netlink().execute(QdiscRequests.addRoot(1, kind, null));
        return true;
      } catch (KernelException e) {
        return e.errno() != Errno.ENOENT;
      }
    }
  }
}
