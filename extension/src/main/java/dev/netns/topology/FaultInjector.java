package dev.netns.topology;

import dev.netns.kernel.Cidr;
import dev.netns.kernel.NetworkNamespace;
import dev.netns.kernel.Qdiscs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Makes a running topology misbehave the way real networks do, and heals it: the registry of the
 * faults in force, over one class per mechanism.
 *
 * <ul>
 *   <li>Partitions and one-way cuts: host routes in the senders' routing tables ({@link
 *       DropRoutes}), silent or rejecting ({@link DropMode}).
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
  private final DropRoutes dropRoutes = new DropRoutes();
  private final LinkStates linkStates = new LinkStates();
  private final QdiscFaults qdiscs = new QdiscFaults();
  private final Splices splices;

  FaultInjector(RunningTopology network) {
    this.network = network;
    this.splices = new Splices(network);
  }

  /** Faults in force, oldest first. */
  public synchronized List<ActiveFault> active() {
    active.removeIf(f -> !f.isActive());
    return List.copyOf(active);
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
            + " ("
            + mode.word()
            + ")";
    return drop(description, new FaultScope.Partition(groups, mode), pairs, mode);
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
        List.<String[]>of(new String[] {from, to}),
        mode);
  }

  private synchronized ActiveFault drop(
      String description, FaultScope scope, List<String[]> pairs, DropMode mode) {
    List<DropRoutes.Key> keys = new ArrayList<>();
    for (String[] pair : pairs) {
      NetworkNamespace ns = network.namespace(pair[0]);
      for (Cidr address : network.topology().addressesOf(pair[1])) {
        keys.add(DropRoutes.Key.of(ns, address));
      }
    }
    // All or nothing: on failure, addAll has taken out again what it put in.
    dropRoutes.addAll(keys, mode);
    // One step for the lot; removeAll drops from the list what it is done with, so a heal that
    // fails part-way retries exactly the routes that are left, never counting one down twice.
    List<DropRoutes.Key> remaining = new ArrayList<>(keys);
    return register(description, scope, List.of(() -> dropRoutes.removeAll(remaining)));
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
    return register(description, scope, heal);
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
    return register(
        description,
        new FaultScope.Impaired(host, link, effect),
        List.of(() -> qdiscs.remove(key)));
  }

  /** A netem qdisc on traffic leaving {@code host} through {@code link}. */
  public synchronized ActiveFault netem(String host, String link, Qdiscs.Netem netem) {
    InterfaceKey key = new InterfaceKey(network.namespace(host), link);
    String effect = "netem " + netem;
    String description = effect + " leaving " + host + ":" + link;
    qdiscs.add(key, description, () -> Qdiscs.addNetem(key.namespace(), link, netem));
    return register(
        description,
        new FaultScope.Impaired(host, link, effect),
        List.of(() -> qdiscs.remove(key)));
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
    return register(description, scope, List.of(() -> splices.release(point, fromA)));
  }

  /** Frames forwarded, dropped and duplicated so far leaving {@code from} on an impaired link. */
  public long[] userspaceCounters(VethPair link, String from) {
    return splices.counters(new SplicePoint.OfLink(link), from.equals(link.a()));
  }

  private synchronized ActiveFault register(
      String description, FaultScope scope, List<Runnable> heal) {
    ActiveFault fault = new ActiveFault(description, scope, heal);
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
}
