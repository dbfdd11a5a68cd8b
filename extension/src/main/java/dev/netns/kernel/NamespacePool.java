package dev.netns.kernel;

import dev.netns.nativeaccess.LibC;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A bounded stock of fresh network namespaces, made ahead of need by one background thread, from
 * which {@link NetworkNamespace#createAll} takes before it makes any itself: a test's namespaces
 * then cost a queue operation instead of an {@code unshare(CLONE_NEWNET)} each, the kernel's work
 * having been done while earlier tests ran.
 *
 * <pre>{@code
 * try (NamespacePool pool = NamespacePool.startIfNoneRuns(8).orElseThrow()) {
 *   ... Topology.builder()...build().start() takes its namespaces from the pool ...
 * }
 * }</pre>
 *
 * <p>What a stocked namespace is: new, anonymous (held only by this JVM's descriptors, so a JVM
 * killed with {@code kill -9} leaves none behind), loopback up, a descriptor and a netlink socket,
 * and nothing else: no thread, no watchdog, no machine view, sysctls as the kernel made them. It is
 * exactly what {@code createAll} makes for a host that is neither a router nor given IPv6
 * addresses; the taking thread steps in to tune it for IPv6 or turn on forwarding, as {@code
 * createAll} would have done while making it. A namespace leaves the stock once, for one user, and
 * is never put back: its user closes it, and the refill makes a new one.
 *
 * <p>At most one pool runs in a JVM ({@link #current()}); {@link #close} stops the refill and
 * closes the stocked namespaces. The refill never runs while the JVM shuts down, and stops for good
 * at its first failure (no privilege, for one), after which callers make their own namespaces and
 * meet the failure themselves.
 */
public final class NamespacePool implements AutoCloseable {
  /** The most namespaces a pool may stock: each holds two descriptors and kernel memory. */
  public static final int MAX_CAPACITY = 256;

  /**
   * How long the refill waits after the last {@code createAll} ended: the taker goes on to wire its
   * network (links, addresses), which needs the same kernel lock (rtnl) that making a namespace
   * takes, so the refill starts once the test is past its setup, in its body.
   */
  private static final long QUIET_NANOS = 1_000_000;

  /** The refill thread's nice value: the lowest priority short of SCHED_IDLE. */
  private static final int NICE = 19;

  private static final Object RUNNING_LOCK = new Object();
  private static volatile NamespacePool current;

  private final int capacity;
  private final ArrayDeque<NetworkNamespace> stock = new ArrayDeque<>();
  private final Thread refiller;
  private final Thread shutdownHook;
  private boolean closed;
  private int creating;
  // Starts a moment before the pool: nanoTime's origin is arbitrary, and may make 0 the future.
  private long quietSince = System.nanoTime() - QUIET_NANOS;
  private RuntimeException refillFailure;
  private long made;
  private long handedOut;
  private long missed;

  private NamespacePool(int capacity) {
    this.capacity = capacity;
    this.refiller = new Thread(this::refillLoop, "netns-pool");
    refiller.setDaemon(true);
    refiller.setPriority(Thread.MIN_PRIORITY);
    this.shutdownHook = new Thread(this::stopRefill, "netns-pool-shutdown");
  }

  /**
   * Starts a pool of {@code capacity} namespaces, which fills in the background, unless one runs in
   * this JVM already (then empty: the running pool serves, and its owner closes it).
   *
   * @throws IllegalArgumentException unless {@code 1 <= capacity <= MAX_CAPACITY}
   */
  public static Optional<NamespacePool> startIfNoneRuns(int capacity) {
    if (capacity < 1 || capacity > MAX_CAPACITY) {
      throw new IllegalArgumentException(
          "a namespace pool holds 1 to " + MAX_CAPACITY + " namespaces, not " + capacity);
    }
    synchronized (RUNNING_LOCK) {
      if (current != null) {
        return Optional.empty();
      }
      NamespacePool pool = new NamespacePool(capacity);
      Runtime.getRuntime().addShutdownHook(pool.shutdownHook);
      // Started from the factory thread, which is at home: a thread inherits its starter's
      // namespaces, and the refill thread must not pin a test's namespace (or view) for its life.
      NamespaceFactory.call(
          () -> {
            pool.refiller.start();
            return null;
          });
      current = pool;
      return Optional.of(pool);
    }
  }

  /** The running pool, or null. */
  static NamespacePool current() {
    return current;
  }

  /** The pool running in this JVM, if any: to wait until it is warm, or to read its counters. */
  public static Optional<NamespacePool> running() {
    return Optional.ofNullable(current);
  }

  /** What is stocked now, in the order it will be handed out; for tests. */
  synchronized List<NetworkNamespace> stocked() {
    return List.copyOf(stock);
  }

  /**
   * Takes up to {@code count} stocked namespaces, each for good. Fewer (none when closed or empty)
   * when the stock is short: the caller makes the rest, and the refill, which would only compete
   * with it for the same kernel locks, waits until {@link #created} says it is done.
   */
  synchronized List<NetworkNamespace> take(int count) {
    creating++;
    List<NetworkNamespace> taken = new ArrayList<>(Math.min(count, stock.size()));
    while (taken.size() < count && !stock.isEmpty()) {
      taken.add(stock.poll());
    }
    handedOut += taken.size();
    missed += count - taken.size();
    return taken;
  }

  /** Called once after each {@link #take}, when the caller has all its namespaces. */
  synchronized void created() {
    creating--;
    quietSince = System.nanoTime();
    notifyAll();
  }

  private void refillLoop() {
    // Java priorities mean nothing to Linux by default; a nice value does: the refill gets a CPU
    // only when the tests (and everything else at the default nice 0) leave one idle.
    try {
      LibC libc = LibC.instance();
      libc.setThreadNice(libc.gettid(), NICE);
    } catch (RuntimeException e) {
      // Not allowed (a seccomp filter, say): the refill runs at the default priority.
    }
    long number = 0;
    while (true) {
      synchronized (this) {
        while (!closed) {
          try {
            if (stock.size() >= capacity || creating > 0) {
              wait();
              continue;
            }
            // One reading of the clock decides both whether to go and how long to wait.
            long quietIn = quietSince + QUIET_NANOS - System.nanoTime();
            if (quietIn <= 0) {
              break;
            }
            wait(quietIn / 1_000_000, (int) (quietIn % 1_000_000));
          } catch (InterruptedException e) {
            closed = true;
          }
        }
        if (closed) {
          notifyAll();
          return;
        }
      }
      NetworkNamespace fresh;
      try {
        fresh = NetworkNamespace.createForPool("pooled-" + ++number);
      } catch (RuntimeException | Error e) {
        synchronized (this) {
          refillFailure = e instanceof RuntimeException r ? r : new IllegalStateException(e);
          notifyAll();
        }
        return;
      }
      boolean stocked;
      synchronized (this) {
        stocked = !closed;
        if (stocked) {
          stock.add(fresh);
          made++;
          notifyAll();
        }
      }
      if (!stocked) {
        fresh.close();
      }
    }
  }

  /** The shutdown hook: no namespace is made while the JVM exits (it frees them all anyway). */
  private synchronized void stopRefill() {
    closed = true;
    notifyAll();
  }

  /**
   * Waits until the stock is full, the refill has failed or the pool is closed; true if full. For
   * benchmarks and tests that need a warm pool, such as the one a test finds after a longer one.
   */
  public synchronized boolean awaitFull(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (stock.size() < capacity && !closed && refillFailure == null) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      wait(Math.max(1, left / 1_000_000));
    }
    return stock.size() >= capacity;
  }

  /** How many namespaces the pool stocks when full. */
  public int capacity() {
    return capacity;
  }

  /** How many are stocked now. */
  public synchronized int size() {
    return stock.size();
  }

  /** How many namespaces the refill has stocked since the pool started. */
  public synchronized long made() {
    return made;
  }

  /** How many namespaces were handed out. */
  public synchronized long handedOut() {
    return handedOut;
  }

  /** How many namespaces callers asked for and had to make themselves, the stock being empty. */
  public synchronized long missed() {
    return missed;
  }

  /** Why the refill stopped, if it failed. */
  public synchronized Optional<RuntimeException> refillFailure() {
    return Optional.ofNullable(refillFailure);
  }

  /**
   * Stops the refill (waiting for a namespace it is making) and closes every stocked namespace;
   * namespaces handed out are their users' to close. Idempotent.
   */
  @Override
  public void close() {
    synchronized (RUNNING_LOCK) {
      if (current == this) {
        current = null;
      }
    }
    List<NetworkNamespace> left;
    synchronized (this) {
      closed = true;
      notifyAll();
    }
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // The JVM is shutting down: the hook has run or runs now, which is all it does.
    }
    try {
      refiller.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    synchronized (this) {
      left = new ArrayList<>(stock);
      stock.clear();
    }
    Failures failures = new Failures();
    for (NetworkNamespace namespace : left) {
      failures.run(namespace::close);
    }
    failures.throwIfAny();
  }

  @Override
  public synchronized String toString() {
    return "NamespacePool["
        + stock.size()
        + " of "
        + capacity
        + " stocked, "
        + handedOut
        + " handed out, "
        + missed
        + " missed"
        + (closed ? ", closed" : "")
        + (refillFailure != null ? ", refill failed: " + refillFailure : "")
        + "]";
  }
}
