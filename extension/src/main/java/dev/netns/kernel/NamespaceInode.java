package dev.netns.kernel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Identifies network namespaces by inode number, as {@code /proc/<pid>/task/<tid>/ns/net} links
 * show them ({@code net:[4026531840]}).
 */
public final class NamespaceInode {
  /**
   * The calling thread's own {@code ns/net} link ({@code /proc/self} would be the main thread's).
   */
  static final String THREAD_SELF_LINK = "/proc/thread-self/ns/net";

  private static final Path THREAD_SELF = Path.of(THREAD_SELF_LINK);
  private static final ThreadLocal<Long> REMEMBERED = new ThreadLocal<>();

  private NamespaceInode() {}

  /** The inode of the calling thread's network namespace (not the process's main thread's). */
  public static long ofCurrentThread() {
    return of(THREAD_SELF);
  }

  /**
   * As {@link #ofCurrentThread}, read once per thread and then remembered, for a decision taken on
   * every {@code call} from outside a namespace, where the {@code readlink} would cost about as
   * much as the hand-off itself. Only this package moves threads between namespaces, and it calls
   * {@link #forgetCurrentThread} whenever it does. Not inherited by new threads: a thread starts in
   * the namespace of the thread that starts it, not of the one that constructed it.
   */
  static long ofCurrentThreadRemembered() {
    Long known = REMEMBERED.get();
    if (known == null) {
      known = ofCurrentThread();
      REMEMBERED.set(known);
    }
    return known;
  }

  /** Called by code that moves the calling thread to another namespace (setns, unshare). */
  static void forgetCurrentThread() {
    REMEMBERED.remove();
  }

  /** The inode of the namespace a {@code ns/net} link points at. */
  public static long of(Path nsLink) {
    try {
      return parse(Files.readSymbolicLink(nsLink).toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + nsLink, e);
    }
  }

  static long parse(String target) {
    int open = target.indexOf('[');
    int close = target.indexOf(']');
    if (!target.startsWith("net:") || open < 0 || close < open) {
      throw new IllegalArgumentException("not a network namespace link: " + target);
    }
    return Long.parseLong(target.substring(open + 1, close));
  }
}
