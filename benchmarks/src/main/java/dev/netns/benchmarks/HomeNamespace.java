package dev.netns.benchmarks;

import dev.netns.kernel.NamespaceInode;
import dev.netns.nativeaccess.LibC;
import java.nio.file.Path;

/**
 * The network namespace a benchmark thread started in, held open so that the floor benchmarks can
 * step into new namespaces with {@code unshare} and come back with {@code setns}.
 *
 * <p>Only the thread that opened it may use it: a JMH benchmark thread is a platform thread, and
 * {@code unshare}/{@code setns} move that one thread only. Every return is verified against the
 * inode read when it was opened, so a benchmark can never go on measuring from a foreign namespace.
 *
 * <pre>{@code
 * HomeNamespace home = HomeNamespace.ofCurrentThread();   // in @Setup, on the benchmark thread
 * libc.unshare(LibC.CLONE_NEWNET);
 * try { fd = libc.open(HomeNamespace.THREAD_SELF, LibC.O_RDONLY | LibC.O_CLOEXEC); }
 * finally { home.returnHome(); }
 * }</pre>
 */
final class HomeNamespace implements AutoCloseable {
  /** The calling thread's own namespace file (not the main thread's, as /proc/self would be). */
  static final String THREAD_SELF = "/proc/thread-self/ns/net";

  private final LibC libc;
  private final Thread owner;
  private final int fd;
  private final long inode;

  private HomeNamespace(LibC libc, Thread owner, int fd, long inode) {
    this.libc = libc;
    this.owner = owner;
    this.fd = fd;
    this.inode = inode;
  }

  /**
   * Opens the calling thread's namespace, which must be the process's own: a thread that starts out
   * somewhere else was left there by something, and measuring from it would be wrong.
   */
  static HomeNamespace ofCurrentThread() {
    LibC libc = LibC.instance();
    long process = NamespaceInode.of(Path.of("/proc/self/ns/net"));
    long thread = NamespaceInode.ofCurrentThread();
    if (thread != process) {
      throw new IllegalStateException(
          "benchmark thread "
              + Thread.currentThread().getName()
              + " starts in net:["
              + thread
              + "], not in the process's net:["
              + process
              + "]");
    }
    int fd = libc.open(THREAD_SELF, LibC.O_RDONLY | LibC.O_CLOEXEC);
    return new HomeNamespace(libc, Thread.currentThread(), fd, thread);
  }

  /** Moves the calling thread into a new, empty network namespace. */
  void enterNew() {
    checkOwner();
    libc.unshare(LibC.CLONE_NEWNET);
  }

  /** Moves the calling thread into the namespace of {@code nsFd}. */
  void enter(int nsFd) {
    checkOwner();
    libc.setns(nsFd, LibC.CLONE_NEWNET);
  }

  /** Opens a descriptor on the namespace the calling thread is in now. */
  int openCurrent() {
    return libc.open(THREAD_SELF, LibC.O_RDONLY | LibC.O_CLOEXEC);
  }

  /** Moves the calling thread back home, and checks that it got there. */
  void returnHome() {
    checkOwner();
    libc.setns(fd, LibC.CLONE_NEWNET);
    verifyHome();
  }

  /** Throws unless the calling thread is in its home namespace. */
  void verifyHome() {
    long now = NamespaceInode.ofCurrentThread();
    if (now != inode) {
      throw new IllegalStateException(
          "benchmark thread "
              + Thread.currentThread().getName()
              + " is in net:["
              + now
              + "] instead of its home net:["
              + inode
              + "]");
    }
  }

  private void checkOwner() {
    if (Thread.currentThread() != owner) {
      throw new IllegalStateException(
          "home namespace of "
              + owner.getName()
              + " used from thread "
              + Thread.currentThread().getName());
    }
  }

  @Override
  public void close() {
    verifyHome();
    libc.close(fd);
  }
}
