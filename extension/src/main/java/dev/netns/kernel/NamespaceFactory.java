package dev.netns.kernel;

import dev.netns.nativeaccess.LibC;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The one platform thread that creates and opens namespaces.
 *
 * <p>It steps into a new or existing namespace, takes what it needs from there (the namespace fd
 * and a netlink socket opened inside), and steps back into its home namespace before the next task.
 * Callers' own threads never change namespace, so no user or JUnit thread can be left in the wrong
 * one by a failure half-way.
 *
 * <p>Home is the process's own network namespace ({@code /proc/self/ns/net}, the main thread's),
 * pinned by a descriptor the first time it is needed. A new thread inherits the namespace of the
 * thread that starts it, and the pool starts its thread from whichever thread submits first, which
 * may be a namespace thread or the factory thread it replaces: so each factory thread enters home
 * itself before it serves, and every task checks that it runs at home.
 */
final class NamespaceFactory {
  private static final String NS_PROCESS = "/proc/self/ns/net";

  private static ThreadPoolExecutor executor = newExecutor();
  private static int homeFd = -1;
  private static long homeInode;

  private NamespaceFactory() {}

  private static ThreadPoolExecutor newExecutor() {
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>());
    pool.setThreadFactory(task -> new FactoryThread(task, pool));
    return pool;
  }

  /** Runs {@code task} on the factory thread, which is in its home namespace before and after. */
  static <T> T call(Callable<T> task) {
    Callable<T> atHome =
        () -> {
          verifyAtHome();
          return task.call();
        };
    Future<T> future;
    while (true) {
      ThreadPoolExecutor current;
      synchronized (NamespaceFactory.class) {
        current = executor;
      }
      try {
        future = current.submit(atHome);
        break;
      } catch (RejectedExecutionException e) {
        // Abandoned between our read and the submit: its successor takes the task.
      }
    }
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

  /** The fd of the process's own namespace, opened once. */
  static synchronized int homeFd(LibC libc) {
    if (homeFd < 0) {
      int fd = libc.open(NS_PROCESS, LibC.O_RDONLY | LibC.O_CLOEXEC);
      // Read from the descriptor's target, so that fd and inode name the same namespace.
      homeInode = NamespaceInode.of(java.nio.file.Path.of("/proc/self/fd/" + fd));
      homeFd = fd;
    }
    return homeFd;
  }

  private static synchronized long homeInode(LibC libc) {
    homeFd(libc);
    return homeInode;
  }

  /**
   * On the factory thread: runs {@code inside} after {@code enter} moved the thread, then returns
   * home. If the way home fails the thread is abandoned and a fresh one takes over, so no later
   * task starts in a foreign namespace.
   */
  static <T> T visit(LibC libc, Runnable enter, Callable<T> inside) throws Exception {
    int home = homeFd(libc);
    long inode = homeInode(libc);
    NamespaceInode.forgetCurrentThread();
    enter.run();
    try {
      return inside.call();
    } finally {
      NamespaceInode.forgetCurrentThread();
      try {
        libc.setns(home, LibC.CLONE_NEWNET);
      } catch (RuntimeException e) {
        abandonCurrentThread();
        throw e;
      }
      if (NamespaceInode.ofCurrentThread() != inode) {
        abandonCurrentThread();
        throw new IllegalStateException("the namespace factory thread did not return home");
      }
    }
  }

  /** True on a factory thread. */
  static boolean isFactoryThread() {
    return Thread.currentThread() instanceof FactoryThread;
  }

  /**
   * On a factory thread that is stuck outside home: hands its queue to a fresh thread and stops
   * this one as soon as its current task ends. Queued tasks move over rather than run here, in a
   * foreign namespace. Does nothing on other threads, or on a thread already abandoned.
   */
  static void abandonCurrentThread() {
    if (!(Thread.currentThread() instanceof FactoryThread current)) {
      return;
    }
    synchronized (NamespaceFactory.class) {
      if (current.pool != executor) {
        return;
      }
      List<Runnable> queued = current.pool.shutdownNow();
      // shutdownNow interrupts this thread too; its current task should end on its own terms.
      Thread.interrupted();
      executor = newExecutor();
      // The successor is started from this thread, in this thread's foreign namespace: it enters
      // home itself before it runs them.
      queued.forEach(executor::execute);
    }
  }

  /** Throws unless the calling factory thread is in the process's own namespace. */
  private static void verifyAtHome() {
    long home = homeInode(LibC.instance());
    long actual = NamespaceInode.ofCurrentThread();
    if (actual != home) {
      IllegalStateException failure =
          new IllegalStateException(
              "the namespace factory thread should be in the process's network namespace net:["
                  + home
                  + "] but is in net:["
                  + actual
                  + "]");
      if (Thread.currentThread() instanceof FactoryThread t && t.homeFailure != null) {
        failure.initCause(t.homeFailure);
      }
      throw failure;
    }
  }

  /** A factory thread, which enters the process's own namespace before it serves. */
  private static final class FactoryThread extends Thread {
    private final ThreadPoolExecutor pool;
    private RuntimeException homeFailure;

    FactoryThread(Runnable worker, ThreadPoolExecutor pool) {
      super(worker, "netns-factory");
      this.pool = pool;
      setDaemon(true);
    }

    @Override
    public void run() {
      try {
        LibC libc = LibC.instance();
        int home = homeFd(libc);
        // setns into the namespace it is already in can still be refused (inside a user
        // namespace that does not own it), so only when it has to move.
        if (NamespaceInode.ofCurrentThread() != homeInode(libc)) {
          NamespaceInode.forgetCurrentThread();
          libc.setns(home, LibC.CLONE_NEWNET);
        }
      } catch (RuntimeException e) {
        // Every task it is given then fails its check with this as the cause, instead of running
        // in the wrong namespace or hanging its caller.
        homeFailure = e;
      }
      super.run();
    }
  }
}
