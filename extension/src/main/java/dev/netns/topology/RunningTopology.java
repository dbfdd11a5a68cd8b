package dev.netns.topology;

import dev.netns.kernel.Changes;
import dev.netns.kernel.Cidr;
import dev.netns.kernel.Failures;
import dev.netns.kernel.HostNamespaceLock;
import dev.netns.kernel.Inspection;
import dev.netns.kernel.Ipv6Use;
import dev.netns.kernel.Links;
import dev.netns.kernel.NetworkNamespace;
import dev.netns.nativeaccess.Errno;
import dev.netns.nativeaccess.KernelException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

// Longer than most classes here: building, putting routes back after a fault and teardown share
// the tables of chosen ifindexes and host-side ends. Kernel changes go through kernel.Changes.

/**
 * A topology built in the kernel: its namespaces and links, until {@link #close()} tears them down.
 *
 * <p>Namespaces are anonymous, held only by this JVM's descriptors, so a JVM killed in the middle
 * leaves nothing behind either: the kernel frees them with every device inside, ends in the
 * machine's own namespace included (deleting one end of a veth pair deletes both). On close those
 * ends go down at once and vanish with their namespace moments later.
 *
 * <p>Building takes few round trips: the calling thread makes all namespaces itself (stepping in
 * and out of each); every link is created in one batch, up from the start and with its ifindex
 * chosen here (so no lookups follow); then one batch per namespace adds addresses and routes.
 */
public final class RunningTopology implements AutoCloseable {
  /** Where chosen ifindexes start in a fresh namespace: clear of devices the kernel adds itself. */
  private static final int FIRST_INDEX = 100;

  private static final String BRIDGE = "br0";

  /** The ports of an impairable link's wire namespace, towards its a and b ends. */
  static final String WIRE_A = "pa";

  static final String WIRE_B = "pb";

  private final Topology topology;
  private final Map<String, NetworkNamespace> namespaces = new LinkedHashMap<>();
  private final Map<String, NetworkNamespace> switches = new LinkedHashMap<>();
  private final Map<VethPair, NetworkNamespace> wires = new LinkedHashMap<>();
  private final NetworkNamespace host;
  private final Map<NetworkNamespace, Map<String, Integer>> indexes = new HashMap<>();

  /**
   * The ifindexes of the ends this network made in the machine's namespace, learnt right after
   * creation: teardown takes down these links, never whatever has their name by then (another
   * JVM's, when a name was given explicitly).
   */
  private final Map<VethPair, Integer> hostEnds = new LinkedHashMap<>();

  private final List<LinkEnd> peersToBringUp = new ArrayList<>();
  private FaultInjector faults;
  private volatile ForwarderPorts forwarderPorts = ForwarderPorts.RING;
  private boolean closed;

  private RunningTopology(Topology topology, NetworkNamespace host) {
    this.topology = topology;
    this.host = host;
  }

  static RunningTopology start(Topology topology) {
    TopologyStartEvent event = TopologyStartEvent.begin(topology);
    boolean ok = false;
    try {
      RunningTopology running = startLockedWhereNeeded(topology);
      ok = true;
      return running;
    } finally {
      event.end(ok);
    }
  }

  private static RunningTopology startLockedWhereNeeded(Topology topology) {
    if (!topology.touchesHost()) {
      return startUnlocked(topology);
    }
    // From the check of the machine's routes and names until the host-side addresses are in place,
    // no other JVM on the machine may do the same: both would find the subnet free.
    HostNamespaceLock lock = HostNamespaceLock.acquire();
    try {
      return startUnlocked(topology);
    } finally {
      lock.close();
    }
  }

  private static RunningTopology startUnlocked(Topology topology) {
    NetworkNamespace host = null;
    if (topology.touchesHost()) {
      host = NetworkNamespace.host();
      try {
        List<String> conflicts =
            topology.conflictsWithMachine(Inspection.routes(host), Inspection.addresses(host));
        for (VethPair link : topology.links()) {
          if (link.touchesHost()) {
            String name = link.interfaceIn(Topology.HOST);
            if (Links.find(host, name).isPresent()) {
              conflicts.add(
                  link.origin()
                      + ": the machine already has an interface named '"
                      + name
                      + "'; name the host-side end differently, or leave its name to the"
                      + " extension");
            }
          }
        }
        if (!conflicts.isEmpty()) {
          throw new TopologyException(conflicts);
        }
      } catch (RuntimeException e) {
        host.close();
        throw e;
      }
    }
    RunningTopology running = new RunningTopology(topology, host);
    try {
      List<Made> plan = plan(topology);
      Ipv6Use ipv6 =
          topology.hosts().stream()
                  .flatMap(h -> topology.addressesOf(h).stream())
                  .anyMatch(Cidr::isIpv6)
              ? Ipv6Use.ADDRESSED
              : Ipv6Use.NONE;
      List<NetworkNamespace> made =
          createSpread(plan.stream().map(Made::name).toList(), topology.routers(), ipv6);
      for (int i = 0; i < made.size(); i++) {
        plan.get(i).role().adopt(running, made.get(i));
      }
      running.wire(ipv6);
      return running;
    } catch (RuntimeException | Error e) {
      try {
        running.close();
      } catch (RuntimeException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  /**
   * Makes the namespaces, spread over the cores when there are many (namespaces are independent
   * until they are wired). If a part fails, the namespaces the other parts made are closed.
   */
  private static List<NetworkNamespace> createSpread(
      List<String> names, Set<String> routers, Ipv6Use ipv6) {
    List<Spread.Outcome<List<NetworkNamespace>>> outcomes =
        Spread.run(
            Spread.split(names, Spread.parts(names.size())),
            part -> NetworkNamespace.createAll(part, routers, ipv6));
    List<NetworkNamespace> made = new ArrayList<>(names.size());
    for (Spread.Outcome<List<NetworkNamespace>> outcome : outcomes) {
      if (outcome.ok()) {
        made.addAll(outcome.result());
      }
    }
    Failures failures = Spread.failures(outcomes);
    if (!failures.isEmpty()) {
      made.forEach(ns -> failures.run(ns::close));
      failures.throwIfAny();
    }
    return made;
  }

  /**
   * The namespaces to make, in order: declared hosts, then a switch per LAN, then a wire per
   * impairable link. The names are for people (messages, thread names); hidden ones get a suffix
   * when a declared host already has their name, so that no name is shared (routers are picked by
   * name) and none decides a role.
   */
  private static List<Made> plan(Topology topology) {
    List<Made> plan = new ArrayList<>();
    Set<String> taken = new HashSet<>(topology.hosts());
    for (String host : topology.hosts()) {
      plan.add(new Made(host, new Role.Declared(host)));
    }
    for (Lan lan : topology.lans()) {
      plan.add(new Made(unique("lan:" + lan.name(), taken), new Role.LanSwitch(lan)));
    }
    int wire = 0;
    for (VethPair link : topology.links()) {
      if (link.impairable()) {
        String name = "wire" + wire++ + ":" + link.a() + "-" + link.b();
        plan.add(new Made(unique(name, taken), new Role.Wire(link)));
      }
    }
    return plan;
  }

  private static String unique(String name, Set<String> taken) {
    String candidate = name;
    for (int n = 2; !taken.add(candidate); n++) {
      candidate = name + "#" + n;
    }
    return candidate;
  }

  private void wire(Ipv6Use ipv6) {
    if (topology.links().isEmpty() && topology.lans().isEmpty()) {
      return;
    }
    // Requests carry the namespaces' fds, so they land where they belong whichever namespace's
    // socket sends them; batches sent at once go on sockets of different namespaces.
    List<NetworkNamespace> sockets = allNamespaces();
    if (sockets.isEmpty()) {
      sockets = List.of(host);
    }

    // 1. The bridges, first: ports join them as they are made.
    Changes bridges = Changes.in(sockets.get(0));
    for (Lan lan : topology.lans()) {
      NetworkNamespace sw = switches.get(lan.name());
      bridges.createBridge(sw, BRIDGE, assign(sw, BRIDGE));
    }
    for (NetworkNamespace wire : wires.values()) {
      bridges.createBridge(wire, BRIDGE, assign(wire, BRIDGE));
    }
    bridges.execute();

    // 2. Every veth pair, up from the start, bridge ports in their bridge: a batch per core.
    int pairs = topology.links().size() + wires.size();
    for (Lan lan : topology.lans()) {
      pairs += lan.ports().size();
    }
    int parts = Math.min(Spread.parts(pairs), sockets.size());
    List<Changes> create = new ArrayList<>(parts);
    for (int i = 0; i < parts; i++) {
      create.add(Changes.in(sockets.get(i)));
    }
    int next = 0;
    for (VethPair link : topology.links()) {
      NetworkNamespace wire = wires.get(link);
      if (wire == null) {
        veth(
            create.get(next++ % parts),
            namespace(link.a()),
            link.aInterface(),
            namespace(link.b()),
            link.bInterface());
      } else {
        // a <-> wire:pa, wire:pb <-> b, and a bridge joining pa and pb until an impairment
        // replaces it with the userspace forwarder.
        port(create.get(next++ % parts), wire, WIRE_A, namespace(link.a()), link.aInterface());
        port(create.get(next++ % parts), wire, WIRE_B, namespace(link.b()), link.bInterface());
      }
    }
    for (Lan lan : topology.lans()) {
      NetworkNamespace sw = switches.get(lan.name());
      for (LanPort port : lan.ports()) {
        port(
            create.get(next++ % parts),
            sw,
            port.switchPort(),
            namespace(port.host()),
            port.interfaceName());
      }
    }
    executeSpread(create.stream().map(List::of).toList());
    // The kernel chose the ifindexes in the machine's namespace. Looked up now, while the names
    // are surely this network's own (nobody else could take them while the links exist, and the
    // lock keeps other JVMs from racing for them), and used from here on, down to teardown.
    for (VethPair link : topology.links()) {
      if (link.touchesHost()) {
        String name = link.interfaceIn(Topology.HOST);
        int index = Links.index(host, name);
        indexes.computeIfAbsent(host, k -> new HashMap<>()).put(name, index);
        hostEnds.put(link, index);
      }
    }

    // 3. Per namespace, one batch: peer ends up, MTU, addresses, then routes (which need the
    //    addresses). The batches of different namespaces are independent: spread over the cores.
    Map<NetworkNamespace, Changes> setup = new LinkedHashMap<>();
    if (ipv6 == Ipv6Use.NONE) {
      // No IPv6 address on the hosts' LAN ports, set before they go up: each would send a few
      // frames of duplicate address detection, router solicitation and multicast listener
      // reports, which the switch floods to every other host, some n² frames for n hosts before
      // a test sends any (millions for a thousand hosts, enough to drop frames a test does send).
      for (Lan lan : topology.lans()) {
        for (LanPort port : lan.ports()) {
          NetworkNamespace ns = namespace(port.host());
          changes(setup, ns)
              .setNoIpv6Addresses(port.interfaceName(), index(ns, port.interfaceName()));
        }
      }
    }
    for (LinkEnd peer : peersToBringUp) {
      changes(setup, peer.namespace())
          .setUp(peer.name(), index(peer.namespace(), peer.name()), true);
    }
    // With IPv6, every interface of a host gets its link-local address here, with the declared
    // ones (the namespaces were made to generate none: see LinkLocals). The machine's end of a
    // link is the machine's kernel's to address.
    LinkLocals linkLocals = ipv6 == Ipv6Use.ADDRESSED ? new LinkLocals() : null;
    for (VethPair link : topology.links()) {
      for (String side : new String[] {link.a(), link.b()}) {
        NetworkNamespace ns = namespace(side);
        String name = link.interfaceIn(side);
        int index = index(ns, name);
        Changes batch = changes(setup, ns);
        if (link.mtu() > 0) {
          batch.setMtu(name, index, link.mtu());
        }
        if (linkLocals != null
            && !Topology.HOST.equals(side)
            && LinkLocals.carriesIpv6(link.mtu())) {
          batch.addAddress(name, index, linkLocals.next());
        }
        for (Cidr address : link.addressesIn(side)) {
          batch.addAddress(name, index, address);
        }
      }
    }
    for (Lan lan : topology.lans()) {
      for (LanPort port : lan.ports()) {
        NetworkNamespace ns = namespace(port.host());
        int index = index(ns, port.interfaceName());
        if (linkLocals != null) {
          changes(setup, ns).addAddress(port.interfaceName(), index, linkLocals.next());
        }
        for (Cidr address : port.addresses()) {
          changes(setup, ns).addAddress(port.interfaceName(), index, address);
        }
      }
    }
    addRoutes(setup, null, false);
    List<Changes> batches = new ArrayList<>(setup.values());
    executeSpread(Spread.split(batches, Spread.parts(batches.size())));
  }

  /**
   * Sends each part's batches on a thread of its own (the first part on this one), and waits for
   * all of them.
   */
  private static void executeSpread(List<List<Changes>> parts) {
    Spread.failures(
            Spread.run(
                parts,
                part -> {
                  part.forEach(Changes::execute);
                  return null;
                }))
        .throwIfAny();
  }

  private static Changes changes(Map<NetworkNamespace, Changes> batches, NetworkNamespace ns) {
    return batches.computeIfAbsent(ns, Changes::in);
  }

  /**
   * Adds the routes of the hosts in {@code only} (all when null) to their namespaces' batches:
   * on-link routes to a link peer's other subnet, then declared and worked-out routes. With {@code
   * replace}, existing routes are overwritten (restoring after a link came back up).
   */
  private void addRoutes(
      Map<NetworkNamespace, Changes> batches, Set<String> only, boolean replace) {
    for (VethPair link : topology.links()) {
      for (String side : new String[] {link.a(), link.b()}) {
        if (only != null && !only.contains(side)) {
          continue;
        }
        NetworkNamespace ns = namespace(side);
        String name = link.interfaceIn(side);
        // A peer in another subnet: reach exactly that subnet over this wire.
        for (Cidr subnet : link.peerSubnetsRoutedFrom(side)) {
          changes(batches, ns)
              .addRoute(
                  subnet,
                  null,
                  index(ns, name),
                  replace,
                  "RTM_NEWROUTE " + subnet + " dev " + ns.name() + ":" + name);
        }
      }
    }
    for (StaticRoute route : topology.routes()) {
      if (only != null && !only.contains(route.in())) {
        continue;
      }
      NetworkNamespace ns = namespace(route.in());
      changes(batches, ns)
          .addRoute(
              route.to(),
              route.via(),
              0,
              replace,
              "RTM_NEWROUTE "
                  + (route.isDefault() ? "default" : route.to())
                  + " via "
                  + route.via().getHostAddress()
                  + " in "
                  + ns.name()
                  + " ("
                  + route.origin()
                  + ")");
    }
  }

  /**
   * Puts back the routes of these hosts, which the kernel dropped when one of their links went
   * down. Routes of other hosts that pass through them are untouched.
   */
  public void restoreRoutes(List<String> hosts) {
    Map<NetworkNamespace, Changes> batches = new LinkedHashMap<>();
    addRoutes(batches, new HashSet<>(hosts), true);
    for (Changes batch : batches.values()) {
      try {
        batch.execute();
      } catch (KernelException e) {
        // Routes over a link that is still down come back when that link's fault heals.
        if (!all(e, Set.of(Errno.ENETDOWN, Errno.ENETUNREACH))) {
          throw e;
        }
      }
    }
  }

  /** True when the failure and every one suppressed by it have one of these errnos. */
  private static boolean all(KernelException e, Set<Integer> errnos) {
    if (!errnos.contains(e.errno())) {
      return false;
    }
    for (Throwable other : e.getSuppressed()) {
      if (!(other instanceof KernelException k) || !all(k, errnos)) {
        return false;
      }
    }
    return true;
  }

  /** The hidden wire namespace of an impairable link. */
  NetworkNamespace wire(VethPair link) {
    NetworkNamespace wire = wires.get(link);
    if (wire == null) {
      throw new IllegalArgumentException(
          link.origin()
              + " is not impairable in userspace; declare it with impairable = true"
              + " (@VethLink(..., impairable = true) or Topology.Builder.impairableVeth)");
    }
    return wire;
  }

  /**
   * How forwarders opened from now on read and write frames ({@link ForwarderPorts#RING} unless
   * said otherwise); forwarders already open keep theirs.
   */
  public void forwardThrough(ForwarderPorts ports) {
    forwarderPorts = java.util.Objects.requireNonNull(ports, "ports");
  }

  ForwarderPorts forwarderPorts() {
    return forwarderPorts;
  }

  /** The fault injector of this network: partitions, cuts, link faults, rate limits. */
  public synchronized FaultInjector faults() {
    if (faults == null) {
      faults = new FaultInjector(this);
    }
    return faults;
  }

  private void veth(
      Changes create, NetworkNamespace a, String aName, NetworkNamespace b, String bName) {
    peersToBringUp.add(new LinkEnd(b, bName));
    create.createVeth(a, aName, assign(a, aName), b, bName, assign(b, bName));
  }

  /** A veth pair whose {@code a} end is a port of the bridge in {@code a}, made there. */
  private void port(
      Changes create, NetworkNamespace a, String aName, NetworkNamespace b, String bName) {
    peersToBringUp.add(new LinkEnd(b, bName));
    create.createPort(
        a, aName, assign(a, aName), BRIDGE, index(a, BRIDGE), b, bName, assign(b, bName));
  }

  /** Chooses the ifindex of a new link; in the machine's namespace the kernel chooses (0). */
  private int assign(NetworkNamespace ns, String name) {
    if (ns == host) {
      return 0;
    }
    Map<String, Integer> byName = indexes.computeIfAbsent(ns, k -> new HashMap<>());
    int index = FIRST_INDEX + byName.size();
    byName.put(name, index);
    return index;
  }

  /**
   * The ifindex of a link this network made: the one chosen at creation, or, in the machine's
   * namespace, the one learnt right after it (so never another's link that took the name since).
   * Links the network did not make are looked up by name.
   */
  int index(NetworkNamespace ns, String name) {
    Integer chosen = indexes.getOrDefault(ns, Map.of()).get(name);
    return chosen != null ? chosen : Links.index(ns, name);
  }

  /** The topology this network was built from. */
  public Topology topology() {
    return topology;
  }

  /** The namespace of a declared host, or of the machine ({@link Topology#HOST}). */
  public NetworkNamespace namespace(String name) {
    if (Topology.HOST.equals(name) && host != null) {
      return host;
    }
    NetworkNamespace ns = namespaces.get(name);
    if (ns == null) {
      throw new IllegalArgumentException(
          "no namespace '" + name + "' in this network (declared: " + namespaces.keySet() + ")");
    }
    return ns;
  }

  /** The declared namespaces, by name, in declaration order. */
  public Map<String, NetworkNamespace> namespaces() {
    return Collections.unmodifiableMap(namespaces);
  }

  /** The hidden namespace holding a LAN's switch (a bridge named {@code br0}). */
  public NetworkNamespace lanSwitch(String lan) {
    NetworkNamespace sw = switches.get(lan);
    if (sw == null) {
      throw new IllegalArgumentException(
          "no LAN '" + lan + "' (declared: " + switches.keySet() + ")");
    }
    return sw;
  }

  /** Every namespace this network made: hosts and LAN switches. */
  public List<NetworkNamespace> allNamespaces() {
    List<NetworkNamespace> all = new ArrayList<>(namespaces.values());
    all.addAll(switches.values());
    all.addAll(wires.values());
    return all;
  }

  /**
   * Tears everything down in reverse order: host-side ends first (down at once, so the machine
   * routes nothing more over them; gone with their namespace moments later), then the namespaces.
   * Every failure is collected; the first is thrown with the others suppressed. Idempotent.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    TopologyCloseEvent event = new TopologyCloseEvent();
    event.namespaces = namespaces.size();
    event.begin();
    try {
      closeAll();
    } finally {
      event.commit();
    }
  }

  private void closeAll() {
    Failures failures = new Failures();
    if (faults != null) {
      failures.run(faults::healAll);
    }
    if (!hostEnds.isEmpty()) {
      // Addresses off and links down at once, in one batch: the machine routes nothing more over
      // them, and no address of theirs is left to stand in the way of the next network's check
      // (the kernel deletes the ends with their peers when the namespaces go, moments later,
      // without the 20-30 ms that a synchronous delete costs). By ifindex: the name may be
      // another's by now.
      Changes off = Changes.in(host);
      for (Map.Entry<VethPair, Integer> end : reversed(new ArrayList<>(hostEnds.entrySet()))) {
        String name = end.getKey().interfaceIn(Topology.HOST);
        int index = end.getValue();
        for (Cidr address : end.getKey().addressesIn(Topology.HOST)) {
          off.deleteAddress(name, index, address);
        }
        off.setUp(name, index, false);
      }
      failures.run(
          () -> {
            try {
              off.execute();
            } catch (KernelException e) {
              // Gone already (its namespace closed some other way), or its address taken off.
              if (!all(e, Set.of(Errno.ENODEV, Errno.EADDRNOTAVAIL))) {
                throw e;
              }
            }
          });
    }
    for (NetworkNamespace ns : reversed(allNamespaces())) {
      failures.run(ns::close);
    }
    if (host != null) {
      failures.run(host::close);
    }
    failures.throwIfAny();
  }

  private static <T> List<T> reversed(List<T> list) {
    List<T> copy = new ArrayList<>(list);
    Collections.reverse(copy);
    return copy;
  }

  /** One end of a link: an interface in a namespace. */
  private record LinkEnd(NetworkNamespace namespace, String name) {}

  /** A namespace to make: its name (for people) and what it stands for in the topology. */
  private record Made(String name, Role role) {}

  /** What a namespace this network made stands for; the model says, never the namespace's name. */
  private sealed interface Role {
    /** Files the namespace where the network finds it by its role. */
    void adopt(RunningTopology running, NetworkNamespace ns);

    /** A declared host or router. */
    record Declared(String host) implements Role {
      @Override
      public void adopt(RunningTopology running, NetworkNamespace ns) {
        running.namespaces.put(host, ns);
      }
    }

    /** The hidden namespace of a LAN's switch. */
    record LanSwitch(Lan lan) implements Role {
      @Override
      public void adopt(RunningTopology running, NetworkNamespace ns) {
        running.switches.put(lan.name(), ns);
      }
    }

    /** The hidden wire namespace of an impairable link. */
    record Wire(VethPair link) implements Role {
      @Override
      public void adopt(RunningTopology running, NetworkNamespace ns) {
        running.wires.put(link, ns);
      }
    }
  }
}
