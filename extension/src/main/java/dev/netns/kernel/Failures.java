package dev.netns.kernel;

import java.util.ArrayList;
import java.util.List;

/**
 * Failures collected by a step that must go on after the first one (teardown, closing many things):
 * the first is thrown at the end with the others suppressed in it, so none is lost. The one place
 * that does this, for every layer above.
 *
 * <pre>{@code
 * Failures failures = new Failures();
 * failures.run(bindings::close);
 * failures.run(running::close);
 * failures.throwIfAny();
 * }</pre>
 */
public final class Failures {
  private final List<Throwable> collected = new ArrayList<>();

  /** Runs {@code step}, keeping what it throws. */
  public void run(Runnable step) {
    try {
      step.run();
    } catch (RuntimeException | Error e) {
      collected.add(e);
    }
  }

  /** Keeps a failure that happened elsewhere. */
  public void add(Throwable failure) {
    collected.add(failure);
  }

  /** Hands each collected failure, in order, to {@code action}. */
  public void forEach(java.util.function.Consumer<Throwable> action) {
    collected.forEach(action);
  }

  public boolean isEmpty() {
    return collected.isEmpty();
  }

  /**
   * Adds every collected failure as suppressed to {@code primary} (a failure that is being thrown
   * anyway) and returns it.
   */
  public <T extends Throwable> T suppressedIn(T primary) {
    collected.forEach(primary::addSuppressed);
    return primary;
  }

  /**
   * Throws the first failure with the rest suppressed in it; an exception that is neither unchecked
   * nor an error is wrapped in an {@link IllegalStateException}.
   */
  public void throwIfAny() {
    if (collected.isEmpty()) {
      return;
    }
    Throwable first = collected.get(0);
    for (Throwable other : collected.subList(1, collected.size())) {
      first.addSuppressed(other);
    }
    if (first instanceof RuntimeException e) {
      throw e;
    }
    if (first instanceof Error e) {
      throw e;
    }
    throw new IllegalStateException(first);
  }
}
