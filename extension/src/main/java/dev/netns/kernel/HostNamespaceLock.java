package dev.netns.kernel;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Changes to the machine's own network namespace, one at a time for every process on the machine.
 *
 * <p>A test that puts an address on the machine first checks that the machine routes none of that
 * subnet yet; two JVMs that check at once both find it free, and then the machine routes the subnet
 * to both (a connection reaches whichever namespace the kernel picks). Holding this lock from the
 * check until the addresses are in place makes the two one step. It is an exclusive {@code fcntl}
 * lock on a file ({@link FileChannel#lock}), which the kernel releases when the process dies, so a
 * JVM killed while holding it blocks nobody. Threads of one JVM queue on a lock of their own first,
 * since the file lock belongs to the process.
 *
 * <p>The file is {@value #FILE_NAME} in {@code /run/lock}, else {@code /run}, else the temporary
 * directory: the first where it can be opened for writing. A rootless JVM, whose "machine" is a
 * namespace of its own, takes it too; it costs nothing there.
 *
 * <pre>{@code
 * try (HostNamespaceLock lock = HostNamespaceLock.acquire()) {
 *   // check the machine's routes, then add the addresses
 * }
 * }</pre>
 */
public final class HostNamespaceLock implements AutoCloseable {
  /** The lock file's name, the same in each candidate directory. */
  public static final String FILE_NAME = "netns-junit-host.lock";

  /** How long to wait for another process before failing, naming the file. */
  private static final long WAIT_SECONDS = 60;

  private static final ReentrantLock IN_THIS_JVM = new ReentrantLock();

  private final Path file;
  private final FileChannel channel;
  private final FileLock lock;
  private boolean released;

  private HostNamespaceLock(Path file, FileChannel channel, FileLock lock) {
    this.file = file;
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Waits until no other thread or process holds the lock, then holds it until {@link #close()}.
   * Fails if it takes more than a minute (another process stopped while holding it), naming the
   * file and the process that holds it.
   */
  public static HostNamespaceLock acquire() {
    if (IN_THIS_JVM.isHeldByCurrentThread()) {
      // The file lock belongs to the process: a second one from the same JVM would not wait.
      throw new IllegalStateException("this thread already holds the host namespace lock");
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
    try {
      if (!IN_THIS_JVM.tryLock(WAIT_SECONDS, TimeUnit.SECONDS)) {
        throw new IllegalStateException(
            "another thread of this JVM held the host namespace lock for " + WAIT_SECONDS + " s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the host namespace lock", e);
    }
    try {
      return lockFile(deadline);
    } catch (RuntimeException | Error e) {
      IN_THIS_JVM.unlock();
      throw e;
    }
  }

  private static HostNamespaceLock lockFile(long deadline) {
    List<String> refused = new ArrayList<>();
    for (Path directory : candidates()) {
      Path file = directory.resolve(FILE_NAME);
      FileChannel channel;
      try {
        channel = open(file);
      } catch (IOException e) {
        refused.add(file + " (" + e + ")");
        continue;
      }
      try {
        return new HostNamespaceLock(file, channel, waitFor(file, channel, deadline));
      } catch (RuntimeException | Error e) {
        closeQuietly(channel, e);
        throw e;
      }
    }
    throw new IllegalStateException(
        "cannot open a lock file for changes to the machine's network namespace; tried "
            + String.join(", ", refused));
  }

  private static List<Path> candidates() {
    List<Path> candidates = new ArrayList<>(List.of(Path.of("/run/lock"), Path.of("/run")));
    candidates.add(Path.of(System.getProperty("java.io.tmpdir")));
    return candidates;
  }

  private static FileChannel open(Path file) throws IOException {
    if (!Files.isDirectory(file.getParent())) {
      throw new IOException("no such directory");
    }
    try {
      FileChannel channel =
          FileChannel.open(
              file,
              StandardOpenOption.CREATE_NEW,
              StandardOpenOption.WRITE,
              LinkOption.NOFOLLOW_LINKS);
      try {
        // Every user's JVMs share it: one with CAP_NET_ADMIN in the machine's namespace need not
        // be root. The umask would leave it writable by its creator only. Nothing is ever written
        // to it or read from it.
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-rw-"));
      } catch (IOException | UnsupportedOperationException e) {
        // Other users then fall back to a directory of their own; nothing for this JVM to do.
      }
      return channel;
    } catch (FileAlreadyExistsException e) {
      // Never through a symbolic link that someone else put in a shared directory.
      try {
        return FileChannel.open(file, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
      } catch (IOException refused) {
        // Not on to the next directory: JVMs that lock this file would no longer exclude this one.
        throw new IllegalStateException(
            "the lock file "
                + file
                + " that JVMs changing the machine's network namespace share exists, but this JVM"
                + " cannot open it for writing ("
                + refused
                + "); make it writable by every user that runs these tests (chmod 666 "
                + file
                + ")",
            refused);
      }
    }
  }

  private static FileLock waitFor(Path file, FileChannel channel, long deadline) {
    long pause = 1;
    while (true) {
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (IOException e) {
        throw new IllegalStateException("cannot lock " + file + ": " + e.getMessage(), e);
      }
      if (lock != null) {
        return lock;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "another process has held "
                + file
                + " for "
                + WAIT_SECONDS
                + " s while changing the machine's network namespace"
                + holder(file)
                + "; a JVM stopped in a debugger, perhaps");
      }
      try {
        Thread.sleep(pause);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for " + file, e);
      }
      pause = Math.min(pause * 2, 16);
    }
  }

  /** Who holds the lock, from {@code /proc/locks} (whose lines name pid and inode). */
  private static String holder(Path file) {
    try {
      Object inode = Files.getAttribute(file, "unix:ino", LinkOption.NOFOLLOW_LINKS);
      for (String line : Files.readAllLines(Path.of("/proc/locks"))) {
        // 1: POSIX  ADVISORY  WRITE 4242 00:1a:1234 0 EOF
        String[] fields = line.trim().split("\\s+");
        if (fields.length > 5 && fields[5].endsWith(":" + inode)) {
          return " (pid " + fields[4] + " holds it)";
        }
      }
    } catch (IOException | RuntimeException e) {
      // Only the message loses the pid.
    }
    return "";
  }

  private static void closeQuietly(FileChannel channel, Throwable failure) {
    try {
      channel.close();
    } catch (IOException e) {
      failure.addSuppressed(e);
    }
  }

  /** The lock file in use. */
  public Path file() {
    return file;
  }

  /** Lets the next thread or process change the machine's namespace. Idempotent. */
  @Override
  public void close() {
    if (released) {
      return;
    }
    released = true;
    try {
      try {
        lock.release();
      } finally {
        channel.close();
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot release " + file + ": " + e.getMessage(), e);
    } finally {
      IN_THIS_JVM.unlock();
    }
  }
}
