package dev.netns.kernel;

import dev.netns.nativeaccess.LibC;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The one platform thread that creates and opens namespaces.
 *
 * <p>It steps into a new or existing namespace, takes what it needs from there (the namespace fd
 * and a netlink socket opened inside), and steps back into its home namespace before the next task.
 * Callers' own threads never change namespace, so no user or JUnit thread can be left in the wrong
 * one by a failure half-way.
 */
final class NamespaceFactory {
  private static final String NS_SELF = "/proc/thread-self/ns/net";

  private static ExecutorService executor = newExecutor();
  private static int homeFd = -1;
  private static long homeInode;

  private NamespaceFactory() {}

  private static ExecutorService newExecutor() {
    return Executors.newSingleThreadExecutor(
        task -> {
          Thread thread = new Thread(task, "netns-factory");
          thread.setDaemon(true);
          return thread;
        });
  }

  /** Runs {@code task} on the factory thread, which is in its home namespace before and after. */
  static <T> T call(Callable<T> task) {
    ExecutorService current;
    synchronized (NamespaceFactory.class) {
      current = executor;
    }
    Future<T> future = current.submit(task);
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the namespace factory", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw new IllegalStateException(cause);
    }
  }

  /** On the factory thread: the fd of its home namespace, opened once. */
  static int homeFd(LibC libc) {
    if (homeFd < 0) {
      homeFd = libc.open(NS_SELF, LibC.O_RDONLY | LibC.O_CLOEXEC);
      homeInode = NamespaceInode.ofCurrentThread();
    }
    return homeFd;
  }

  /**
   * On the factory thread: runs {@code inside} after {@code enter} moved the thread, then returns
   * home. If the way home fails the thread is abandoned and a fresh one takes over, so no later
   * task starts in a foreign namespace.
   */
  static <T> T visit(LibC libc, Runnable enter, Callable<T> inside) throws Exception {
    int home = homeFd(libc);
    enter.run();
    try {
      return inside.call();
    } finally {
      try {
        libc.setns(home, LibC.CLONE_NEWNET);
      } catch (RuntimeException e) {
        abandonCurrentThread();
        throw e;
      }
      if (NamespaceInode.ofCurrentThread() != homeInode) {
        abandonCurrentThread();
        throw new IllegalStateException("the namespace factory thread did not return home");
      }
    }
  }

  /** True on the factory thread itself. */
  static boolean isFactoryThread() {
    return Thread.currentThread().getName().equals("netns-factory");
  }

  static void abandonCurrentThread() {
    synchronized (NamespaceFactory.class) {
      executor.shutdown();
      executor = newExecutor();
    }
  }
}
