package dev.netns.topology;

import dev.netns.kernel.Links;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which interfaces faults hold down, counted per interface like drop routes: an interface comes
 * back up when the last fault holding it down heals, and not while the test itself took it down
 * ({@code Link.down()}). The test cannot bring up ({@code Link.up()}) an interface a fault holds
 * down: the fault wins until healed.
 */
final class LinkStates {
  /** One fault's hold on interfaces: equal only to itself, as two faults may read the same. */
  static final class Hold {
    private final String description;

    Hold(String description) {
      this.description = description;
    }

    @Override
    public String toString() {
      return description;
    }
  }

  /** Per interface, the faults holding it down. */
  private final Map<InterfaceKey, List<Hold>> holders = new HashMap<>();

  /** Interfaces the test took down itself. */
  private final Set<InterfaceKey> downByTest = new HashSet<>();

  /** Takes the interfaces down for the fault {@code description}; undoes all on failure. */
  synchronized Hold hold(List<InterfaceKey> interfaces, String description) {
    Hold hold = new Hold(description);
    List<InterfaceKey> held = new ArrayList<>();
    try {
      for (InterfaceKey key : interfaces) {
        if (isUp(key)) {
          Links.setUp(key.namespace(), key.name(), false);
        }
        holders.computeIfAbsent(key, k -> new ArrayList<>()).add(hold);
        held.add(key);
      }
      return hold;
    } catch (RuntimeException e) {
      for (int i = held.size() - 1; i >= 0; i--) {
        try {
          release(held.get(i), hold);
        } catch (RuntimeException suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      throw e;
    }
  }

  /**
   * Releases one interface from a fault's hold, bringing it up when nothing else holds it down. The
   * count changes only once the kernel has done its part; an interface that is gone (deleted by
   * someone else) counts as released.
   */
  synchronized void release(InterfaceKey key, Hold hold) {
    List<Hold> faults = holders.get(key);
    if (faults == null || !faults.contains(hold)) {
      return;
    }
    if (faults.size() == 1 && !downByTest.contains(key) && exists(key)) {
      Links.setUp(key.namespace(), key.name(), true);
    }
    faults.remove(hold);
    if (faults.isEmpty()) {
      holders.remove(key);
    }
  }

  /** True while {@code hold} keeps the interface down. */
  synchronized boolean isHeldBy(InterfaceKey key, Hold hold) {
    return holders.getOrDefault(key, List.of()).contains(hold);
  }

  /** True when the interface exists, and neither a fault nor the test holds it down. */
  synchronized boolean isUp(InterfaceKey key) {
    return !holders.containsKey(key) && !downByTest.contains(key) && exists(key);
  }

  /** The faults holding any of these interfaces down, each named once. */
  synchronized Set<String> holdersOf(List<InterfaceKey> interfaces) {
    Set<String> names = new LinkedHashSet<>();
    for (InterfaceKey key : interfaces) {
      holders.getOrDefault(key, List.of()).forEach(h -> names.add(h.description));
    }
    return names;
  }

  /** The test takes the interfaces down ({@code Link.down()}). */
  synchronized void takeDownByTest(List<InterfaceKey> interfaces) {
    for (InterfaceKey key : interfaces) {
      Links.setUp(key.namespace(), key.name(), false);
      downByTest.add(key);
    }
  }

  /**
   * The test brings the interfaces up ({@code Link.up()}); refused, before any change, while a
   * fault holds one of them down.
   */
  synchronized void bringUpByTest(List<InterfaceKey> interfaces, String call) {
    Set<String> faults = holdersOf(interfaces);
    if (!faults.isEmpty()) {
      throw new IllegalStateException(
          call
              + ": "
              + String.join(" and ", interfaces.stream().map(InterfaceKey::toString).toList())
              + " are held down by "
              + (faults.size() == 1 ? "a fault" : "faults")
              + " in force ("
              + String.join("; ", faults)
              + "); heal "
              + (faults.size() == 1 ? "it" : "them")
              + " first");
    }
    for (InterfaceKey key : interfaces) {
      Links.setUp(key.namespace(), key.name(), true);
      downByTest.remove(key);
    }
  }

  private static boolean exists(InterfaceKey key) {
    return Links.find(key.namespace(), key.name()).isPresent();
  }
}
