package dev.netns.kernel;

import dev.netns.nativeaccess.LibC;
import java.lang.reflect.Method;

/**
 * The network namespace a thread was in before it stepped into new ones, and the way back.
 *
 * <pre>{@code
 * try (Home home = Home.ofCurrentThread(libc)) {
 *   libc.unshare(LibC.CLONE_NEWNET);
 *   try { ... } finally { home.returnTo(); }
 * }
 * }</pre>
 */
final class Home implements AutoCloseable {
  private static final Method IS_VIRTUAL = isVirtualMethod();

  private final LibC libc;
  private final int fd;
  private final long inode;

  private Home(LibC libc, int fd, long inode) {
    this.libc = libc;
    this.fd = fd;
    this.inode = inode;
  }

  /** Remembers where the calling thread is. */
  static Home ofCurrentThread(LibC libc) {
    int fd = libc.open(NamespaceInode.THREAD_SELF_LINK, LibC.O_RDONLY | LibC.O_CLOEXEC);
    try {
      return new Home(libc, fd, NamespaceInode.ofCurrentThread());
    } catch (RuntimeException e) {
      libc.close(fd);
      throw e;
    }
  }

  /**
   * Moves the calling thread back and checks it arrived. A thread that cannot get back is reported
   * loudly; the factory thread is replaced, so that no later task starts elsewhere.
   */
  void returnTo() {
    NamespaceInode.forgetCurrentThread();
    try {
      libc.setns(fd, LibC.CLONE_NEWNET);
    } catch (RuntimeException e) {
      stuck(e);
    }
    if (NamespaceInode.ofCurrentThread() != inode) {
      stuck(null);
    }
  }

  private void stuck(RuntimeException cause) {
    if (NamespaceFactory.isFactoryThread()) {
      NamespaceFactory.abandonCurrentThread();
    }
    if (cause != null) {
      throw cause; // for example setns(...) failed: EPERM, which callers explain
    }
    throw new IllegalStateException(
        "thread "
            + Thread.currentThread().getName()
            + " could not return to its network namespace net:["
            + inode
            + "]",
        cause);
  }

  private static volatile boolean wayBackProven;

  /** Records that a thread of this process stepped into a new namespace and back. */
  static void wayBackProven() {
    wayBackProven = true;
  }

  /**
   * True when {@code thread} may step into new namespaces itself. Not before the factory thread has
   * shown that the way back works here (inside a user namespace that does not own the process's
   * network namespace, it does not: the factory thread takes that risk, never a caller's thread),
   * and never for virtual threads, which would move their carrier thread.
   */
  static boolean mayLeave(Thread thread) {
    if (!wayBackProven) {
      return false;
    }
    return !isVirtual(thread);
  }

  /** True for a virtual thread, whose namespace is that of whichever carrier it runs on. */
  static boolean isVirtual(Thread thread) {
    if (IS_VIRTUAL == null) {
      return false;
    }
    try {
      return (Boolean) IS_VIRTUAL.invoke(thread);
    } catch (ReflectiveOperationException e) {
      return true;
    }
  }

  private static Method isVirtualMethod() {
    try {
      return Thread.class.getMethod("isVirtual"); // Java 21 and later
    } catch (NoSuchMethodException e) {
      return null;
    }
  }

  @Override
  public void close() {
    libc.close(fd);
  }
}
