package dev.netns.topology;

import dev.netns.kernel.Failures;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * Work of a large network shared over the machine's cores: independent parts (namespaces to make,
 * batches for different namespaces) run at once, one part on the calling thread and the others on
 * short-lived platform threads of their own, started where the caller is.
 *
 * <p>Small networks are not spread: a thread costs some tens of microseconds to start, more than a
 * pair of namespaces gains from it. Each part must be worth {@link #MIN_PER_PART} items.
 *
 * <pre>{@code
 * List<List<String>> parts = Spread.split(names, Spread.parts(names.size()));
 * List<Spread.Outcome<List<NetworkNamespace>>> made = Spread.run(parts, NetworkNamespace::createAll);
 * Spread.failures(made).throwIfAny();
 * }</pre>
 */
final class Spread {
  /** The fewest items a part must have to be run on a thread of its own. */
  static final int MIN_PER_PART = 16;

  private Spread() {}

  /** How many parts {@code items} independent items are worth: at most one per core. */
  static int parts(int items) {
    int cores = Runtime.getRuntime().availableProcessors();
    return Math.max(1, Math.min(cores, items / MIN_PER_PART));
  }

  /** The items in {@code parts} runs of consecutive items, sizes differing by at most one. */
  static <T> List<List<T>> split(List<T> items, int parts) {
    List<List<T>> split = new ArrayList<>(parts);
    for (int i = 0; i < parts; i++) {
      split.add(items.subList(items.size() * i / parts, items.size() * (i + 1) / parts));
    }
    return split;
  }

  /** What became of one part: its result, or what it threw. */
  record Outcome<R>(R result, Throwable failure) {
    boolean ok() {
      return failure == null;
    }
  }

  /** A part's work. */
  interface Work<T, R> {
    R apply(T part) throws Exception;
  }

  /**
   * Runs {@code work} on every part at once and waits for all of them, whatever each one does: the
   * outcomes in the order of the parts, so that a caller can undo what the successful ones made
   * when another failed.
   */
  static <T, R> List<Outcome<R>> run(List<T> parts, Work<T, R> work) {
    List<Outcome<R>> outcomes = new ArrayList<>(parts.size());
    List<Worker<R>> workers = new ArrayList<>();
    for (int i = 1; i < parts.size(); i++) {
      T part = parts.get(i);
      Worker<R> worker = new Worker<>(() -> work.apply(part));
      Thread thread = new Thread(worker, "netns-build-" + i);
      thread.setDaemon(true);
      worker.thread = thread;
      workers.add(worker);
      thread.start();
    }
    outcomes.add(outcome(() -> work.apply(parts.get(0))));
    boolean interrupted = false;
    for (Worker<R> worker : workers) {
      while (true) {
        try {
          worker.thread.join();
          break;
        } catch (InterruptedException e) {
          // The parts change the kernel: let them finish, so that what they made can be undone.
          interrupted = true;
        }
      }
      outcomes.add(worker.outcome);
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    return outcomes;
  }

  /** The failures among {@code outcomes}, in the order of the parts. */
  static Failures failures(List<? extends Outcome<?>> outcomes) {
    Failures failures = new Failures();
    for (Outcome<?> outcome : outcomes) {
      if (!outcome.ok()) {
        failures.add(outcome.failure());
      }
    }
    return failures;
  }

  private static <R> Outcome<R> outcome(Callable<R> task) {
    try {
      return new Outcome<>(task.call(), null);
    } catch (Exception | Error e) {
      return new Outcome<>(null, e);
    }
  }

  /** One part on a thread of its own. */
  private static final class Worker<R> implements Runnable {
    private final Callable<R> task;
    private Thread thread;
    private volatile Outcome<R> outcome;

    Worker(Callable<R> task) {
      this.task = task;
    }

    @Override
    public void run() {
      outcome = outcome(task);
    }
  }
}
