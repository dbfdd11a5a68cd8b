package dev.netns.junit.internal;

import java.net.BindException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A one-line hint for the commonest mistake with namespaces: a socket made on the test's own
 * thread, which lives in the machine's network namespace, where the test's addresses do not exist.
 * The kernel then answers with an error that looks like a wrong address ({@code Network is
 * unreachable}, {@code Cannot assign requested address}) or a busy port, and nothing says why.
 *
 * <p>The hint is given only when a network error of the failure was raised on the test's own
 * thread: its stack runs down into the JUnit engine and through no namespace thread. Code on
 * namespace threads ({@code ns.call}, executors, {@code @InNamespace} bodies) never gets it, and
 * neither does code on threads of the test's own making, whose namespace cannot be told from a
 * stack.
 */
final class ThreadHint {
  /** The frame at the bottom of every namespace thread the library starts. */
  private static final String NAMESPACE_THREAD =
      "dev.netns.kernel.NetworkNamespace$NamespaceThread";

  private static final String ENGINE_PACKAGE = "org.junit.platform.engine.";

  private ThreadHint() {}

  /**
   * The hint for {@code failure}, or empty when none of its network errors came from the test's own
   * thread.
   *
   * @param namespaces the test's namespaces, declared order, for the text
   */
  static Optional<String> of(Throwable failure, List<String> namespaces) {
    if (namespaces.isEmpty()) {
      return Optional.empty();
    }
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Throwable t = failure; t != null && seen.add(t); t = t.getCause()) {
      if (isNetworkError(t) && ranOnTheTestThread(t)) {
        return Optional.of(text(t, namespaces));
      }
    }
    return Optional.empty();
  }

  private static boolean isNetworkError(Throwable t) {
    return t instanceof BindException
        || t instanceof ConnectException
        || t instanceof NoRouteToHostException
        || t instanceof SocketTimeoutException
        || (t instanceof SocketException
            && t.getMessage() != null
            && (t.getMessage().contains("Network is unreachable")
                || t.getMessage().contains("Cannot assign requested address")));
  }

  private static boolean ranOnTheTestThread(Throwable t) {
    boolean engine = false;
    for (StackTraceElement frame : t.getStackTrace()) {
      if (frame.getClassName().equals(NAMESPACE_THREAD)) {
        return false;
      }
      engine |= frame.getClassName().startsWith(ENGINE_PACKAGE);
    }
    return engine;
  }

  private static String text(Throwable t, List<String> namespaces) {
    String first = namespaces.get(0);
    String message = t.getMessage() == null ? "" : " (" + t.getMessage() + ")";
    return "netns hint: this "
        + t.getClass().getSimpleName()
        + message
        + " was raised on the test's own thread, which is in the machine's network namespace,"
        + " not in one of the test's ("
        + String.join(", ", namespaces)
        + "). Make and use sockets inside a namespace: "
        + first
        + ".call(() -> ...), "
        + first
        + ".socketFactory(), or @InNamespace(\""
        + first
        + "\") on the test method (docs/threads-and-sockets.md).";
  }

  /** Carries the hint in the failure's report, as a suppressed exception without a stack. */
  static final class Hint extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Hint(String message) {
      super(message, null, false, false);
    }
  }
}
