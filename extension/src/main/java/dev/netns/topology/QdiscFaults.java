package dev.netns.topology;

import dev.netns.kernel.Qdiscs;
import java.util.HashMap;
import java.util.Map;

/**
 * Kernel impairments (TBF, netem) in force, one per interface: an interface has one root queueing
 * discipline, so a second impairment of the same interface is refused, naming the first.
 */
final class QdiscFaults {
  private final Map<InterfaceKey, String> inForce = new HashMap<>();

  /** Runs {@code install} for the fault {@code description}, unless one is in force there. */
  synchronized void add(InterfaceKey key, String description, Runnable install) {
    String current = inForce.get(key);
    if (current != null) {
      throw new IllegalStateException(
          "impair: traffic leaving "
              + key
              + " is already impaired by the kernel ("
              + current
              + "); heal that fault first, or put everything in one Impairment");
    }
    install.run();
    inForce.put(key, description);
  }

  /** Removes the interface's root qdisc; one already gone (or its interface) counts as removed. */
  synchronized void remove(InterfaceKey key) {
    if (inForce.containsKey(key)) {
      Qdiscs.deleteRoot(key.namespace(), key.name());
      inForce.remove(key);
    }
  }
}
