package dev.netns.topology;

import dev.netns.kernel.Cidr;
import dev.netns.kernel.Inspection;
import dev.netns.kernel.LinkInfo;
import dev.netns.kernel.Links;
import dev.netns.kernel.NetworkNamespace;
import dev.netns.kernel.RouteType;
import dev.netns.kernel.Routes;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The host routes that partitions and cuts add in senders' routing tables, counted: overlapping
 * faults share a route, and it goes only when the last of them heals. A silent route leads to
 * {@link #VOID}, a bridge with no ports that swallows what is routed to it and sends nothing of its
 * own, so that its transmit counter counts exactly the packets swallowed; a rejecting one is of
 * type {@code unreachable}, which no kernel counter counts for locally sent packets.
 */
final class DropRoutes {
  /** The port-less bridge in a namespace that swallows what is routed to it. */
  static final String VOID = "nj-void";

  /**
   * A host route (/32 or /128) in one namespace.
   *
   * @param namespace the sender's namespace
   * @param destination the host route's destination
   */
  record Key(NetworkNamespace namespace, Cidr destination) {
    /** The host route keeping {@code namespace} from reaching {@code address}. */
    static Key of(NetworkNamespace namespace, Cidr address) {
      return new Key(namespace, new Cidr(address.address(), address.isIpv6() ? 128 : 32));
    }
  }

  /** A route in force: its mode, and how many faults need it. */
  private record Held(DropMode mode, int count) {}

  private final Map<Key, Held> held = new HashMap<>();
  private final Set<NetworkNamespace> voids = new HashSet<>();

  /** Adds the route (or counts one more fault needing it); refuses to mix modes on one route. */
  synchronized void add(Key key, DropMode mode) {
    Held current = held.get(key);
    if (current != null && current.mode() != mode) {
      throw new IllegalStateException(
          "a "
              + current.mode().word()
              + " fault already keeps "
              + key.namespace().name()
              + " from reaching "
              + key.destination().address().getHostAddress()
              + "; a "
              + mode.word()
              + " one cannot stack on it. Heal it first");
    }
    if (current == null) {
      if (mode == DropMode.REJECTING) {
        Routes.addRefusing(key.namespace(), key.destination(), RouteType.UNREACHABLE);
      } else {
        ensureVoid(key.namespace());
        Routes.addOnLink(key.namespace(), key.destination(), VOID);
      }
    }
    held.put(key, new Held(mode, current == null ? 1 : current.count() + 1));
  }

  /**
   * Counts one fault fewer needing the route, and deletes it after the last. The count changes only
   * once the kernel has done its part, so that a failed removal can be retried without counting
   * twice. A route already gone (deleted by someone else) counts as deleted.
   */
  synchronized void remove(Key key) {
    Held current = held.get(key);
    if (current == null) {
      return;
    }
    if (current.count() > 1) {
      held.put(key, new Held(current.mode(), current.count() - 1));
      return;
    }
    if (current.mode() == DropMode.REJECTING) {
      Routes.deleteRefusing(key.namespace(), key.destination(), RouteType.UNREACHABLE);
    } else {
      Routes.delete(key.namespace(), key.destination());
    }
    held.remove(key);
  }

  /**
   * Packets swallowed so far by the void of {@code ns} (every silent fault's routes there lead to
   * it); 0 before the first silent fault made it.
   */
  synchronized long swallowed(NetworkNamespace ns) {
    if (!voids.contains(ns)) {
      return 0;
    }
    for (LinkInfo link : Inspection.links(ns)) {
      if (link.name().equals(VOID)) {
        return link.stats().txPackets();
      }
    }
    return 0;
  }

  private void ensureVoid(NetworkNamespace ns) {
    if (!voids.contains(ns)) {
      Links.createVoid(ns, VOID);
      // Known from here on: should bringing it up fail, the next fault must not create it again.
      voids.add(ns);
      Links.setUpNoArp(ns, VOID);
    }
  }
}
