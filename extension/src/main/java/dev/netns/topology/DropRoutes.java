package dev.netns.topology;

import dev.netns.kernel.Changes;
import dev.netns.kernel.Cidr;
import dev.netns.kernel.Failures;
import dev.netns.kernel.Inspection;
import dev.netns.kernel.Links;
import dev.netns.kernel.NetworkNamespace;
import dev.netns.kernel.RouteType;
import dev.netns.nativeaccess.Errno;
import dev.netns.nativeaccess.KernelException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The routes that partitions and cuts add in senders' routing tables, counted: overlapping faults
 * share a route, and it goes only when the last of them heals. A silent route leads to {@link
 * #VOID}, a bridge with no ports that swallows what is routed to it and sends nothing of its own,
 * so that its transmit counter counts exactly the packets swallowed; a rejecting one is of type
 * {@code unreachable}, which no kernel counter counts for locally sent packets.
 *
 * <p>A route is a host route or a prefix covering several hosts of the other side ({@link
 * PrefixCover}). Two faults may add different prefixes that overlap: both stay in the table, and
 * since each fault's prefixes cover only addresses that fault blocks (and addresses of no host),
 * taking one fault's routes out leaves the other's addresses covered by its own. Overlapping routes
 * of different modes would make the more specific one decide for both faults, so they are refused.
 *
 * <p>A fault's routes go in and out in one batch per namespace ({@link Changes}): a partition of a
 * 100-host LAN in halves is 400 prefixes in 100 round trips, not 5,000 host routes. The kernel
 * answers each route on its own, so a batch that fails part-way keeps exactly what it did in the
 * counts, and what failed is undone or retried alone.
 */
final class DropRoutes {
  /** The port-less bridge in a namespace that swallows what is routed to it. */
  static final String VOID = "nj-void";

  /**
   * A drop route in one namespace: a host route (/32 or /128) or a prefix of several hosts.
   *
   * @param namespace the sender's namespace
   * @param destination the route's destination, a network (host bits clear)
   */
  record Key(NetworkNamespace namespace, Cidr destination) {}

  /** A route in force: its mode, and how many faults need it. */
  private record Held(DropMode mode, int count) {}

  private final Map<Key, Held> held = new HashMap<>();

  /** The keys in {@link #held} of each namespace, to find overlapping routes of the other mode. */
  private final Map<NetworkNamespace, Set<Key>> heldIn = new HashMap<>();

  /** The void bridge of each namespace that has one, by its ifindex. */
  private final Map<NetworkNamespace, Integer> voids = new HashMap<>();

  /**
   * Adds the routes (or counts one more fault needing each), one batch per namespace. Refuses,
   * before any change, when one of them, or a route overlapping it, is in force in the other mode.
   * When the kernel refuses a route, the routes this call added are taken out again and nothing is
   * counted.
   */
  synchronized void addAll(List<Key> keys, DropMode mode) {
    Set<Key> wanted = new LinkedHashSet<>(keys);
    Map<NetworkNamespace, List<Key>> fresh = new LinkedHashMap<>();
    for (Key key : wanted) {
      Held current = held.get(key);
      if (current == null) {
        refuseOverlapInOtherMode(key, mode);
        fresh.computeIfAbsent(key.namespace(), k -> new ArrayList<>()).add(key);
      } else if (current.mode() != mode) {
        throw stacking(current.mode(), mode, key.namespace(), key.destination());
      }
    }
    List<Key> added = new ArrayList<>();
    List<Key> inFlight = List.of();
    Failures failures = new Failures();
    try {
      for (Map.Entry<NetworkNamespace, List<Key>> batch : fresh.entrySet()) {
        NetworkNamespace ns = batch.getKey();
        Changes changes = Changes.in(ns);
        for (Key key : batch.getValue()) {
          if (mode == DropMode.REJECTING) {
            changes.addRefusingRoute(key.destination(), RouteType.UNREACHABLE);
          } else {
            changes.addRoute(
                key.destination(),
                null,
                voidIndex(ns),
                false,
                "RTM_NEWROUTE " + key.destination() + " dev " + VOID + " in " + ns.name());
          }
        }
        inFlight = batch.getValue();
        List<KernelException> outcomes = changes.executeEach();
        inFlight = List.of();
        for (int i = 0; i < outcomes.size(); i++) {
          if (outcomes.get(i) == null) {
            added.add(batch.getValue().get(i));
          } else {
            failures.add(outcomes.get(i));
          }
        }
        if (!failures.isEmpty()) {
          break;
        }
      }
    } catch (RuntimeException e) {
      failures.add(e);
      // A batch cut short (a send or receive failed) may have added any of its routes, all new:
      // each is deleted, one already absent counting as deleted.
      added.addAll(inFlight);
    }
    if (!failures.isEmpty()) {
      for (Key key : added) {
        hold(key, new Held(mode, 1));
      }
      failures.run(() -> removeAll(added));
      failures.throwIfAny();
    }
    for (Key key : wanted) {
      Held current = held.get(key);
      hold(key, new Held(mode, current == null ? 1 : current.count() + 1));
    }
  }

  /**
   * Counts one fault fewer needing each route, and deletes a route after the last, the deletions in
   * one batch per namespace. A count changes only once the kernel has done its part, and each key
   * done with is taken out of {@code keys}, so that after a failure the list holds exactly what is
   * left to retry (never counting one down twice); then the first failure is thrown with the others
   * suppressed. A route already gone (deleted by someone else) counts as deleted.
   */
  synchronized void removeAll(List<Key> keys) {
    Map<NetworkNamespace, List<Key>> last = new LinkedHashMap<>();
    for (Iterator<Key> it = keys.iterator(); it.hasNext(); ) {
      Key key = it.next();
      Held current = held.get(key);
      if (current == null) {
        it.remove();
      } else if (current.count() > 1) {
        held.put(key, new Held(current.mode(), current.count() - 1));
        it.remove();
      } else {
        last.computeIfAbsent(key.namespace(), k -> new ArrayList<>()).add(key);
      }
    }
    Failures failures = new Failures();
    Set<Key> done = new HashSet<>();
    for (Map.Entry<NetworkNamespace, List<Key>> batch : last.entrySet()) {
      Changes changes = Changes.in(batch.getKey());
      for (Key key : batch.getValue()) {
        if (held.get(key).mode() == DropMode.REJECTING) {
          changes.deleteRefusingRoute(key.destination(), RouteType.UNREACHABLE);
        } else {
          changes.deleteRoute(key.destination());
        }
      }
      List<KernelException> outcomes;
      try {
        outcomes = changes.executeEach();
      } catch (RuntimeException e) {
        failures.add(e);
        continue;
      }
      for (int i = 0; i < outcomes.size(); i++) {
        KernelException e = outcomes.get(i);
        // ESRCH: no such route any more (deleted by someone else, or gone with its device).
        if (e == null || e.errno() == Errno.ESRCH || e.errno() == Errno.ENOENT) {
          Key key = batch.getValue().get(i);
          release(key);
          done.add(key);
        } else {
          failures.add(e);
        }
      }
    }
    keys.removeIf(done::contains);
    failures.throwIfAny();
  }

  /**
   * Refuses a route that overlaps one of the other mode in its namespace: each covers a host that
   * both faults block (a prefix covers only hosts its fault blocks), and the narrower route would
   * decide for both.
   */
  private void refuseOverlapInOtherMode(Key key, DropMode mode) {
    for (Key other : heldIn.getOrDefault(key.namespace(), Set.of())) {
      Held theirs = held.get(other);
      if (theirs.mode() != mode && other.destination().overlaps(key.destination())) {
        Cidr narrower =
            other.destination().prefixLength() >= key.destination().prefixLength()
                ? other.destination()
                : key.destination();
        throw stacking(theirs.mode(), mode, key.namespace(), narrower);
      }
    }
  }

  private void hold(Key key, Held count) {
    held.put(key, count);
    heldIn.computeIfAbsent(key.namespace(), k -> new HashSet<>()).add(key);
  }

  private void release(Key key) {
    held.remove(key);
    Set<Key> keys = heldIn.get(key.namespace());
    if (keys != null) {
      keys.remove(key);
      if (keys.isEmpty()) {
        heldIn.remove(key.namespace());
      }
    }
  }

  private static IllegalStateException stacking(
      DropMode held, DropMode wanted, NetworkNamespace ns, Cidr destination) {
    boolean host = destination.prefixLength() == (destination.isIpv6() ? 128 : 32);
    return new IllegalStateException(
        "a "
            + held.word()
            + " fault already keeps "
            + ns.name()
            + " from reaching "
            + (host ? Cidr.format(destination.address()) : destination.toString())
            + "; a "
            + wanted.word()
            + " one cannot stack on it. Heal it first");
  }

  /**
   * Packets swallowed so far by the void of {@code ns} (every silent fault's routes there lead to
   * it); 0 before the first silent fault made it.
   */
  synchronized long swallowed(NetworkNamespace ns) {
    Integer index = voids.get(ns);
    if (index == null) {
      return 0;
    }
    try {
      return Inspection.linkStats(ns, index).txPackets();
    } catch (KernelException e) {
      if (e.errno() == Errno.ENODEV) {
        return 0; // deleted by someone else
      }
      throw e;
    }
  }

  /** The void bridge's ifindex in {@code ns}, made (up, no ARP) the first time. */
  private int voidIndex(NetworkNamespace ns) {
    Integer index = voids.get(ns);
    if (index == null) {
      Links.createVoid(ns, VOID);
      // Known from here on: should bringing it up fail, the next fault must not create it again.
      index = Links.index(ns, VOID);
      voids.put(ns, index);
      Links.setUpNoArp(ns, VOID);
    }
    return index;
  }
}
