package dev.netns.junit;

import java.util.ArrayList;
import java.util.List;

/**
 * Several faults applied as one, such as the one-way cuts of a majorities ring: healing heals each,
 * newest first, and reports every failure (the first thrown, the others suppressed).
 */
final class FaultSet implements Fault {
  private final String description;
  private final List<Fault> faults;

  private FaultSet(String description, List<Fault> faults) {
    this.description = description;
    this.faults = List.copyOf(faults);
  }

  /**
   * Applies every one of {@code parts} in order; on a failure, heals what was applied and throws.
   */
  static Fault apply(String description, List<Part> parts) throws Exception {
    List<Fault> applied = new ArrayList<>();
    try {
      for (Part part : parts) {
        applied.add(part.apply());
      }
    } catch (Exception | Error e) {
      for (int i = applied.size() - 1; i >= 0; i--) {
        try {
          applied.get(i).heal();
        } catch (RuntimeException suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      throw e;
    }
    return new FaultSet(description, applied);
  }

  /** One fault of the set. */
  @FunctionalInterface
  interface Part {
    Fault apply() throws Exception;
  }

  @Override
  public String description() {
    return description;
  }

  @Override
  public boolean isActive() {
    return faults.stream().anyMatch(Fault::isActive);
  }

  @Override
  public void heal() {
    RuntimeException first = null;
    for (int i = faults.size() - 1; i >= 0; i--) {
      try {
        faults.get(i).heal();
      } catch (RuntimeException e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }

  /**
   * The parts' effects added up. Exact only when every part's is; not counted when no part's is;
   * otherwise shared (some part's counter is shared with other faults, or counts nothing).
   */
  @Override
  public FaultEffect effect() {
    long dropped = 0;
    long refused = 0;
    long delayed = 0;
    long duplicated = 0;
    long reordered = 0;
    int exact = 0;
    int counted = 0;
    for (Fault fault : faults) {
      FaultEffect part = fault.effect();
      if (part.accuracy() == FaultEffect.Accuracy.NOT_COUNTED) {
        continue;
      }
      counted++;
      exact += part.accuracy() == FaultEffect.Accuracy.EXACT ? 1 : 0;
      dropped += part.dropped();
      refused += part.refused();
      delayed += part.delayed();
      duplicated += part.duplicated();
      reordered += part.reordered();
    }
    String counter = "the sum over " + faults.size() + " faults, " + counted + " of them counted";
    FaultEffect.Accuracy accuracy =
        counted == 0
            ? FaultEffect.Accuracy.NOT_COUNTED
            : exact == faults.size() ? FaultEffect.Accuracy.EXACT : FaultEffect.Accuracy.SHARED;
    return new FaultEffect(dropped, refused, delayed, duplicated, reordered, accuracy, counter);
  }

  @Override
  public String toString() {
    return description;
  }
}
