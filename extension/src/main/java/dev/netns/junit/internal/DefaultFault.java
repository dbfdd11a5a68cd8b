package dev.netns.junit.internal;

import dev.netns.junit.Fault;
import dev.netns.junit.FaultEffect;
import dev.netns.topology.ActiveFault;
import dev.netns.topology.FaultCounts;

/** {@link Fault} over a fault in force on the running topology. */
final class DefaultFault implements Fault {
  private final ActiveFault fault;

  DefaultFault(ActiveFault fault) {
    this.fault = fault;
  }

  @Override
  public String description() {
    return fault.description();
  }

  @Override
  public boolean isActive() {
    return fault.isActive();
  }

  @Override
  public FaultEffect effect() {
    return of(fault.counts());
  }

  /** The API's view of a fault's counts. */
  static FaultEffect of(FaultCounts c) {
    return new FaultEffect(
        c.dropped(),
        c.refused(),
        c.delayed(),
        c.duplicated(),
        c.reordered(),
        FaultEffect.Accuracy.valueOf(c.accuracy().name()),
        c.counter());
  }

  @Override
  public void heal() {
    fault.heal();
  }

  @Override
  public String toString() {
    return fault.toString();
  }
}
