package dev.netns.kernel;

import dev.netns.nativeaccess.KernelException;
import dev.netns.nativeaccess.LibC;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;

/**
 * Makes a network namespace's threads see it as their machine: {@code /proc/net}, {@code
 * /sys/class/net}, the host name and {@code /etc/hosts} all describe the namespace, so that {@code
 * java.net.NetworkInterface}, {@code InetAddress.getLocalHost()} and processes started inside find
 * the namespace's interfaces, name and neighbours instead of the machine's.
 *
 * <p>Mount and UTS namespaces belong to a thread's nsproxy, as the network namespace does. The
 * namespace's service thread, the first time it starts, unshares both and then, in its private
 * mount namespace only:
 *
 * <ol>
 *   <li>makes every mount private, so that nothing done next propagates to the machine's mount
 *       namespace;
 *   <li>binds its own {@code /proc/TGID/task/TID/net} over {@code /proc/TGID/net}, which {@code
 *       /proc/net} and {@code /proc/self/net} lead to (they would otherwise follow the JVM's main
 *       thread);
 *   <li>writes the hosts file on a small tmpfs and binds it over {@code /etc/hosts} (nothing is
 *       written to the machine's disks, so nothing can be left there);
 *   <li>mounts a fresh sysfs on {@code /sys} (sysfs lists the devices of its mounter's network
 *       namespace, which is why {@code ip netns exec} remounts it too);
 *   <li>sets the host name, and pins both namespaces by descriptors.
 * </ol>
 *
 * Threads started from a namespace thread share its namespaces. Threads that enter later through
 * the namespace's thread factory join both by {@code setns}, after unsharing their filesystem
 * context (which {@code setns} into a mount namespace requires). The service thread must be the one
 * that sets up: the bind on {@code /proc/TGID/net} shows the namespace of the task it was taken
 * from, and the service thread lives as long as the namespace.
 *
 * <p>Nothing outlives the namespace: the mount namespace, and every mount in it, goes when its last
 * thread and this class's descriptor are gone, so a JVM killed with {@code kill -9} leaves nothing
 * either. The machine's own mount table and host name are never touched.
 *
 * <p>A little over 300 lines: setting up, joining, refusing and closing share one lock and one
 * latch, and splitting them would spread that protocol over several files.
 */
final class MachineView implements AutoCloseable {
  private static final String MNT_SELF = "/proc/thread-self/ns/mnt";
  private static final String UTS_SELF = "/proc/thread-self/ns/uts";
  private static final String SCRATCH = "/sys";

  private final LibC libc;
  private final Supplier<String> name;
  private final Runnable startServiceThread;
  private final CountDownLatch settled = new CountDownLatch(1);
  private volatile MachineIdentity identity;
  private boolean closed;
  private boolean enteredWithout;
  private RuntimeException failure;
  private int mntFd = -1;
  private int utsFd = -1;
  private long mntInode;

  /**
   * A view not yet set up. {@code startServiceThread} starts the namespace's service thread without
   * giving it a task, for a thread that enters before it.
   */
  MachineView(LibC libc, Supplier<String> name, Runnable startServiceThread) {
    this.libc = libc;
    this.name = name;
    this.startServiceThread = startServiceThread;
  }

  /**
   * Turns the view on with what threads inside are told; must come before any thread enters. Until
   * then, and without it, namespace threads see the machine's mounts and name.
   */
  void describe(MachineIdentity identity) {
    synchronized (this) {
      if (settled.getCount() == 0 || enteredWithout) {
        throw new IllegalStateException(
            "showMachine on namespace "
                + name.get()
                + " must come before any thread enters it, and threads already run inside");
      }
      this.identity = identity;
    }
  }

  /**
   * On a thread that has just entered the network namespace: the service thread sets the view up
   * (the first time), any other thread joins it, waiting for the service thread if need be.
   */
  void enter(boolean serviceThread) {
    MachineIdentity described;
    synchronized (this) {
      described = identity;
      // Described later, the view would reach only threads that enter later: refused instead.
      enteredWithout |= described == null;
    }
    if (described == null) {
      // A thread started from a thread that sees another namespace's machine would inherit that
      // view; without one of its own, it sees the machine's.
      if (inode(MNT_SELF) != Machine.MNT_INODE) {
        try {
          moveInto(Machine.MNT, Machine.UTS);
        } catch (KernelException e) {
          throw new IllegalStateException(
              "thread "
                  + Thread.currentThread().getName()
                  + " of namespace "
                  + name.get()
                  + " cannot leave the machine view it inherited: the JVM's own mount and UTS"
                  + " namespaces belong to another user namespace, which refuses setns. Start this"
                  + " thread from a thread outside every namespace, or start the JVM in mount and"
                  + " UTS namespaces of its own user namespace (unshare --mount --uts)",
              e);
        }
      }
      return;
    }
    if (serviceThread) {
      establishOnce();
    } else {
      join();
    }
  }

  private void establishOnce() {
    synchronized (this) {
      // A service thread that replaces one that died joins what the first one set up.
      if (settled.getCount() > 0) {
        try {
          if (closed) {
            throw new IllegalStateException("namespace " + name.get() + " is closed");
          }
          establish();
          return;
        } catch (RuntimeException e) {
          failure = e;
          throw e;
        } finally {
          settled.countDown();
        }
      }
    }
    join();
  }

  /**
   * The service thread could not even enter the network namespace: threads waiting for it to set up
   * the view must not wait forever.
   */
  synchronized void refuse(boolean serviceThread, RuntimeException cause) {
    if (serviceThread && identity != null && settled.getCount() > 0) {
      failure = cause;
      settled.countDown();
    }
  }

  /**
   * Before each task on the service thread: throws unless the thread sees the view (when it is on),
   * so that a failure to set it up fails the tasks instead of letting them see the machine's.
   */
  void verifyCurrentThread() {
    if (identity == null) {
      return;
    }
    RuntimeException failed;
    long expected;
    synchronized (this) {
      failed = failure;
      expected = mntInode;
    }
    if (failed != null) {
      throw new IllegalStateException(
          "namespace " + name.get() + " could not show its machine to its threads", failed);
    }
    long actual = inode(MNT_SELF);
    if (actual != expected) {
      throw new IllegalStateException(
          "thread "
              + Thread.currentThread().getName()
              + " should see the machine of namespace "
              + name.get()
              + " (mnt:["
              + expected
              + "]) but is in mnt:["
              + actual
              + "]");
    }
  }

  /**
   * On the service thread, inside the network namespace: new mount and UTS namespaces showing it. A
   * failure half-way leaves the thread in half-made namespaces that die with it; the failure is
   * reported to every thread that enters.
   */
  private void establish() {
    MachineIdentity machine = identity;
    // CLONE_NEWNS implies CLONE_FS: this thread stops sharing root and working directory with the
    // rest of the JVM, keeping their values.
    libc.unshare(LibC.CLONE_NEWNS | LibC.CLONE_NEWUTS);
    // First of all: mounts made below must not propagate to the machine's mount namespace.
    libc.mount(null, "/", null, LibC.MS_REC | LibC.MS_PRIVATE, null);
    String process = "/proc/" + ProcessHandle.current().pid();
    libc.bindMount(process + "/task/" + libc.gettid() + "/net", process + "/net");
    // The hosts file lives on a tmpfs of its own: mounted on /sys for a moment (sysfs is remounted
    // there next), written, bound over /etc/hosts, and detached from /sys again; the bind keeps it.
    libc.mount("tmpfs", SCRATCH, "tmpfs", MOUNT_FLAGS, "size=1m,mode=755");
    try {
      Files.writeString(Path.of(SCRATCH, "hosts"), machine.hostsFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the hosts file of namespace " + name.get(), e);
    }
    // A machine without /etc/hosts keeps none: a file cannot be made on the machine's disk.
    if (Files.exists(Path.of("/etc/hosts"))) {
      libc.bindMount(SCRATCH + "/hosts", "/etc/hosts");
    }
    libc.umount2(SCRATCH, LibC.MNT_DETACH);
    libc.mount("sysfs", "/sys", "sysfs", MOUNT_FLAGS, null);
    libc.sethostname(machine.hostName());
    mntFd = libc.open(MNT_SELF, LibC.O_RDONLY | LibC.O_CLOEXEC);
    utsFd = libc.open(UTS_SELF, LibC.O_RDONLY | LibC.O_CLOEXEC);
    mntInode = inode(MNT_SELF);
  }

  private static final long MOUNT_FLAGS = LibC.MS_NOSUID | LibC.MS_NODEV | LibC.MS_NOEXEC;

  /** On a thread other than the service thread: enters the view the service thread set up. */
  private void join() {
    if (settled.getCount() > 0) {
      startServiceThread.run();
      try {
        settled.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(
            "interrupted while waiting for namespace " + name.get() + " to show its machine", e);
      }
    }
    synchronized (this) {
      if (failure != null) {
        throw new IllegalStateException(
            "namespace " + name.get() + " could not show its machine to its threads", failure);
      }
      if (closed) {
        throw new IllegalStateException("namespace " + name.get() + " is closed");
      }
      // A thread started from a namespace thread is in the view already.
      if (inode(MNT_SELF) == mntInode) {
        return;
      }
      moveInto(mntFd, utsFd);
    }
  }

  /** Moves the calling thread into the mount and UTS namespaces the descriptors refer to. */
  private void moveInto(int mnt, int uts) {
    String workingDirectory = workingDirectory();
    // setns into a mount namespace refuses a thread that shares its filesystem context.
    libc.unshare(LibC.CLONE_FS);
    libc.setns(mnt, LibC.CLONE_NEWNS);
    libc.setns(uts, LibC.CLONE_NEWUTS);
    // setns moved root and working directory to the namespace's root; relative paths must keep
    // meaning what they mean on every other thread of the JVM.
    libc.chdir(workingDirectory);
  }

  /**
   * The JVM's own mount and UTS namespaces: those of its main thread, which never enters a test
   * namespace. Held open for the life of the JVM, like the factory thread's home namespace.
   */
  private static final class Machine {
    static final int MNT =
        LibC.instance().open("/proc/self/ns/mnt", LibC.O_RDONLY | LibC.O_CLOEXEC);
    static final int UTS =
        LibC.instance().open("/proc/self/ns/uts", LibC.O_RDONLY | LibC.O_CLOEXEC);
    static final long MNT_INODE = inode("/proc/self/ns/mnt");

    private Machine() {}
  }

  private static String workingDirectory() {
    try {
      return Files.readSymbolicLink(Path.of("/proc/thread-self/cwd")).toString();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the working directory", e);
    }
  }

  /** The inode of the namespace a {@code /proc/.../ns/...} link points at. */
  static long inode(String nsLink) {
    try {
      String target = Files.readSymbolicLink(Path.of(nsLink)).toString();
      return Long.parseLong(target.substring(target.indexOf('[') + 1, target.indexOf(']')));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + nsLink, e);
    }
  }

  /**
   * Lets go of the pinned namespaces; they die with the last thread inside. Idempotent; threads
   * entering later are refused.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    // Threads waiting for a service thread that will never set the view up are refused instead.
    settled.countDown();
    RuntimeException failed = null;
    for (int fd : new int[] {mntFd, utsFd}) {
      if (fd >= 0) {
        try {
          libc.close(fd);
        } catch (RuntimeException e) {
          if (failed == null) {
            failed = e;
          } else {
            failed.addSuppressed(e);
          }
        }
      }
    }
    mntFd = -1;
    utsFd = -1;
    if (failed != null) {
      throw failed;
    }
  }
}
