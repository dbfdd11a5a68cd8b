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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A topology built in the kernel: its namespaces and links, until {@link #close()} tears them down.
 *
 * <p>Namespaces are anonymous, held only by this JVM's descriptors, so a JVM killed in the middle
 * leaves nothing behind either: the kernel frees them with every device inside. Ends in the
 * machine's own namespace are deleted explicitly on close.
 */
public final class RunningTopology implements AutoCloseable {
  private final Topology topology;
  private final Map<String, NetworkNamespace> namespaces;
  private final NetworkNamespace host;
  private boolean closed;

  private RunningTopology(
      Topology topology, Map<String, NetworkNamespace> namespaces, NetworkNamespace host) {
    this.topology = topology;
    this.namespaces = namespaces;
    this.host = host;
  }

  /**
   * Topologies that touch the machine's namespace start one at a time in this JVM, so that the
   * check against the machine's routes and the addresses added after it cannot interleave with
   * another test's.
   */
  private static final Object HOST_CHANGES = new Object();

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
        if (!conflicts.isEmpty()) {
          throw new TopologyException(conflicts);
        }
      } catch (RuntimeException e) {
        host.close();
        throw e;
      }
    }
    Map<String, NetworkNamespace> namespaces = new LinkedHashMap<>();
    RunningTopology running = new RunningTopology(topology, namespaces, host);
    try {
      for (NetworkNamespace ns : NetworkNamespace.createAll(topology.hosts())) {
        namespaces.put(ns.name(), ns);
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
    if (topology.links().isEmpty()) {
      return;
    }
    // Every pair in one batch: the requests carry both namespaces' fds, so one socket serves all.
    List<Request> veths = new ArrayList<>();
    for (VethPair link : topology.links()) {
      veths.add(
          Links.vethRequest(
              namespace(link.a()), link.aInterface(), namespace(link.b()), link.bInterface()));
    }
    NetworkNamespace any = namespaces.isEmpty() ? host : namespaces.values().iterator().next();
    any.netlink().executeAll(veths);

    // Then, per namespace, one batch: MTU, up, addresses, routes to the peer's other subnets.
    Map<NetworkNamespace, List<Request>> batches = new LinkedHashMap<>();
    for (VethPair link : topology.links()) {
      for (String side : new String[] {link.a(), link.b()}) {
        NetworkNamespace ns = namespace(side);
        String name = link.interfaceIn(side);
        int index = Links.index(ns, name);
        List<Request> batch = batches.computeIfAbsent(ns, k -> new ArrayList<>());
        if (link.mtu() > 0) {
          batch.add(
              LinkRequests.setMtu(index, link.mtu())
                  .describedAs("RTM_NEWLINK " + ns.name() + ":" + name + " mtu " + link.mtu()));
        }
        batch.add(
            LinkRequests.setUp(index, true)
                .describedAs("RTM_NEWLINK " + ns.name() + ":" + name + " up"));
        List<Cidr> own = link.addressesIn(side);
        for (Cidr address : own) {
          batch.add(Addresses.addRequest(ns, name, index, address));
        }
        for (Cidr peer : link.addressesIn(link.peerOf(side))) {
          boolean covered = own.stream().anyMatch(a -> a.network().contains(peer.address()));
          boolean sameFamily = own.stream().anyMatch(a -> a.isIpv6() == peer.isIpv6());
          if (!covered && sameFamily) {
            // The peer sits in another subnet: reach exactly that subnet over this wire.
            Cidr subnet = peer.network();
            batch.add(
                RouteRequests.addUnicast(subnet.address(), subnet.prefixLength(), null, index)
                    .describedAs("RTM_NEWROUTE " + subnet + " dev " + ns.name() + ":" + name));
          }
        }
      }
    }
    batches.forEach((ns, batch) -> ns.netlink().executeAll(batch));
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
    return java.util.Collections.unmodifiableMap(namespaces);
  }

  /**
   * Tears everything down in reverse order: host-side ends first (explicitly, so they are gone when
   * this returns), then the namespaces. Every failure is collected; the first is thrown with the
   * others suppressed. Idempotent.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    RuntimeException failure = null;
    if (host != null) {
      for (VethPair link : reversed(topology.links())) {
        if (link.touchesHost()) {
          try {
            String name = link.interfaceIn(Topology.HOST);
            if (Links.find(host, name).isPresent()) {
              Links.delete(host, name);
            }
          } catch (RuntimeException e) {
            failure = collect(failure, e);
          }
        }
      }
    }
    for (NetworkNamespace ns : reversed(new ArrayList<>(namespaces.values()))) {
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
    java.util.Collections.reverse(copy);
    return copy;
  }

  private static RuntimeException collect(RuntimeException first, RuntimeException next) {
    if (first == null) {
      return next;
    }
    first.addSuppressed(next);
    return first;
  }
}
