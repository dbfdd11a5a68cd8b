package dev.netns.topology;

import dev.netns.kernel.Cidr;
import java.net.InetAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Declared routes checked, and the routes nobody declared worked out. */
final class Routing {
  private static final String COMPUTED = "computed";

  private Routing() {}

  static StaticRoute parse(
      RouteDeclaration d, Set<String> hosts, List<Attachment> attachments, List<String> problems) {
    int before = problems.size();
    Topology.Builder.checkEnd(d.origin(), "in", d.in(), hosts, false, problems);
    InetAddress via = null;
    try {
      via = Cidr.parseAddress(d.via().trim());
    } catch (IllegalArgumentException e) {
      problems.add(d.origin() + ": via " + e.getMessage());
    }
    Cidr to = null;
    if (via != null) {
      try {
        to =
            "default".equals(d.to().trim())
                ? new Cidr(InetAddress.getByAddress(new byte[via.getAddress().length]), 0)
                : Cidr.parse(d.to().trim()).network();
      } catch (IllegalArgumentException | java.net.UnknownHostException e) {
        problems.add(d.origin() + ": to " + e.getMessage());
      }
    }
    if (problems.size() > before) {
      return null;
    }
    if (to.isIpv6() != (via.getAddress().length == 16)) {
      problems.add(d.origin() + ": to and via are of different address families");
      return null;
    }
    InetAddress gateway = via;
    boolean machine =
        attachments.stream()
            .anyMatch(a -> Topology.HOST.equals(a.host()) && a.address().address().equals(gateway));
    if (machine) {
      problems.add(
          d.origin()
              + ": gateway "
              + gateway.getHostAddress()
              + " is the machine's own end of a link; the machine never routes test traffic");
      return null;
    }
    List<Cidr> attached =
        attachments.stream()
            .filter(a -> a.host().equals(d.in()))
            .map(Attachment::network)
            .distinct()
            .toList();
    if (attached.stream().noneMatch(n -> n.contains(gateway))) {
      problems.add(
          d.origin()
              + ": gateway "
              + gateway.getHostAddress()
              + " is on no subnet attached to '"
              + d.in()
              + "' (attached: "
              + (attached.isEmpty() ? "none" : attached.toString())
              + ")");
      return null;
    }
    return new StaticRoute(d.in(), to, gateway, d.origin());
  }

  /**
   * Routes for every host to every subnet it can reach through routers: a host beside exactly one
   * router gets a default route through it; other hosts and routers get one route per subnet,
   * through the first router on a shortest path. Declared routes win over worked-out ones.
   */
  static List<StaticRoute> compute(
      List<String> hosts, Set<String> routers, List<Attachment> all, List<StaticRoute> declared) {
    List<StaticRoute> routes = new ArrayList<>();
    for (boolean v6 : new boolean[] {false, true}) {
      Map<String, List<Attachment>> byHost = new LinkedHashMap<>();
      Map<Cidr, List<Attachment>> bySubnet = new LinkedHashMap<>();
      for (Attachment a : all) {
        if (a.address().isIpv6() == v6 && !Topology.HOST.equals(a.host())) {
          byHost.computeIfAbsent(a.host(), k -> new ArrayList<>()).add(a);
          bySubnet.computeIfAbsent(a.network(), k -> new ArrayList<>()).add(a);
        }
      }
      for (String host : hosts) {
        List<Attachment> own = byHost.getOrDefault(host, List.of());
        if (own.isEmpty()) {
          continue;
        }
        Set<Cidr> declaredTo = new HashSet<>();
        for (StaticRoute r : declared) {
          if (r.in().equals(host) && r.to().isIpv6() == v6) {
            declaredTo.add(r.to());
          }
        }
        if (!routers.contains(host)) {
          Map<String, InetAddress> adjacent = new LinkedHashMap<>();
          for (Attachment a : own) {
            for (Attachment peer : bySubnet.get(a.network())) {
              if (routers.contains(peer.host()) && !peer.host().equals(host)) {
                adjacent.putIfAbsent(peer.host(), peer.address().address());
              }
            }
          }
          if (adjacent.size() == 1) {
            Cidr any = anyRoute(v6);
            if (!declaredTo.contains(any)) {
              routes.add(new StaticRoute(host, any, adjacent.values().iterator().next(), COMPUTED));
            }
            continue;
          }
        }
        Set<Cidr> reached = new LinkedHashSet<>();
        Set<String> visited = new HashSet<>(Set.of(host));
        Deque<Hop> queue = new ArrayDeque<>();
        for (Attachment a : own) {
          reached.add(a.network());
        }
        for (Attachment a : own) {
          for (Attachment peer : bySubnet.get(a.network())) {
            if (routers.contains(peer.host()) && visited.add(peer.host())) {
              queue.add(new Hop(peer.host(), peer.address().address()));
            }
          }
        }
        while (!queue.isEmpty()) {
          Hop next = queue.poll();
          String router = next.router();
          InetAddress gateway = next.gateway();
          for (Attachment a : byHost.getOrDefault(router, List.of())) {
            if (!reached.add(a.network())) {
              continue;
            }
            if (!declaredTo.contains(a.network())) {
              routes.add(new StaticRoute(host, a.network(), gateway, COMPUTED));
            }
            for (Attachment peer : bySubnet.get(a.network())) {
              if (routers.contains(peer.host()) && visited.add(peer.host())) {
                queue.add(new Hop(peer.host(), gateway));
              }
            }
          }
        }
      }
    }
    return routes;
  }

  private static Cidr anyRoute(boolean v6) {
    return Cidr.parse(v6 ? "::/0" : "0.0.0.0/0");
  }

  /** A router reached on a shortest path, and the first gateway on the way to it. */
  private record Hop(String router, InetAddress gateway) {}
}
