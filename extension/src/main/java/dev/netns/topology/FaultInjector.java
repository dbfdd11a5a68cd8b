package dev.netns.topology;

import dev.netns.kernel.Cidr;
import dev.netns.kernel.IpCounters;
import dev.netns.kernel.NetworkNamespace;
import dev.netns.kernel.QdiscStats;
import dev.netns.kernel.Qdiscs;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Makes a running topology misbehave the way real networks do, and heals it: the registry of the
 * faults in force, over one class per mechanism.
 *
 * <ul>
 *   <li>Partitions and one-way cuts: routes (host routes, or prefixes covering several hosts) in
 *       the senders' routing tables ({@link DropRoutes}), silent or rejecting ({@link DropMode}).
 *   <li>Links and LAN ports down: interfaces held down ({@link LinkStates}); healing brings them up
 *       and puts their routes back.
 *   <li>Bandwidth, delay, loss in the kernel: a root qdisc per interface ({@link QdiscFaults}).
 *   <li>Everything else: a userspace forwarder spliced into a link or a LAN port ({@link Splices}).
 * </ul>
 *
 * Each mechanism counts what faults share, so faults of every kind compose and heal independently:
 * healing one leaves the others in force.
 */
public final class FaultInjector {
  private final RunningTopology network;
  private final List<ActiveFault> active = new ArrayList<>();
  private final List<ActiveFault> applied = new ArrayList<>();
  private final DropRoutes dropRoutes = new DropRoutes();
  private final LinkStates linkStates = new LinkStates();
  private final QdiscFaults qdiscs = new QdiscFaults();
  private final Splices splices;

  /** Made at the first drop fault: the topology does not change while it runs. */
  private KnownAddresses known;

  FaultInjector(RunningTopology network) {
    this.network = network;
    this.splices = new Splices(network);
  }

  /** Faults in force, oldest first. */
  public synchronized List<ActiveFault> active() {
    active.removeIf(f -> !f.isActive());
    return List.copyOf(active);
  }

  /** Every fault applied so far, healed or not, oldest first. */
  public synchronized List<ActiveFault> applied() {
    return List.copyOf(applied);
  }

  /**
   * Heals every fault in force, newest first, collecting failures. A fault whose heal failed stays
   * in force, with only its failed steps left to run.
   */
  public void healAll() {
    List<Runnable> heals = new ArrayList<>();
    for (ActiveFault fault : active()) {
      heals.add(0, fault::heal);
    }
    ActiveFault.runEach(heals);
  }

  /**
   * Splits the hosts into groups that cannot reach each other. Hosts in no group keep reaching
   * everyone.
   */
  public ActiveFault partition(List<Set<String>> groups, DropMode mode) {
    Set<String> seen = new LinkedHashSet<>();
    for (Set<String> group : groups) {
      for (String host : group) {
        requireHost("partition", host);
        if (!seen.add(host)) {
          throw new IllegalArgumentException("partition: '" + host + "' is in two groups");
        }
      }
    }
    Map<String, Set<String>> targets = new LinkedHashMap<>();
    for (int i = 0; i < groups.size(); i++) {
      // One set for the whole group: its senders share their routes' computation.
      Set<String> others = new LinkedHashSet<>();
      for (int j = 0; j < groups.size(); j++) {
        if (i != j) {
          others.addAll(groups.get(j));
        }
      }
      if (!others.isEmpty()) {
        for (String from : groups.get(i)) {
          targets.put(from, others);
        }
      }
    }
    String description =
        "partition "
            + groups.stream()
                .map(g -> g.stream().sorted().collect(Collectors.joining(", ", "{", "}")))
                .collect(Collectors.joining(" | "))
            + " ("
            + mode.word()
            + ")";
    return drop(description, new FaultScope.Partition(groups, mode), targets, mode);
  }

  /** Packets from {@code from} to {@code to} vanish (or are refused); the other way still works. */
  public ActiveFault cut(String from, String to, DropMode mode) {
    requireHost("cut", from);
    requireHost("cut", to);
    if (from.equals(to)) {
      throw new IllegalArgumentException("cut: from and to are both '" + from + "'");
    }
    return drop(
        "cut " + from + " -> " + to + " (" + mode.word() + ")",
        new FaultScope.Cut(from, to, mode),
        Map.of(from, Set.of(to)),
        mode);
  }

  private synchronized ActiveFault drop(
      String description, FaultScope scope, Map<String, Set<String>> targets, DropMode mode) {
    Set<String> senders = targets.keySet();
    List<DropRoutes.Key> keys = routesAway(targets);
    // Read before the routes go in: a void made by this fault starts from 0 unread.
    EffectMeter meter =
        mode == DropMode.SILENT
            ? swallowedIn(senders)
            : () ->
                FaultCounts.notCounted(
                    "the kernel counts no packet an unreachable route refuses; senders see"
                        + " EHOSTUNREACH");
    // All or nothing: on failure, addAll has taken out again what it put in.
    dropRoutes.addAll(keys, mode);
    // One step for the lot; removeAll drops from the list what it is done with, so a heal that
    // fails part-way retries exactly the routes that are left, never counting one down twice.
    List<DropRoutes.Key> remaining = new ArrayList<>(keys);
    return register(description, scope, List.of(() -> dropRoutes.removeAll(remaining)), meter);
  }

  /**
   * The routes keeping each sender from reaching its targets: for each subnet the targets have
   * addresses in, the fewest prefixes covering those addresses and no address of another host
   * ({@link PrefixCover}), nor any route the sender has to part of the subnet. Senders with the
   * same targets and routes (a partition's group) share one computation.
   */
  private List<DropRoutes.Key> routesAway(Map<String, Set<String>> targets) {
    Map<List<Object>, List<Cidr>> covers = new HashMap<>();
    List<DropRoutes.Key> keys = new ArrayList<>();
    for (Map.Entry<String, Set<String>> entry : targets.entrySet()) {
      List<Cidr> keepOut = routedFrom(entry.getKey());
      List<Cidr> cover =
          covers.computeIfAbsent(
              List.of(entry.getValue(), keepOut), k -> cover(entry.getValue(), keepOut));
      NetworkNamespace ns = network.namespace(entry.getKey());
      for (Cidr prefix : cover) {
        keys.add(new DropRoutes.Key(ns, prefix));
      }
    }
    return keys;
  }

  private List<Cidr> cover(Set<String> hosts, List<Cidr> keepOut) {
    KnownAddresses addresses = knownAddresses();
    Map<Cidr, List<InetAddress>> bySubnet = new LinkedHashMap<>();
    Set<InetAddress> blocked = new HashSet<>();
    for (String host : hosts) {
      for (Cidr address : addresses.byHost().get(host)) {
        bySubnet.computeIfAbsent(address.network(), k -> new ArrayList<>()).add(address.address());
        blocked.add(address.address());
      }
    }
    List<InetAddress> spared = new ArrayList<>();
    for (InetAddress address : addresses.all()) {
      if (!blocked.contains(address)) {
        spared.add(address);
      }
    }
    // A set: subnets declared inside one another could give the same prefix twice.
    Set<Cidr> cover = new LinkedHashSet<>();
    for (Map.Entry<Cidr, List<InetAddress>> subnet : bySubnet.entrySet()) {
      cover.addAll(PrefixCover.of(subnet.getKey(), subnet.getValue(), spared, keepOut));
    }
    return List.copyOf(cover);
  }

  /** The subnets {@code host} has routes to: declared or worked out, and over its links. */
  private List<Cidr> routedFrom(String host) {
    List<Cidr> routed = new ArrayList<>();
    for (StaticRoute route : network.topology().routes()) {
      if (route.in().equals(host)) {
        routed.add(route.to());
      }
    }
    for (VethPair link : network.topology().links()) {
      if (link.a().equals(host) || link.b().equals(host)) {
        routed.addAll(link.peerSubnetsRoutedFrom(host));
      }
    }
    return routed;
  }

  /**
   * Every host's addresses, and every address of the topology (the machine's ends of links too):
   * what a drop route must never cover but for its targets.
   */
  private record KnownAddresses(Map<String, List<Cidr>> byHost, Set<InetAddress> all) {}

  private KnownAddresses knownAddresses() {
    if (known == null) {
      Topology topology = network.topology();
      Map<String, List<Cidr>> byHost = topology.addressBook();
      Set<InetAddress> all = new LinkedHashSet<>();
      byHost.values().forEach(addresses -> addresses.forEach(a -> all.add(a.address())));
      for (VethPair link : topology.links()) {
        if (link.touchesHost()) {
          link.addressesIn(Topology.HOST).forEach(a -> all.add(a.address()));
        }
      }
      known = new KnownAddresses(byHost, all);
    }
    return known;
  }

  /**
   * Packets swallowed by the voids of {@code hosts} since now: every silent route there leads to
   * the namespace's void, whichever fault added it.
   */
  private EffectMeter swallowedIn(Set<String> hosts) {
    Map<NetworkNamespace, Long> before = new LinkedHashMap<>();
    for (String host : hosts) {
      NetworkNamespace ns = network.namespace(host);
      before.put(ns, dropRoutes.swallowed(ns));
    }
    String counter = "packets silent routes swallowed in " + String.join(", ", hosts);
    return () -> {
      long dropped = 0;
      for (Map.Entry<NetworkNamespace, Long> e : before.entrySet()) {
        dropped += dropRoutes.swallowed(e.getKey()) - e.getValue();
      }
      return new FaultCounts(dropped, 0, 0, 0, 0, FaultCounts.Accuracy.SHARED, counter);
    };
  }

  /**
   * Sends refused for want of a route in {@code hosts} (a link down takes its routes) since now.
   */
  private static EffectMeter noRouteIn(List<String> hosts, List<NetworkNamespace> namespaces) {
    long[] before = new long[namespaces.size()];
    for (int i = 0; i < before.length; i++) {
      before[i] = IpCounters.outNoRoutes(namespaces.get(i));
    }
    String counter = "Ip and Ip6 OutNoRoutes in " + String.join(", ", hosts);
    return () -> {
      long refused = 0;
      for (int i = 0; i < before.length; i++) {
        refused += IpCounters.outNoRoutes(namespaces.get(i)) - before[i];
      }
      return new FaultCounts(0, refused, 0, 0, 0, FaultCounts.Accuracy.SHARED, counter);
    };
  }

  /**
   * Takes both ends of a veth pair down (of a link to the machine, only the namespace's end);
   * healing brings them up and restores their routes.
   */
  public ActiveFault disconnect(VethPair link) {
    return holdDown(
        "link " + describe(link) + " down",
        new FaultScope.LinkDown(link),
        ends(link),
        namespaceSides(link));
  }

  /** Takes a host's port on a LAN down (its interface and the switch's port). */
  public ActiveFault disconnect(String host, String lan) {
    requireHost("disconnect", host);
    LanPort port = network.topology().lan(lan, "disconnect").port(host);
    return holdDown(
        host + " unplugged from LAN " + lan,
        new FaultScope.Unplugged(host, lan),
        List.of(
            new InterfaceKey(network.namespace(host), port.interfaceName()),
            new InterfaceKey(network.lanSwitch(lan), port.switchPort())),
        List.of(host));
  }

  private synchronized ActiveFault holdDown(
      String description, FaultScope scope, List<InterfaceKey> ends, List<String> hosts) {
    EffectMeter meter =
        noRouteIn(hosts, hosts.stream().map(network::namespace).distinct().toList());
    LinkStates.Hold hold = linkStates.hold(ends, description);
    List<Runnable> heal = new ArrayList<>();
    for (InterfaceKey end : ends) {
      heal.add(() -> linkStates.release(end, hold));
    }
    heal.add(
        () -> {
          if (ends.stream().anyMatch(end -> linkStates.isHeldBy(end, hold))) {
            throw new IllegalStateException(
                "routes over " + ends + " not restored: an interface did not come up");
          }
          // The kernel dropped the routes over the link when it went down. Still held down by
          // another fault (or gone): that fault's heal puts them back (or there is nothing to).
          if (ends.stream().allMatch(linkStates::isUp)) {
            network.restoreRoutes(hosts);
          }
        });
    return register(description, scope, heal, meter);
  }

  /** Takes both ends of a link down, outside any fault ({@code Link.down()}). */
  public void takeDown(VethPair link) {
    linkStates.takeDownByTest(ends(link));
  }

  /**
   * Brings both ends of a link up and puts their routes back ({@code Link.up()}); refused while a
   * fault holds the link down.
   */
  public void bringUp(VethPair link) {
    linkStates.bringUpByTest(ends(link), "up");
    network.restoreRoutes(namespaceSides(link));
  }

  /**
   * The ends a link fault takes down. Of a link to the machine, only the namespace's end: downing
   * the machine's end would drop its routes (and IPv6 addresses) from the machine's tables, where
   * another JVM could claim the subnet meanwhile and the heal's route replace would then take that
   * JVM's route over. A veth end that is down takes the carrier of its peer with it, so traffic
   * stops both ways all the same, and the machine's route stays, marked linkdown.
   */
  private List<InterfaceKey> ends(VethPair link) {
    List<InterfaceKey> ends = new ArrayList<>();
    for (String side : namespaceSides(link)) {
      ends.add(new InterfaceKey(network.namespace(side), link.interfaceIn(side)));
    }
    return ends;
  }

  /** The sides of a link that are test namespaces: both, or one for a link to the machine. */
  private static List<String> namespaceSides(VethPair link) {
    return Stream.of(link.a(), link.b()).filter(side -> !Topology.HOST.equals(side)).toList();
  }

  private static String describe(VethPair link) {
    return link.a() + ":" + link.aInterface() + "<->" + link.b() + ":" + link.bInterface();
  }

  /** A token-bucket rate limit on traffic leaving {@code host} through {@code link}. */
  public synchronized ActiveFault limitRate(String host, String link, long bitsPerSecond) {
    InterfaceKey key = new InterfaceKey(network.namespace(host), link);
    long bytesPerSecond = Math.max(1, bitsPerSecond / 8);
    // A bucket of a few milliseconds' worth, and never less than a few full frames.
    int burst = (int) Math.max(16 * 1514, Math.min(bytesPerSecond / 100, Integer.MAX_VALUE));
    String effect = "rate " + bitsPerSecond + " bit/s";
    String description = effect + " leaving " + host + ":" + link;
    qdiscs.add(
        key,
        description,
        () -> Qdiscs.addTbf(key.namespace(), link, bytesPerSecond, burst, Duration.ofMillis(100)));
    QdiscStats before = statsOrUndo(key, link);
    EffectMeter meter =
        () -> {
          QdiscStats now = Qdiscs.rootStats(key.namespace(), link);
          return new FaultCounts(
              now.drops() - before.drops(),
              0,
              now.overlimits() - before.overlimits(),
              0,
              0,
              FaultCounts.Accuracy.EXACT,
              "the token bucket's drops, and as delayed its overlimits: times it held packets"
                  + " back");
        };
    return register(
        description,
        new FaultScope.Impaired(host, link, effect),
        List.of(() -> qdiscs.remove(key)),
        meter);
  }

  /** A netem qdisc on traffic leaving {@code host} through {@code link}. */
  public synchronized ActiveFault netem(String host, String link, Qdiscs.Netem netem) {
    InterfaceKey key = new InterfaceKey(network.namespace(host), link);
    String effect = "netem " + netem;
    String description = effect + " leaving " + host + ":" + link;
    qdiscs.add(key, description, () -> Qdiscs.addNetem(key.namespace(), link, netem));
    EffectMeter meter;
    try {
      meter = netemMeter(key, netem);
    } catch (RuntimeException e) {
      undoQdisc(key, e);
      throw e;
    }
    return register(
        description,
        new FaultScope.Impaired(host, link, effect),
        List.of(() -> qdiscs.remove(key)),
        meter);
  }

  /** The qdisc's counters now; when they cannot be read, the qdisc just added is taken off. */
  private QdiscStats statsOrUndo(InterfaceKey key, String link) {
    try {
      return Qdiscs.rootStats(key.namespace(), link);
    } catch (RuntimeException e) {
      undoQdisc(key, e);
      throw e;
    }
  }

  private void undoQdisc(InterfaceKey key, RuntimeException cause) {
    try {
      qdiscs.remove(key);
    } catch (RuntimeException suppressed) {
      cause.addSuppressed(suppressed);
    }
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
    network.wire(link); // refuses a link that is not impairable
    return splice(
        new SplicePoint.OfLink(link),
        fromA,
        impairment,
        "userspace " + impairment + " leaving " + from + " towards " + link.peerOf(from),
        new FaultScope.Impaired(from, link.interfaceIn(from), "userspace " + impairment));
  }

  /**
   * The userspace path on a host's LAN port: frames leaving {@code host} through the LAN's switch
   * go through a forwarder.
   */
  public synchronized ActiveFault userspaceOnLanPort(
      String host, String lan, FrameImpairment impairment) {
    requireHost("impair", host);
    LanPort port = network.topology().lan(lan, "impair").port(host);
    return splice(
        new SplicePoint.OfLanPort(lan, host),
        true,
        impairment,
        "userspace " + impairment + " leaving " + host + " on LAN " + lan,
        new FaultScope.Impaired(host, port.interfaceName(), "userspace " + impairment));
  }

  private ActiveFault splice(
      SplicePoint point,
      boolean fromA,
      FrameImpairment impairment,
      String description,
      FaultScope scope) {
    splices.impair(point, fromA, impairment);
    FrameCounts before = splices.counts(point, fromA);
    EffectMeter meter =
        () -> {
          FrameCounts c = splices.counts(point, fromA).minus(before);
          return new FaultCounts(
              c.dropped(),
              0,
              c.delayed(),
              c.duplicated(),
              c.reordered(),
              FaultCounts.Accuracy.EXACT,
              "frames the userspace forwarder handled");
        };
    return register(
        description, scope, List.of(() -> splices.release(point, fromA, impairment)), meter);
  }

  /**
   * netem counts the packets it drops and sends, not those it duplicates, reorders or corrupts:
   * every packet it sends was delayed when it delays at all, and without delay or loss nothing it
   * does is counted.
   */
  private static EffectMeter netemMeter(InterfaceKey key, Qdiscs.Netem netem) {
    boolean delays =
        !netem.delay().isZero() || !netem.jitter().isZero() || netem.bytesPerSecond() > 0;
    if (!delays && netem.lossPercent() <= 0) {
      return () ->
          FaultCounts.notCounted("netem counts no packet it duplicates, reorders or corrupts");
    }
    QdiscStats before = Qdiscs.rootStats(key.namespace(), key.name());
    String counter =
        delays
            ? "netem's drops, and as delayed every packet it sent; duplicates, reorders and"
                + " corruptions not counted"
            : "netem's drops; duplicates, reorders and corruptions not counted";
    return () -> {
      QdiscStats now = Qdiscs.rootStats(key.namespace(), key.name());
      return new FaultCounts(
          now.drops() - before.drops(),
          0,
          delays ? now.packets() - before.packets() : 0,
          0,
          0,
          FaultCounts.Accuracy.EXACT,
          counter);
    };
  }

  /**
   * Registers a fault that acts on a process node rather than on the network (a pause, a crash),
   * done already by the caller; {@code heal} undoes it. Listed and healed with the others.
   */
  public ActiveFault node(String host, String node, String effect, Runnable heal) {
    return register(
        effect + " node " + node + " in " + host,
        new FaultScope.NodeState(host, node, effect),
        List.of(heal),
        () -> FaultCounts.notCounted("acts on a process, not on packets"));
  }

  private synchronized ActiveFault register(
      String description, FaultScope scope, List<Runnable> heal, EffectMeter meter) {
    ActiveFault fault = new ActiveFault(description, scope, heal, meter);
    active.add(fault);
    applied.add(fault);
    FaultApplyEvent event = new FaultApplyEvent();
    if (event.shouldCommit()) {
      event.fault = description;
      event.commit();
    }
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
}
