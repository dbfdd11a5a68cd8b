package dev.netns.junit.internal;

import dev.netns.junit.AppliedFault;
import dev.netns.junit.Fault;
import dev.netns.junit.FaultSchedule;
import dev.netns.junit.History;
import dev.netns.junit.Nemesis;
import dev.netns.junit.Network;
import dev.netns.junit.ScheduledFault;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.opentest4j.TestAbortedException;

/**
 * A fault schedule running on its own platform thread (in the machine's namespace: faults are made
 * over each namespace's netlink socket, from any thread). The thread sleeps until each planned
 * start, applies the fault, sleeps until its end and heals it; when stopped it heals the fault in
 * force before it exits. A fault that fails to apply or heal stops the schedule, and {@link #stop}
 * throws it (a skip, for a fault the machine cannot carry out, as it is).
 */
final class RunningNemesis implements Nemesis {
  private static final AtomicInteger THREADS = new AtomicInteger();
  private static final long STOP_WAIT_MILLIS = 15_000;

  private final Network network;
  private final Iterator<ScheduledFault> plan;
  private final long seed;
  private final SeedOrigin origin;
  private final Optional<History> history;

  /** The history's record of each fault in force, ended when it heals. */
  private final Map<ScheduledFault, History.FaultSpan> spans = new ConcurrentHashMap<>();

  private final List<AppliedFault> applied = new ArrayList<>();
  private final Thread thread;
  private long origin0;
  private boolean stopping;
  private boolean finished;
  private RuntimeException failure;
  private boolean failureThrown;

  private RunningNemesis(Network network, FaultSchedule schedule, long seed, SeedOrigin origin) {
    this.network = network;
    this.seed = seed;
    this.origin = origin;
    this.history = schedule.history();
    // Validates the schedule against the network before anything runs.
    this.plan = schedule.plan(seed, network).iterator();
    this.thread = new Thread(this::run, "netns-nemesis-" + THREADS.incrementAndGet());
    thread.setDaemon(true);
  }

  /** Checks {@code schedule} against {@code network}, then starts it. */
  static RunningNemesis start(
      Network network, FaultSchedule schedule, long seed, SeedOrigin origin) {
    RunningNemesis nemesis = new RunningNemesis(network, schedule, seed, origin);
    synchronized (nemesis) {
      nemesis.origin0 = System.nanoTime();
    }
    nemesis.thread.start();
    return nemesis;
  }

  @Override
  public long seed() {
    return seed;
  }

  SeedOrigin origin() {
    return origin;
  }

  @Override
  public synchronized List<AppliedFault> applied() {
    return List.copyOf(applied);
  }

  @Override
  public synchronized boolean isRunning() {
    return !finished && !stopping;
  }

  @Override
  public void stop() {
    synchronized (this) {
      stopping = true;
      notifyAll();
    }
    if (Thread.currentThread() != thread) {
      try {
        thread.join(STOP_WAIT_MILLIS);
        if (thread.isAlive()) {
          thread.interrupt();
          thread.join(STOP_WAIT_MILLIS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    synchronized (this) {
      if (thread.isAlive() && failure == null) {
        failure =
            new IllegalStateException(
                "the fault schedule (seed "
                    + seed
                    + ") did not stop within "
                    + 2 * STOP_WAIT_MILLIS / 1000
                    + " s: a fault is taking that long to apply or heal");
      }
      if (failure != null && !failureThrown) {
        failureThrown = true;
        throw failure;
      }
    }
  }

  private void run() {
    Fault inForce = null;
    ScheduledFault current = null;
    String step = "plan";
    try {
      while (plan.hasNext()) {
        current = plan.next();
        if (!sleepUntil(current.start())) {
          return;
        }
        step = "apply";
        inForce = current.apply(network);
        record(current, inForce.description());
        boolean timeUp = sleepUntil(current.start().plus(current.duration()));
        step = "heal";
        Fault healing = inForce;
        inForce = null;
        heal(current, healing);
        step = "plan";
        if (!timeUp) {
          return;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception | Error e) {
      fail(current, step, e);
    } finally {
      try {
        if (inForce != null) {
          try {
            heal(current, inForce);
          } catch (RuntimeException | Error e) {
            fail(current, "heal", e);
          }
        }
      } finally {
        synchronized (this) {
          finished = true;
          notifyAll();
        }
      }
    }
  }

  /** Waits until {@code at} from the start; false when stopped first. */
  private synchronized boolean sleepUntil(Duration at) throws InterruptedException {
    long deadline = origin0 + at.toNanos();
    while (!stopping) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return true;
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    return false;
  }

  private void record(ScheduledFault planned, String description) {
    history.ifPresent(h -> spans.put(planned, h.faultStarted(description)));
    synchronized (this) {
      applied.add(new AppliedFault(planned, description, since(), Optional.empty()));
    }
  }

  private void heal(ScheduledFault planned, Fault fault) {
    fault.heal();
    History.FaultSpan span = spans.remove(planned);
    if (span != null) {
      span.healed();
    }
    synchronized (this) {
      for (int i = applied.size() - 1; i >= 0; i--) {
        AppliedFault a = applied.get(i);
        if (a.planned() == planned && a.healed().isEmpty()) {
          applied.set(
              i, new AppliedFault(planned, a.description(), a.started(), Optional.of(since())));
          return;
        }
      }
    }
  }

  private synchronized void fail(ScheduledFault planned, String what, Throwable e) {
    if (e instanceof TestAbortedException skip && failure == null) {
      // The machine cannot carry the fault out (no path for an impairment): the test's skip.
      failure = skip;
      return;
    }
    RuntimeException wrapped =
        new IllegalStateException(
            "the fault schedule (seed "
                + seed
                + ") could not "
                + what
                + (planned == null ? "" : " " + planned)
                + ": "
                + e.getMessage(),
            e);
    if (failure == null) {
      failure = wrapped;
    } else {
      failure.addSuppressed(wrapped);
    }
  }

  private Duration since() {
    return Duration.ofNanos(System.nanoTime() - origin0);
  }
}
