package dev.netns.junit.internal;

import dev.netns.junit.Fault;
import dev.netns.topology.ActiveFault;

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
  public void heal() {
    fault.heal();
  }

  @Override
  public String toString() {
    return fault.toString();
  }
}
