package dev.netns.topology;

import dev.netns.kernel.Cidr;
import dev.netns.kernel.Ethtool;
import dev.netns.kernel.Links;
import dev.netns.kernel.NetworkNamespace;
import dev.netns.kernel.PacketSocket;
import dev.netns.kernel.Qdiscs;
import dev.netns.kernel.RouteType;
import dev.netns.kernel.Routes;
import dev.netns.netlink.IfLink;
import dev.netns.netlink.LinkRequests;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Makes a running topology misbehave the way real networks do, and heals it.
 *
 * <p>Partitions and one-way cuts act in the senders' routing tables: a host that must not reach
 * another gets a host route (/32, /128) for each of its addresses, either to a port-less bridge
 * that swallows every packet (silent: senders see timeouts, as in a real partition) or of type
 * {@code unreachable} (rejecting: senders fail fast with EHOSTUNREACH). More specific than any
 * subnet route, these win until removed; overlapping faults are counted, so healing one leaves the
 * others in force. Link faults take interfaces down (carrier lost both ways) and restore their
 * routes when they come back. Bandwidth uses TBF; delay and loss use netem where the kernel has it.
 */
public final class FaultInjector {
  /** The port-less bridge in a namespace that swallows what is routed to it. */
  static final String VOID = "nj-void";

  private final RunningTopology network;
  private final Map<NetworkNamespace, Boolean> voids = new HashMap<>();
  private final Map<String, Integer> dropRoutes = new HashMap<>();
  private final List<ActiveFault> active = new ArrayList<>();
  private final Map<Object, WireForwarder> forwarders = new HashMap<>();

  FaultInjector(RunningTopology network) {
    this.network = network;
  }

  /** Faults in force, oldest first. */
  public synchronized List<ActiveFault> active() {
    active.removeIf(f -> !f.isActive());
    return List.copyOf(active);
  }

  /** Heals every fault in force, newest first, collecting failures. */
  public void healAll() {
    List<ActiveFault> all = active();
    RuntimeException failure = null;
    for (int i = all.size() - 1; i >= 0; i--) {
      try {
        all.get(i).heal();
      } catch (RuntimeException e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  /**
   * Splits the hosts into groups that cannot reach each other. Hosts in no group keep reaching
   * everyone.
   */
  public ActiveFault partition(List<Set<String>> groups, boolean reject) {
    Set<String> seen = new LinkedHashSet<>();
    for (Set<String> group : groups) {
      for (String host : group) {
        requireHost("partition", host);
        if (!seen.add(host)) {
          throw new IllegalArgumentException("partition: '" + host + "' is in two groups");
        }
      }
    }
    List<String[]> pairs = new ArrayList<>();
    for (int i = 0; i < groups.size(); i++) {
      for (int j = 0; j < groups.size(); j++) {
        if (i != j) {
          for (String from : groups.get(i)) {
            for (String to : groups.get(j)) {
              pairs.add(new String[] {from, to});
            }
          }
        }
      }
    }
    String description =
        "partition "
            + groups.stream()
                .map(g -> g.stream().sorted().collect(Collectors.joining(", ", "{", "}")))
                .collect(Collectors.joining(" | "))
            + (reject ? " (rejecting)" : " (silent)");
    return drop(description, pairs, reject);
  }

  /** Packets from {@code from} to {@code to} vanish (or are refused); the other way still works. */
  public ActiveFault cut(String from, String to, boolean reject) {
    requireHost("cut", from);
    requireHost("cut", to);
    if (from.equals(to)) {
      throw new IllegalArgumentException("cut: from and to are both '" + from + "'");
    }
    return drop(
        "cut " + from + " -> " + to + (reject ? " (rejecting)" : " (silent)"),
        List.<String[]>of(new String[] {from, to}),
        reject);
  }

  private synchronized ActiveFault drop(String description, List<String[]> pairs, boolean reject) {
    List<DropRoute> added = new ArrayList<>();
    try {
      for (String[] pair : pairs) {
        NetworkNamespace ns = network.namespace(pair[0]);
        for (Cidr address : network.topology().addressesOf(pair[1])) {
          addDropRoute(ns, address, reject);
          added.add(new DropRoute(ns, address));
        }
      }
    } catch (RuntimeException e) {
      for (int i = added.size() - 1; i >= 0; i--) {
        try {
          removeDropRoute(added.get(i).namespace(), added.get(i).address(), reject);
        } catch (RuntimeException suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      throw e;
    }
    return register(
        description,
        () -> {
          synchronized (this) {
            for (int i = added.size() - 1; i >= 0; i--) {
              removeDropRoute(added.get(i).namespace(), added.get(i).address(), reject);
            }
          }
        });
  }

  private void addDropRoute(NetworkNamespace ns, Cidr address, boolean reject) {
    Cidr host = new Cidr(address.address(), address.isIpv6() ? 128 : 32);
    String key = ns.name() + "|" + host + "|" + reject;
    String otherKind = ns.name() + "|" + host + "|" + !reject;
    if (dropRoutes.getOrDefault(otherKind, 0) > 0) {
      throw new IllegalStateException(
          "a "
              + (reject ? "silent" : "rejecting")
              + " fault already keeps "
              + ns.name()
              + " from reaching "
              + host.address().getHostAddress()
              + "; a "
              + (reject ? "rejecting" : "silent")
              + " one cannot stack on it. Heal it first");
    }
    int count = dropRoutes.getOrDefault(key, 0);
    if (count == 0) {
      if (reject) {
        Routes.addRefusing(ns, host, RouteType.UNREACHABLE);
      } else {
        ensureVoid(ns);
        Routes.addOnLink(ns, host, VOID);
      }
    }
    dropRoutes.put(key, count + 1);
  }

  private void removeDropRoute(NetworkNamespace ns, Cidr address, boolean reject) {
    Cidr host = new Cidr(address.address(), address.isIpv6() ? 128 : 32);
    String key = ns.name() + "|" + host + "|" + reject;
    int count = dropRoutes.getOrDefault(key, 0);
    if (count == 1) {
      if (reject) {
        Routes.deleteRefusing(ns, host, RouteType.UNREACHABLE);
      } else {
        Routes.delete(ns, host);
      }
      dropRoutes.remove(key);
    } else if (count > 1) {
      dropRoutes.put(key, count - 1);
    }
  }

  private void ensureVoid(NetworkNamespace ns) {
    if (voids.putIfAbsent(ns, Boolean.TRUE) == null) {
      Links.createBridge(ns, VOID);
      int index = Links.index(ns, VOID);
      ns.netlink()
          .executeAll(
              List.of(
                  LinkRequests.setFlags(
                          index, IfLink.IFF_UP | IfLink.IFF_NOARP, IfLink.IFF_UP | IfLink.IFF_NOARP)
                      .describedAs("RTM_NEWLINK " + ns.name() + ":" + VOID + " up noarp")));
    }
  }

  /** Takes both ends of a veth pair down; healing brings them up and restores their routes. */
  public ActiveFault disconnect(VethPair link) {
    NetworkNamespace a = network.namespace(link.a());
    NetworkNamespace b = network.namespace(link.b());
    Links.setUp(a, link.aInterface(), false);
    Links.setUp(b, link.bInterface(), false);
    return register(
        "link "
            + link.a()
            + ":"
            + link.aInterface()
            + "<->"
            + link.b()
            + ":"
            + link.bInterface()
            + " down",
        () -> {
          Links.setUp(a, link.aInterface(), true);
          Links.setUp(b, link.bInterface(), true);
          network.restoreRoutes(List.of(link.a(), link.b()));
        });
  }

  /** Takes a host's port on a LAN down (its interface and the switch's port). */
  public ActiveFault disconnect(String host, String lan) {
    requireHost("disconnect", host);
    Lan declared = network.topology().lan(lan, "disconnect");
    LanPort port = declared.port(host);
    NetworkNamespace ns = network.namespace(host);
    NetworkNamespace sw = network.lanSwitch(lan);
    Links.setUp(ns, port.interfaceName(), false);
    Links.setUp(sw, port.switchPort(), false);
    return register(
        host + " unplugged from LAN " + lan,
        () -> {
          Links.setUp(sw, port.switchPort(), true);
          Links.setUp(ns, port.interfaceName(), true);
          network.restoreRoutes(List.of(host));
        });
  }

  /** A token-bucket rate limit on traffic leaving {@code host} through {@code link}. */
  public ActiveFault limitRate(String host, String link, long bitsPerSecond) {
    NetworkNamespace ns = network.namespace(host);
    long bytesPerSecond = Math.max(1, bitsPerSecond / 8);
    // A bucket of a few milliseconds' worth, and never less than a few full frames.
    int burst = (int) Math.max(16 * 1514, Math.min(bytesPerSecond / 100, Integer.MAX_VALUE));
    requireNoQdiscFault(host, link);
    Qdiscs.addTbf(ns, link, bytesPerSecond, burst, Duration.ofMillis(100));
    return register(
        "rate " + bitsPerSecond + " bit/s leaving " + host + ":" + link,
        () -> Qdiscs.deleteRoot(ns, link));
  }

  /**
   * The userspace path on an impairable link: frames leaving {@code from} go through a forwarder
   * that decides each one's fate from the impairment's seed.
   */
  public synchronized ActiveFault userspace(
      VethPair link, String from, FrameImpairment impairment) {
    requireHost("impair", from);
    boolean fromA = from.equals(link.a());
    if (!fromA && !from.equals(link.b())) {
      throw new IllegalArgumentException("impair: '" + from + "' is no end of " + link.origin());
    }
    NetworkNamespace wire = network.wire(link);
    return splice(
        link,
        from + " on " + link.origin(),
        fromA,
        impairment,
        "userspace " + impairment + " leaving " + from + " towards " + link.peerOf(from),
        () -> {
          // Whole frames only on the wire: see Ethtool.
          Ethtool.wholeFramesOnly(network.namespace(link.a()), link.aInterface());
          Ethtool.wholeFramesOnly(network.namespace(link.b()), link.bInterface());
          Ethtool.wholeFramesOnly(wire, RunningTopology.WIRE_A);
          Ethtool.wholeFramesOnly(wire, RunningTopology.WIRE_B);
          wire.netlink().executeAll(network.leaveWire(wire));
          return openForwarder(
              wire,
              RunningTopology.WIRE_A,
              RunningTopology.WIRE_B,
              link.a() + "-" + link.b(),
              () -> wire.netlink().executeAll(network.joinWire(wire)));
        },
        () -> wire.netlink().executeAll(network.joinWire(wire)));
  }

  /**
   * The userspace path on a host's LAN port: in the LAN's switch namespace, the host's port leaves
   * the bridge and a forwarder stands between it and a new veth pair whose other end takes its
   * place in the bridge. Frames leaving {@code host} are impaired.
   */
  public synchronized ActiveFault userspaceOnLanPort(
      String host, String lan, FrameImpairment impairment) {
    requireHost("impair", host);
    Lan declared = lan(lan);
    LanPort port = declared.port(host);
    NetworkNamespace sw = network.lanSwitch(lan);
    int position = declared.ports().indexOf(port);
    String inner = "fi" + position;
    String outer = "fo" + position;
    String key = "lan " + lan + " port " + host;
    return splice(
        key,
        host + "'s port on LAN " + lan,
        true,
        impairment,
        "userspace " + impairment + " leaving " + host + " on LAN " + lan,
        () -> {
          // Frames reach the forwarder from every host of the LAN: all must send whole frames.
          for (LanPort other : declared.ports()) {
            Ethtool.wholeFramesOnly(network.namespace(other.host()), other.interfaceName());
          }
          Links.createVeth(sw, inner, sw, outer);
          try {
            Links.setUp(sw, inner, true);
            Links.setUp(sw, outer, true);
            for (String name : new String[] {port.switchPort(), inner, outer}) {
              Ethtool.wholeFramesOnly(sw, name);
            }
            Links.setMaster(sw, outer, "br0");
            sw.netlink()
                .execute(
                    LinkRequests.setMaster(Links.index(sw, port.switchPort()), 0)
                        .describedAs(
                            "RTM_NEWLINK " + sw.name() + ":" + port.switchPort() + " nomaster"));
            return openForwarder(
                sw, port.switchPort(), inner, host + "@" + lan, () -> rejoinPort(sw, port, inner));
          } catch (RuntimeException e) {
            rejoinPort(sw, port, inner);
            throw e;
          }
        },
        () -> rejoinPort(sw, port, inner));
  }

  private static void rejoinPort(NetworkNamespace sw, LanPort port, String inner) {
    Links.setMaster(sw, port.switchPort(), "br0");
    if (Links.find(sw, inner).isPresent()) {
      Links.delete(sw, inner); // and its peer in the bridge with it
    }
  }

  private Lan lan(String name) {
    return network.topology().lan(name, "impair");
  }

  /** Opens a forwarder between two links of {@code ns}; on failure undoes with {@code undo}. */
  private static WireForwarder openForwarder(
      NetworkNamespace ns, String sideA, String sideB, String name, Runnable undo) {
    PacketSocket a = null;
    try {
      a = PacketSocket.open(ns, sideA);
      PacketSocket b = PacketSocket.open(ns, sideB);
      return new WireForwarder(a, b, name);
    } catch (RuntimeException e) {
      if (a != null) {
        a.close();
      }
      try {
        undo.run();
      } catch (RuntimeException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  /**
   * Puts one direction of a spliced path under a userspace impairment: the forwarder for {@code
   * key} is opened on first use and closed (and the path restored) when no direction is impaired
   * any more.
   */
  private ActiveFault splice(
      Object key,
      String where,
      boolean fromA,
      FrameImpairment impairment,
      String description,
      java.util.function.Supplier<WireForwarder> open,
      Runnable restore) {
    WireForwarder forwarder = forwarders.get(key);
    if (forwarder == null) {
      forwarder = open.get();
      forwarders.put(key, forwarder);
    }
    WireForwarder active = forwarder;
    if (active.isImpaired(fromA)) {
      throw new IllegalStateException(
          "impair: traffic leaving "
              + where
              + " is already impaired ("
              + active.describe(fromA)
              + "); heal that fault first, or put everything in one Impairment");
    }
    active.impair(fromA, impairment);
    return register(
        description,
        () -> {
          synchronized (this) {
            active.impair(fromA, null);
            if (active.isIdle()) {
              forwarders.remove(key);
              active.close();
              restore.run();
            }
          }
        });
  }

  /** Frames forwarded, dropped and duplicated so far leaving {@code from} on an impaired link. */
  public synchronized long[] userspaceCounters(VethPair link, String from) {
    WireForwarder forwarder = forwarders.get(link);
    return forwarder == null ? new long[3] : forwarder.counters(from.equals(link.a()));
  }

  /** A netem qdisc on traffic leaving {@code host} through {@code link}. */
  public ActiveFault netem(String host, String link, Qdiscs.Netem netem) {
    NetworkNamespace ns = network.namespace(host);
    requireNoQdiscFault(host, link);
    Qdiscs.addNetem(ns, link, netem);
    return register(
        "netem " + netem + " leaving " + host + ":" + link, () -> Qdiscs.deleteRoot(ns, link));
  }

  private void requireNoQdiscFault(String host, String link) {
    String suffix = " leaving " + host + ":" + link;
    for (ActiveFault fault : active()) {
      if (fault.description().endsWith(suffix)) {
        throw new IllegalStateException(
            "impair: traffic leaving "
                + host
                + ":"
                + link
                + " is already impaired by the kernel ("
                + fault.description()
                + "); heal that fault first, or put everything in one Impairment");
      }
    }
  }

  private synchronized ActiveFault register(String description, Runnable heal) {
    ActiveFault fault = new ActiveFault(description, heal);
    active.add(fault);
    return fault;
  }

  private void requireHost(String call, String host) {
    if (Topology.HOST.equals(host)) {
      throw new IllegalArgumentException(
          call
              + ": the machine's own namespace never gets routes from faults; fault the test's"
              + " namespaces instead");
    }
    if (!network.topology().hosts().contains(host)) {
      throw new IllegalArgumentException(
          call
              + ": '"
              + host
              + "' names no declared namespace (declared: "
              + String.join(", ", network.topology().hosts())
              + ")");
    }
  }

  /** A host route added in one namespace to keep it from reaching one address. */
  private record DropRoute(NetworkNamespace namespace, Cidr address) {}
}
