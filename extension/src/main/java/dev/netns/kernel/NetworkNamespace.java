package dev.netns.kernel;

import dev.netns.nativeaccess.LibC;
import dev.netns.netlink.LinkRequests;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A Linux network namespace held open by a file descriptor, with a netlink socket inside it.
 *
 * <p>A namespace costs no thread until code runs inside it: {@link #call} starts one platform
 * thread on first use, which enters the namespace once and then serves tasks, checking before each
 * one that it is still where it should be. An anonymous namespace made by {@link #create} lives
 * until {@link #close} (or until the JVM dies, since only this process's descriptors hold it), and
 * takes every device inside it along when it goes.
 *
 * <pre>{@code
 * try (NetworkNamespace blue = NetworkNamespace.create("blue")) {
 *   List<LinkInfo> links = Inspection.links(blue);         // just "lo", up
 *   String where = blue.call(() -> Files.readString(Path.of("/proc/sys/kernel/hostname")));
 * }
 * }</pre>
 *
 * <p>Longer than most classes here: creating, opening, running code inside and closing share one
 * descriptor and one lifecycle lock (no thread may enter through a descriptor number that close has
 * freed), and splitting them would hand that lock around.
 */
public final class NetworkNamespace implements AutoCloseable {
  private static final int LOOPBACK_INDEX = 1;

  private final LibC libc;
  // Set at creation, and once more when the namespace leaves NamespacePool for its user.
  private volatile String name;
  private final int fd;
  private final long inode;
  private final NetlinkSocket netlink;
  private final boolean created;
  private final AtomicInteger threadNumber = new AtomicInteger();
  private ThreadPoolExecutor thread;
  private Thread serviceThread;
  private volatile boolean closed;
  private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
  private final MachineView machine;
  private final Object watchdogLock = new Object();
  // Written under watchdogLock (one start at a time); read without it, so that a sweep never waits
  // for a start that waits for the namespace's thread.
  private volatile NamespaceWatchdog watchdog;
  // Set before a thread of this handle's is made or its descriptor number leaves this package (see
  // wasEntered), never cleared.
  private volatile boolean entered;

  private NetworkNamespace(
      LibC libc, String name, int fd, long inode, NetlinkSocket netlink, boolean created) {
    this.libc = libc;
    this.name = name;
    this.fd = fd;
    this.inode = inode;
    this.netlink = netlink;
    this.created = created;
    this.machine = new MachineView(libc, this::name, () -> executor().prestartCoreThread());
  }

  /** Creates a new anonymous network namespace with loopback up. */
  public static NetworkNamespace create(String name) {
    return createAll(List.of(name)).get(0);
  }

  /**
   * Creates several namespaces in one trip to the factory thread. If one fails, those already made
   * are closed before the failure is thrown.
   */
  public static List<NetworkNamespace> createAll(List<String> names) {
    return createAll(names, Set.of());
  }

  /**
   * As {@link #createAll(List)}, with IPv4 and IPv6 forwarding turned on in the namespaces named in
   * {@code routers} while they are made (no thread of their own is needed for it).
   */
  public static List<NetworkNamespace> createAll(List<String> names, Set<String> routers) {
    return createAll(names, routers, Ipv6Use.ADDRESSED);
  }

  /**
   * As {@link #createAll(List, Set)}, with the namespaces tuned for whether their links will carry
   * IPv6 ({@link Ipv6Use}).
   *
   * <p>A platform thread does the work itself: it steps into each new namespace and back, and
   * checks that it is home again. Virtual threads, which must never change namespace, hand the work
   * to the factory thread.
   *
   * <p>While a {@link NamespacePool} runs, fresh namespaces are taken from its stock first (as many
   * as it has), named, and given the sysctls asked for here by stepping into them; only the rest
   * are made.
   */
  public static List<NetworkNamespace> createAll(
      List<String> names, Set<String> routers, Ipv6Use ipv6) {
    LibC libc = LibC.instance();
    NamespacePool pool = NamespacePool.current();
    List<NetworkNamespace> pooled = pool == null ? List.of() : pool.take(names.size());
    Callable<List<NetworkNamespace>> create =
        () -> {
          List<NetworkNamespace> namespaces = new ArrayList<>();
          try (Home home = Home.ofCurrentThread(libc)) {
            for (int i = 0; i < names.size(); i++) {
              String name = names.get(i);
              boolean router = routers.contains(name);
              if (i < pooled.size()) {
                NetworkNamespace taken = pooled.get(i);
                // Taken for good: a failure closes it with the rest, never hands it back.
                namespaces.add(taken);
                taken.handOut(name);
                if (ipv6 == Ipv6Use.ADDRESSED || router) {
                  NamespaceInode.forgetCurrentThread();
                  libc.setns(taken.fd, LibC.CLONE_NEWNET);
                  try {
                    taken.verifyCurrentThread();
                    prepareHere(ipv6, router);
                  } finally {
                    home.returnTo();
                  }
                }
                continue;
              }
              namespaces.add(makeHere(libc, home, name, () -> prepareHere(ipv6, router)));
            }
          } catch (Exception | Error e) {
            closeAll(namespaces, e);
            throw e;
          }
          Home.wayBackProven();
          return namespaces;
        };
    try {
      return onSteppingThread(create);
    } catch (RuntimeException | Error e) {
      // Taken for good, so closed with the rest (again, when the steps above did: idempotent).
      closeAll(pooled, e);
      throw e;
    } finally {
      if (pool != null) {
        pool.created();
      }
    }
  }

  /**
   * A namespace as {@link NamespacePool} stocks it: new, loopback up, not tuned, not a router,
   * named {@code name} until it is handed out. Never taken from the pool.
   */
  static NetworkNamespace createForPool(String name) {
    LibC libc = LibC.instance();
    return onSteppingThread(
        () -> {
          NetworkNamespace made;
          try (Home home = Home.ofCurrentThread(libc)) {
            made = makeHere(libc, home, name, () -> {});
          }
          Home.wayBackProven();
          return made;
        });
  }

  /**
   * Runs {@code steps} on the calling thread when it may step into namespaces and back, else on the
   * factory thread: virtual threads must never change namespace, and until the factory thread has
   * shown that the way back works here, no other thread takes the risk.
   */
  private static <T> T onSteppingThread(Callable<T> steps) {
    if (Home.mayLeave(Thread.currentThread())) {
      try {
        return steps.call();
      } catch (RuntimeException | Error e) {
        throw e;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
    return NamespaceFactory.call(steps);
  }

  /**
   * On a thread that may step into namespaces: a new namespace, tuned and turned into a router as
   * asked, with its descriptor, its netlink socket and loopback up; the thread is home again after.
   */
  private static NetworkNamespace makeHere(LibC libc, Home home, String name, Preparation prepare)
      throws IOException {
    NamespaceInode.forgetCurrentThread();
    libc.unshare(LibC.CLONE_NEWNET);
    try {
      prepare.here();
      NetworkNamespace made = adoptCurrent(libc, name, true);
      try {
        // Loopback up, without waiting for an answer that only an error would bring.
        made.netlink.post(
            LinkRequests.setUp(LOOPBACK_INDEX, true).describedAs("RTM_NEWLINK " + name + ":lo up"));
      } catch (RuntimeException e) {
        closeAll(List.of(made), e);
        throw e;
      }
      return made;
    } finally {
      home.returnTo();
    }
  }

  /** What is done inside a new namespace before it is adopted: sysctls. */
  private interface Preparation {
    void here() throws IOException;
  }

  /** On the creating (or receiving) thread, inside the namespace: the sysctls asked for. */
  private static void prepareHere(Ipv6Use ipv6, boolean router) throws IOException {
    tuneIpv6(ipv6);
    if (router) {
      enableForwarding();
    }
  }

  /**
   * A handle on the process's own network namespace (the machine's, unless the JVM runs in one).
   */
  public static NetworkNamespace host() {
    LibC libc = LibC.instance();
    return NamespaceFactory.call(
        () -> {
          NamespaceFactory.homeFd(libc);
          return adoptCurrent(libc, "host", false);
        });
  }

  /** Opens an existing namespace from its {@code ns} file, such as {@code /proc/PID/ns/net}. */
  public static NetworkNamespace open(String name, Path nsFile) {
    LibC libc = LibC.instance();
    return NamespaceFactory.call(
        () -> {
          int target = libc.open(nsFile.toString(), LibC.O_RDONLY | LibC.O_CLOEXEC);
          try {
            return NamespaceFactory.visit(
                libc,
                () -> libc.setns(target, LibC.CLONE_NEWNET),
                () -> adoptCurrent(libc, name, false));
          } finally {
            libc.close(target);
          }
        });
  }

  /** Opens the namespace of a process. */
  public static NetworkNamespace ofPid(int pid) {
    return open("pid " + pid, Path.of("/proc", Integer.toString(pid), "ns", "net"));
  }

  /** Opens a namespace bound under {@code /run/netns}, as {@code ip netns add} makes them. */
  public static NetworkNamespace named(String runNetnsName) {
    return open(runNetnsName, Path.of("/run/netns", runNetnsName));
  }

  /** On the creating thread, inside a new namespace: IPv6 as {@code use} says (see there). */
  private static void tuneIpv6(Ipv6Use use) throws IOException {
    if (use == Ipv6Use.NONE) {
      // Nothing at all: the first look into /proc/sys of a new namespace costs some 50 us, a
      // twentieth of a pair.
      return;
    }
    // Links made later take these from "default" ("all" starts at 0 in a new namespace).
    Path conf = Path.of("/proc/sys/net/ipv6/conf/default");
    if (Files.exists(conf)) {
      Files.writeString(conf.resolve("accept_dad"), "0");
      // A link taken down by a fault keeps its IPv6 addresses, as IPv4 ones are kept, so that
      // bringing it up again restores it whole.
      Files.writeString(conf.resolve("keep_addr_on_down"), "1");
      // No link-local address generated (addrgenmode none): the kernel would add it from a work
      // queue a moment after a link comes up, so a test could start, or a node read its
      // interfaces, before it is there. The topology adds each host interface's own instead.
      Files.writeString(conf.resolve("addr_gen_mode"), "1");
    }
  }

  /** On the creating thread, inside a new namespace: make it a router. */
  private static void enableForwarding() throws IOException {
    Files.writeString(Path.of("/proc/sys/net/ipv4/ip_forward"), "1");
    Path v6 = Path.of("/proc/sys/net/ipv6/conf/all/forwarding");
    if (Files.exists(v6)) {
      Files.writeString(v6, "1");
    }
  }

  /** On the factory thread: takes a fd and a netlink socket of the thread's current namespace. */
  private static NetworkNamespace adoptCurrent(LibC libc, String name, boolean created) {
    int fd = libc.open(NamespaceInode.THREAD_SELF_LINK, LibC.O_RDONLY | LibC.O_CLOEXEC);
    try {
      long inode = NamespaceInode.ofCurrentThread();
      return new NetworkNamespace(libc, name, fd, inode, NetlinkSocket.open(libc), created);
    } catch (RuntimeException e) {
      libc.close(fd);
      throw e;
    }
  }

  private static void closeAll(List<NetworkNamespace> namespaces, Throwable failure) {
    for (NetworkNamespace namespace : namespaces) {
      try {
        namespace.close();
      } catch (RuntimeException e) {
        failure.addSuppressed(e);
      }
    }
  }

  /**
   * Opens a socket inside this namespace without a thread of its own: the factory thread steps in,
   * calls socket(2), and steps back. The descriptor belongs to this namespace for good and may be
   * used from any thread; the caller closes it.
   */
  public int openSocket(int domain, int type, int protocol) {
    // Held until the socket exists: close() cannot free the descriptor number meanwhile, so the
    // factory thread cannot step through a number that by then belongs to another namespace.
    lifecycle.readLock().lock();
    try {
      ensureOpen();
      return NamespaceFactory.call(
          () ->
              NamespaceFactory.visit(
                  libc,
                  () -> {
                    libc.setns(fd, LibC.CLONE_NEWNET);
                    verifyCurrentThread();
                  },
                  () -> libc.socket(domain, type, protocol)));
    } catch (RuntimeException | Error e) {
      // The factory thread may not have come back out (it is then abandoned, inside).
      entered = true;
      throw e;
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  /**
   * Gives a namespace taken from {@link NamespacePool} the name its user knows it by, before anyone
   * else sees it: messages, thread names and the watchdog use it from then on.
   */
  void handOut(String userName) {
    this.name = userName;
  }

  /**
   * The name given at creation (or at hand-out from the pool), used in messages and thread names.
   */
  public String name() {
    return name;
  }

  /** The namespace's inode number, as {@code /proc/.../ns/net} shows it. */
  public long inode() {
    return inode;
  }

  /**
   * The file descriptor that holds the namespace open (valid until {@link #close}). Handing it out
   * counts as {@link #wasEntered entering}: with it, anyone can join the namespace ({@code nsenter
   * --net=/proc/PID/fd/N}, a binding under {@code /run/netns}).
   */
  public int fd() {
    ensureOpen();
    entered = true;
    return fd;
  }

  /** The descriptor for netlink requests that name this namespace (IFLA_NET_NS_FD). */
  int descriptor() {
    ensureOpen();
    return fd;
  }

  /**
   * False while nothing but this library's own short steps has been inside: no thread of this
   * handle's was ever made (its service thread, a body's, a thread factory's; user code runs only
   * there, and every process started inside is started from there), its descriptor number was never
   * handed out, and every step in came back out. Until then no thread of this JVM and no process
   * can be inside, which lets the teardown's searches of {@code /proc} skip the namespace: a
   * process enters a namespace only by being forked from a task inside it or by {@code setns}
   * through a reference to it, and the only references are this handle's descriptor, the {@code
   * /proc} entries of tasks inside, and bindings made from the descriptor.
   */
  public boolean wasEntered() {
    return entered;
  }

  /** The netlink socket bound inside this namespace. */
  public NetlinkSocket netlink() {
    ensureOpen();
    return netlink;
  }

  /**
   * From now on, threads running inside this namespace see it as their machine ({@code /proc/net},
   * {@code /sys/class/net}, host name, {@code /etc/hosts}); see {@link MachineView}. Must be called
   * before any thread enters, by whoever knows the names and addresses around.
   */
  public void showMachine(MachineIdentity identity) {
    machine.describe(identity);
  }

  /**
   * Makes sure that the processes inside this namespace die with the JVM: the first call starts the
   * namespace's {@link NamespaceWatchdog} from its thread, later calls return at once. Call it
   * before starting a process inside, so that there is no moment when the process runs unwatched.
   * Does nothing for a namespace this handle did not create (the machine's own, or one opened by
   * path): sweeping it would kill processes that are not the test's. The watchdog is killed by
   * {@link #close}, after {@link NamespaceProcesses} killed the rest.
   *
   * @throws IOException if {@code /bin/sh} cannot be started
   */
  public void watchProcesses() throws IOException {
    if (!created) {
      return;
    }
    NamespaceWatchdog current = watchdog;
    if (current != null && current.process().isAlive()) {
      return;
    }
    // Checked and started on the namespace's own thread, the lock taken there: a caller outside
    // holds nothing while its call waits behind a task that starts a process itself.
    try {
      call(
          () -> {
            startWatchdogHere();
            return null;
          });
    } catch (IOException | RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IOException("cannot start the watchdog of namespace " + name, e);
    }
  }

  /** Starts the watchdog from this thread, inside the namespace, unless a live one watches. */
  private void startWatchdogHere() throws IOException {
    synchronized (watchdogLock) {
      NamespaceWatchdog old = watchdog;
      if (old != null && old.process().isAlive()) {
        return;
      }
      if (old != null) {
        old.close(); // killed by someone (a test's kill -9 -1, the OOM killer): a new one watches
      }
      watchdog = NamespaceWatchdog.startHere(name);
    }
  }

  /** True if {@code pid} is this namespace's watchdog, which {@link NamespaceProcesses} spares. */
  boolean isWatchdog(long pid) {
    NamespaceWatchdog current = watchdog;
    return current != null && current.is(pid);
  }

  /** True for a namespace this handle created (and destroys on close). */
  public boolean isCreated() {
    return created;
  }

  /** True once closed. */
  public boolean isClosed() {
    return closed;
  }

  /**
   * Runs {@code task} on this namespace's thread and returns its result; exceptions thrown by the
   * task are rethrown as they are. Called from a thread that is already inside this namespace (its
   * own threads, and threads that code running inside started), runs the task directly: queued
   * behind the task that started it, it would wait forever if that task waits for it.
   */
  public <T> T call(Callable<T> task) throws Exception {
    if (isInside(Thread.currentThread())) {
      return task.call();
    }
    Future<T> future =
        executor()
            .submit(
                () -> {
                  verifyCurrentThread();
                  machine.verifyCurrentThread();
                  return task.call();
                });
    try {
      return future.get();
    } catch (InterruptedException e) {
      future.cancel(true);
      Thread.currentThread().interrupt();
      throw e;
    } catch (ExecutionException e) {
      throw unwrap(e);
    }
  }

  /** The task's own exception, to be rethrown as it is; an {@link Error} is thrown at once. */
  private static Exception unwrap(ExecutionException e) {
    Throwable cause = e.getCause();
    if (cause instanceof Exception exception) {
      return exception;
    }
    if (cause instanceof Error error) {
      throw error;
    }
    return e;
  }

  /**
   * Runs {@code task} on a new thread of its own inside this namespace, waits for it to end, and
   * returns its result; exceptions thrown by the task are rethrown as they are. For long tasks, a
   * test body for one: on the service thread, it would make every {@link #call} from another thread
   * wait until it ends, and hang for good if it waits for one of them.
   */
  public <T> T callOnNewThread(Callable<T> task) throws Exception {
    ensureOpen();
    FutureTask<T> future =
        new FutureTask<>(
            () -> {
              verifyCurrentThread();
              machine.verifyCurrentThread();
              return task.call();
            });
    NamespaceThread thread = newThread(future, Role.BODY);
    thread.start();
    try {
      thread.join();
    } catch (InterruptedException e) {
      // For example JUnit's timeout: pass it on to the task, as call() does.
      thread.interrupt();
      Thread.currentThread().interrupt();
      throw e;
    }
    try {
      return future.get();
    } catch (ExecutionException e) {
      throw unwrap(e);
    }
  }

  /**
   * A factory for platform threads that enter this namespace before running their task. Threads
   * they start, and processes they spawn, inherit the namespace.
   */
  public ThreadFactory threadFactory() {
    ensureOpen();
    return task -> newThread(task, Role.USER);
  }

  /**
   * Holds no reference to the thread once made: a long test that keeps replacing pool threads would
   * otherwise keep every one it ever had.
   */
  private NamespaceThread newThread(Runnable task, Role role) {
    entered = true;
    return new NamespaceThread(
        this, task, "netns-" + name + "-" + threadNumber.incrementAndGet(), role);
  }

  /**
   * True when {@code current}, the calling thread, is inside this namespace: one of this handle's
   * threads, or a platform thread whose {@code /proc/thread-self/ns/net} says so. Never a virtual
   * thread, which may move to another carrier between the check and the task.
   */
  private boolean isInside(Thread current) {
    if (current instanceof NamespaceThread t) {
      if (t.namespace == this) {
        return true;
      }
    } else if (Home.isVirtual(current)) {
      return false;
    }
    ensureOpen();
    // The remembered inode spares calls from outside a readlink each; a match is read afresh.
    return NamespaceInode.ofCurrentThreadRemembered() == inode
        && NamespaceInode.ofCurrentThread() == inode;
  }

  private synchronized ThreadPoolExecutor executor() {
    ensureOpen();
    if (thread == null) {
      thread =
          new ThreadPoolExecutor(
              1,
              1,
              0,
              TimeUnit.MILLISECONDS,
              new LinkedBlockingQueue<>(),
              task -> serviceThread = newThread(task, Role.SERVICE));
    }
    return thread;
  }

  /** Throws unless the calling thread is inside this namespace. */
  void verifyCurrentThread() {
    long actual = NamespaceInode.ofCurrentThread();
    if (actual != inode) {
      throw new IllegalStateException(
          "thread "
              + Thread.currentThread().getName()
              + " should be in namespace "
              + name
              + " (net:["
              + inode
              + "]) but is in net:["
              + actual
              + "]");
    }
  }

  /**
   * Called by a {@link NamespaceThread} as it starts: moves it into this namespace. A thread that
   * starts after {@link #close} is refused, never sent through a descriptor number that may by now
   * belong to another namespace.
   */
  void enter(boolean service) {
    try {
      enterNetwork();
    } catch (RuntimeException e) {
      machine.refuse(service, e);
      throw e;
    }
    machine.enter(service);
  }

  private void enterNetwork() {
    lifecycle.readLock().lock();
    try {
      if (closed) {
        throw new IllegalStateException(
            "namespace "
                + name
                + " was closed before thread "
                + Thread.currentThread().getName()
                + " started");
      }
      NamespaceInode.forgetCurrentThread();
      libc.setns(fd, LibC.CLONE_NEWNET);
    } finally {
      lifecycle.readLock().unlock();
    }
    verifyCurrentThread();
  }

  /**
   * Stops this handle's own thread, closes the netlink socket and the fd. A created namespace is
   * destroyed by the kernel once nothing else holds it (no thread inside, no socket, no process).
   * Idempotent.
   */
  @Override
  public void close() {
    ThreadPoolExecutor toStop;
    synchronized (this) {
      lifecycle.writeLock().lock();
      try {
        if (closed) {
          return;
        }
        closed = true;
      } finally {
        lifecycle.writeLock().unlock();
      }
      toStop = thread;
      thread = null;
    }
    Failures failures = new Failures();
    if (toStop != null) {
      toStop.shutdownNow();
      try {
        if (!toStop.awaitTermination(10, TimeUnit.SECONDS)) {
          failures.add(new IllegalStateException("namespace thread of " + name + " did not stop"));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      // The pool reports termination just before its thread exits; the kernel lets a namespace
      // go only when no thread is left inside, so wait for the thread itself.
      joinQuietly(serviceThread);
    }
    // Last of the processes inside (the teardown killed the others while it still watched), and
    // before the descriptor: a watchdog still running holds the namespace.
    NamespaceWatchdog toKill;
    synchronized (watchdogLock) {
      toKill = watchdog;
      watchdog = null;
    }
    if (toKill != null) {
      failures.run(toKill::close);
    }
    failures.run(netlink::close);
    failures.run(() -> libc.close(fd));
    failures.run(machine::close);
    failures.throwIfAny();
  }

  /**
   * Waits until the thread has ended, down to the kernel task: {@code join} returns when the Java
   * thread is done, a moment before its task leaves {@code /proc/self/task} and lets go of the
   * namespace.
   */
  private static void joinQuietly(Thread t) {
    if (t == null) {
      return;
    }
    try {
      t.join(10_000);
      int tid = t instanceof NamespaceThread nt ? nt.tid : 0;
      if (tid > 0) {
        long deadline = System.nanoTime() + 1_000_000_000L;
        while (Tasks.isListed(tid) && System.nanoTime() < deadline) {
          Thread.onSpinWait();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("namespace " + name + " is closed");
    }
  }

  @Override
  public String toString() {
    return "NetworkNamespace[" + name + ", net:[" + inode + "]" + (closed ? ", closed" : "") + "]";
  }

  /** What a {@link NamespaceThread} is for, which decides what it does when entering fails. */
  private enum Role {
    /**
     * The namespace's one service thread: it sets up the machine view that later threads join, and
     * if entering fails it runs its pool loop anyway, so that every task fails its namespace check
     * instead of hanging its caller.
     */
    SERVICE,
    /** A thread of one long task (a test body): if entering fails, the task fails its check. */
    BODY,
    /**
     * A user's thread from {@link #threadFactory()}: if entering fails, it dies without its task.
     */
    USER
  }

  /** A platform thread that enters its namespace before running its task. */
  static final class NamespaceThread extends Thread {
    private final NetworkNamespace namespace;
    private final Role role;
    private volatile int tid;

    NamespaceThread(NetworkNamespace namespace, Runnable task, String threadName, Role role) {
      super(task, threadName);
      this.namespace = namespace;
      this.role = role;
      setDaemon(true);
    }

    @Override
    public void run() {
      tid = namespace.libc.gettid();
      try {
        namespace.enter(role == Role.SERVICE);
      } catch (RuntimeException | Error e) {
        if (role == Role.USER) {
          throw e;
        }
      }
      super.run();
    }
  }
}
