package dev.netns.topology;

import dev.netns.kernel.Addresses;
import dev.netns.kernel.Cidr;
import dev.netns.kernel.Inspection;
import dev.netns.kernel.Links;
import dev.netns.kernel.NetworkNamespace;
import dev.netns.netlink.LinkRequests;
import dev.netns.netlink.Request;
import dev.netns.netlink.RouteRequests;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

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

  /**
   * Topologies that touch the machine's namespace start one at a time in this JVM, so that the
   * check against the machine's routes and the addresses added after it cannot interleave with
   * another test's.
   */
  private static final Object HOST_CHANGES = new Object();

  private final Topology topology;
  private final Map<String, NetworkNamespace> namespaces = new LinkedHashMap<>();
  private final Map<String, NetworkNamespace> switches = new LinkedHashMap<>();
  private final Map<VethPair, NetworkNamespace> wires = new LinkedHashMap<>();
  private final NetworkNamespace host;
  private final Map<NetworkNamespace, Map<String, Integer>> indexes = new HashMap<>();
  private final List<LinkEnd> peersToBringUp = new ArrayList<>();
  private boolean creationStarted;
  private FaultInjector faults;
  private boolean closed;

  private RunningTopology(Topology topology, NetworkNamespace host) {
    this.topology = topology;
    this.host = host;
  }

  static RunningTopology start(Topology topology) {
    if (!topology.touchesHost()) {
      return startUnlocked(topology);
    }
    synchronized (HOST_CHANGES) {
      return startUnlocked(topology);
    }
  }

  private static RunningTopology startUnlocked(Topology topology) {
    NetworkNamespace host = null;
    if (topology.touchesHost()) {
      host = NetworkNamespace.host();
      try {
        List<String> conflicts = topology.conflictsWithHostRoutes(Inspection.routes(host));
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
      List<String> names = new ArrayList<>(topology.hosts());
      for (Lan lan : topology.lans()) {
        names.add("lan:" + lan.name());
      }
      List<VethPair> impairable = topology.links().stream().filter(VethPair::impairable).toList();
      for (int i = 0; i < impairable.size(); i++) {
        VethPair link = impairable.get(i);
        names.add("wire" + i + ":" + link.a() + "-" + link.b());
      }
      boolean ipv6 =
          topology.hosts().stream()
              .flatMap(h -> topology.addressesOf(h).stream())
              .anyMatch(Cidr::isIpv6);
      List<NetworkNamespace> made = NetworkNamespace.createAll(names, topology.routers(), ipv6);
      int wire = 0;
      for (NetworkNamespace ns : made) {
        if (ns.name().startsWith("lan:")) {
          running.switches.put(ns.name().substring(4), ns);
        } else if (ns.name().startsWith("wire")) {
          running.wires.put(impairable.get(wire++), ns);
        } else {
          running.namespaces.put(ns.name(), ns);
        }
      }
      running.wire();
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

  private void wire() {
    if (topology.links().isEmpty() && topology.lans().isEmpty()) {
      return;
    }
    // 1. Every bridge and every veth pair, in one batch on one socket: the requests carry the
    //    namespaces' fds, so they land where they belong.
    List<Request> create = new ArrayList<>();
    for (Lan lan : topology.lans()) {
      NetworkNamespace sw = switches.get(lan.name());
      create.add(
          LinkRequests.newLink(BRIDGE, "bridge", sw.fd(), assign(sw, BRIDGE), true)
              .describedAs("RTM_NEWLINK bridge " + sw.name() + ":" + BRIDGE));
    }
    for (VethPair link : topology.links()) {
      NetworkNamespace wire = wires.get(link);
      if (wire == null) {
        create.add(
            veth(namespace(link.a()), link.aInterface(), namespace(link.b()), link.bInterface()));
      } else {
        // a <-> wire:pa, wire:pb <-> b, and a bridge joining pa and pb until an impairment
        // replaces it with the userspace forwarder.
        create.add(
            LinkRequests.newLink(BRIDGE, "bridge", wire.fd(), assign(wire, BRIDGE), true)
                .describedAs("RTM_NEWLINK bridge " + wire.name() + ":" + BRIDGE));
        create.add(veth(wire, WIRE_A, namespace(link.a()), link.aInterface()));
        create.add(veth(wire, WIRE_B, namespace(link.b()), link.bInterface()));
      }
    }
    for (Lan lan : topology.lans()) {
      NetworkNamespace sw = switches.get(lan.name());
      for (LanPort port : lan.ports()) {
        create.add(veth(sw, port.switchPort(), namespace(port.host()), port.interfaceName()));
      }
    }
    NetworkNamespace any = !namespaces.isEmpty() ? namespaces.values().iterator().next() : host;
    creationStarted = true;
    any.netlink().executeAll(create);

    // 2. Ports into their bridges, one batch per switch; peers up in their namespace's batch.
    Map<NetworkNamespace, List<Request>> setup = new LinkedHashMap<>();
    for (LinkEnd peer : peersToBringUp) {
      NetworkNamespace ns = peer.namespace();
      String name = peer.name();
      setup
          .computeIfAbsent(ns, k -> new ArrayList<>())
          .add(
              LinkRequests.setUp(index(ns, name), true)
                  .describedAs("RTM_NEWLINK " + ns.name() + ":" + name + " up"));
    }
    for (NetworkNamespace wire : wires.values()) {
      wire.netlink().executeAll(joinWire(wire));
    }
    for (Lan lan : topology.lans()) {
      NetworkNamespace sw = switches.get(lan.name());
      List<Request> enslave = new ArrayList<>();
      for (LanPort port : lan.ports()) {
        enslave.add(
            LinkRequests.setMaster(index(sw, port.switchPort()), index(sw, BRIDGE))
                .describedAs("RTM_NEWLINK " + sw.name() + ":" + port.switchPort() + " master br0"));
      }
      sw.netlink().executeAll(enslave);
    }

    // 3. Per namespace, one batch: MTU, addresses, then routes (which need the addresses).
    for (VethPair link : topology.links()) {
      for (String side : new String[] {link.a(), link.b()}) {
        NetworkNamespace ns = namespace(side);
        String name = link.interfaceIn(side);
        int index = index(ns, name);
        List<Request> batch = setup.computeIfAbsent(ns, k -> new ArrayList<>());
        if (link.mtu() > 0) {
          batch.add(
              LinkRequests.setMtu(index, link.mtu())
                  .describedAs("RTM_NEWLINK " + ns.name() + ":" + name + " mtu " + link.mtu()));
        }
        for (Cidr address : link.addressesIn(side)) {
          batch.add(Addresses.addRequest(ns, name, index, address));
        }
      }
    }
    for (Lan lan : topology.lans()) {
      for (LanPort port : lan.ports()) {
        NetworkNamespace ns = namespace(port.host());
        int index = index(ns, port.interfaceName());
        for (Cidr address : port.addresses()) {
          setup
              .computeIfAbsent(ns, k -> new ArrayList<>())
              .add(Addresses.addRequest(ns, port.interfaceName(), index, address));
        }
      }
    }
    Map<NetworkNamespace, List<Request>> routes = routeRequests(null, false);
    routes.forEach((ns, batch) -> setup.computeIfAbsent(ns, k -> new ArrayList<>()).addAll(batch));
    setup.forEach((ns, batch) -> ns.netlink().executeAll(batch));
  }

  /**
   * The route requests of the hosts in {@code only} (all when null): on-link routes to a link
   * peer's other subnet, then declared and worked-out routes. With {@code replace}, existing routes
   * are overwritten (restoring after a link came back up).
   */
  private Map<NetworkNamespace, List<Request>> routeRequests(Set<String> only, boolean replace) {
    Map<NetworkNamespace, List<Request>> routes = new LinkedHashMap<>();
    for (VethPair link : topology.links()) {
      for (String side : new String[] {link.a(), link.b()}) {
        if (only != null && !only.contains(side)) {
          continue;
        }
        NetworkNamespace ns = namespace(side);
        String name = link.interfaceIn(side);
        List<Cidr> own = link.addressesIn(side);
        for (Cidr peer : link.addressesIn(link.peerOf(side))) {
          boolean covered = own.stream().anyMatch(a -> a.network().contains(peer.address()));
          boolean sameFamily = own.stream().anyMatch(a -> a.isIpv6() == peer.isIpv6());
          if (!covered && sameFamily) {
            // The peer sits in another subnet: reach exactly that subnet over this wire.
            Cidr subnet = peer.network();
            routes
                .computeIfAbsent(ns, k -> new ArrayList<>())
                .add(
                    RouteRequests.addUnicast(
                            subnet.address(), subnet.prefixLength(), null, index(ns, name), replace)
                        .describedAs("RTM_NEWROUTE " + subnet + " dev " + ns.name() + ":" + name));
          }
        }
      }
    }
    for (StaticRoute route : topology.routes()) {
      if (only != null && !only.contains(route.in())) {
        continue;
      }
      NetworkNamespace ns = namespace(route.in());
      routes
          .computeIfAbsent(ns, k -> new ArrayList<>())
          .add(
              RouteRequests.addUnicast(
                      route.isDefault() ? null : route.to().address(),
                      route.to().prefixLength(),
                      route.via(),
                      0,
                      replace)
                  .describedAs(
                      "RTM_NEWROUTE "
                          + (route.isDefault() ? "default" : route.to())
                          + " via "
                          + route.via().getHostAddress()
                          + " in "
                          + ns.name()
                          + " ("
                          + route.origin()
                          + ")"));
    }
    return routes;
  }

  /**
   * Puts back the routes of these hosts, which the kernel dropped when one of their links went
   * down. Routes of other hosts that pass through them are untouched.
   */
  public void restoreRoutes(List<String> hosts) {
    routeRequests(new java.util.HashSet<>(hosts), true)
        .forEach(
            (ns, batch) -> {
              try {
                ns.netlink().executeAll(batch);
              } catch (dev.netns.nativeaccess.KernelException e) {
                // Routes over a link that is still down come back when that link's fault heals.
                if (!allLinkDown(e)) {
                  throw e;
                }
              }
            });
  }

  private static boolean allLinkDown(dev.netns.nativeaccess.KernelException e) {
    if (e.errno() != dev.netns.nativeaccess.Errno.ENETDOWN
        && e.errno() != dev.netns.nativeaccess.Errno.ENETUNREACH) {
      return false;
    }
    for (Throwable other : e.getSuppressed()) {
      if (!(other instanceof dev.netns.nativeaccess.KernelException k) || !allLinkDown(k)) {
        return false;
      }
    }
    return true;
  }

  /** Requests that put a wire's two ports into its bridge. */
  List<Request> joinWire(NetworkNamespace wire) {
    List<Request> join = new ArrayList<>();
    for (String port : new String[] {WIRE_A, WIRE_B}) {
      join.add(
          LinkRequests.setMaster(index(wire, port), index(wire, BRIDGE))
              .describedAs("RTM_NEWLINK " + wire.name() + ":" + port + " master br0"));
    }
    return join;
  }

  /** Requests that take a wire's two ports out of its bridge. */
  List<Request> leaveWire(NetworkNamespace wire) {
    List<Request> leave = new ArrayList<>();
    for (String port : new String[] {WIRE_A, WIRE_B}) {
      leave.add(
          LinkRequests.setMaster(index(wire, port), 0)
              .describedAs("RTM_NEWLINK " + wire.name() + ":" + port + " nomaster"));
    }
    return leave;
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

  /** The fault injector of this network: partitions, cuts, link faults, rate limits. */
  public synchronized FaultInjector faults() {
    if (faults == null) {
      faults = new FaultInjector(this);
    }
    return faults;
  }

  private Request veth(NetworkNamespace a, String aName, NetworkNamespace b, String bName) {
    peersToBringUp.add(new LinkEnd(b, bName));
    return LinkRequests.newVeth(
            aName, a.fd(), assign(a, aName), bName, b.fd(), assign(b, bName), true)
        .describedAs("RTM_NEWLINK veth " + a.name() + ":" + aName + "<->" + b.name() + ":" + bName);
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

  private int index(NetworkNamespace ns, String name) {
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
    RuntimeException failure = null;
    if (faults != null) {
      try {
        faults.healAll();
      } catch (RuntimeException e) {
        failure = collect(failure, e);
      }
    }
    if (host != null) {
      for (VethPair link : reversed(topology.links())) {
        if (link.touchesHost()) {
          try {
            // Only ends this network made: a name it found taken was refused before creation.
            // Down at once, which takes its routes off the machine; the kernel deletes it with
            // its peer when the namespace goes, moments later, without the 20-30 ms that a
            // synchronous delete costs.
            String name = link.interfaceIn(Topology.HOST);
            if (creationStarted) {
              java.util.OptionalInt index = Links.find(host, name);
              if (index.isPresent()) {
                host.netlink()
                    .execute(
                        LinkRequests.setUp(index.getAsInt(), false)
                            .describedAs("RTM_NEWLINK host:" + name + " down"));
              }
            }
          } catch (RuntimeException e) {
            failure = collect(failure, e);
          }
        }
      }
    }
    for (NetworkNamespace ns : reversed(allNamespaces())) {
      try {
        ns.close();
      } catch (RuntimeException e) {
        failure = collect(failure, e);
      }
    }
    if (host != null) {
      try {
        host.close();
      } catch (RuntimeException e) {
        failure = collect(failure, e);
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  private static <T> List<T> reversed(List<T> list) {
    List<T> copy = new ArrayList<>(list);
    Collections.reverse(copy);
    return copy;
  }

  private static RuntimeException collect(RuntimeException first, RuntimeException next) {
    if (first == null) {
      return next;
    }
    first.addSuppressed(next);
    return first;
  }

  /** One end of a link: an interface in a namespace. */
  private record LinkEnd(NetworkNamespace namespace, String name) {}
}
