package dev.netns.topology;

import dev.netns.kernel.AddressInfo;
import dev.netns.kernel.Cidr;
import dev.netns.kernel.InterfaceName;
import dev.netns.kernel.RouteInfo;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

// Longer than most classes here: Topology.Builder is public API (what @TopologyFactory methods
// return) and checks every kind of declaration in one pass, so that all problems come in one
// exception. The checks of LANs, routes, the address pool and links to the machine live in LanPlan,
// Routing, AddressPool and HostSideLimits.

/**
 * A validated description of a network: hosts (each a network namespace), routers (hosts that
 * forward), veth pairs, LANs and routes. Usable without JUnit: {@link #start()} builds it in the
 * kernel, and closing the result tears it down.
 *
 * <p>Routes are worked out unless given: a host next to exactly one router gets a default route
 * through it; routers get a route to every subnet they can reach through other routers. The
 * machine's own namespace never gets any route but those of the subnets declared on its links.
 *
 * <pre>{@code
 * Topology topology = Topology.builder()
 *     .host("a").host("b").router("r")
 *     .lan("left", "10.0.1.0/24", "a", "r")
 *     .lan("right", "10.0.2.0/24", "r", "b")
 *     .build();
 * try (RunningTopology network = topology.start()) {
 *   // a reaches b (10.0.2.2) through r
 * }
 * }</pre>
 */
public final class Topology {
  /** The name that stands for the machine's own network namespace in link declarations. */
  public static final String HOST = "host";

  /** Where point-to-point links without addresses get theirs, a /30 each. */
  public static final String DEFAULT_ADDRESS_POOL = "10.200.0.0/16";

  private static final AtomicLong HOST_INTERFACE_COUNTER = new AtomicLong();

  private final List<String> hosts;
  private final Set<String> routers;
  private final List<VethPair> links;
  private final List<Lan> lans;
  private final List<StaticRoute> routes;

  /** Positions in {@link #links} of links to the machine whose machine-side name was generated. */
  private final Set<Integer> generatedHostSideNames;

  private Topology(
      List<String> hosts,
      Set<String> routers,
      List<VethPair> links,
      List<Lan> lans,
      List<StaticRoute> routes,
      Set<Integer> generatedHostSideNames) {
    this.generatedHostSideNames = Set.copyOf(generatedHostSideNames);
    this.hosts = List.copyOf(hosts);
    this.routers = Set.copyOf(routers);
    this.links = List.copyOf(links);
    this.lans = List.copyOf(lans);
    this.routes = List.copyOf(routes);
  }

  /** A builder; {@link Builder#build()} validates the whole declaration at once. */
  public static Builder builder() {
    return new Builder();
  }

  /** The declared hosts and routers, in declaration order (not the machine's own namespace). */
  public List<String> hosts() {
    return hosts;
  }

  /** The hosts that forward packets. */
  public Set<String> routers() {
    return routers;
  }

  /** The veth pairs, with every default filled in. */
  public List<VethPair> links() {
    return links;
  }

  /** The LANs, with every address assigned. */
  public List<Lan> lans() {
    return lans;
  }

  /** The LAN of that name; {@code call} names the caller in the error when there is none. */
  public Lan lan(String name, String call) {
    return lans.stream()
        .filter(l -> l.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException(call + ": no LAN '" + name + "'"));
  }

  /** Every route to install: the declared ones and those worked out. */
  public List<StaticRoute> routes() {
    return routes;
  }

  /** Every address of {@code host}, links first, then LANs, in declaration order. */
  public List<Cidr> addressesOf(String host) {
    List<Cidr> addresses = new ArrayList<>();
    for (VethPair link : links) {
      if (link.a().equals(host) || link.b().equals(host)) {
        addresses.addAll(link.addressesIn(host));
      }
    }
    for (Lan lan : lans) {
      for (LanPort port : lan.ports()) {
        if (port.host().equals(host)) {
          addresses.addAll(port.addresses());
        }
      }
    }
    return addresses;
  }

  /** True when a link has an end in the machine's own namespace. */
  public boolean touchesHost() {
    return links.stream().anyMatch(VethPair::touchesHost);
  }

  /**
   * Problems with this topology given the routes the machine's own namespace already has: an
   * address declared on a host-side end must not overlap any of them (a test must never reroute the
   * machine's own traffic).
   */
  public List<String> conflictsWithHostRoutes(List<RouteInfo> hostRoutes) {
    List<String> problems = new ArrayList<>();
    for (VethPair link : links) {
      if (link.touchesHost()) {
        problems.addAll(HostSideLimits.routeConflicts(link, hostRoutes));
      }
    }
    return problems;
  }

  /**
   * As {@link #conflictsWithHostRoutes}, and against the addresses on the machine's links too: a
   * link that is down (another test's, under a fault) keeps its addresses but not its routes, and
   * gets them back when it comes up; an address of {@code /32} has no route in the main table.
   */
  public List<String> conflictsWithMachine(
      List<RouteInfo> hostRoutes, List<AddressInfo> hostAddresses) {
    List<String> problems = new ArrayList<>();
    for (VethPair link : links) {
      if (!link.touchesHost()) {
        continue;
      }
      List<String> conflicts = HostSideLimits.routeConflicts(link, hostRoutes);
      // A route found already names the same subnet; say it once.
      problems.addAll(
          conflicts.isEmpty() ? HostSideLimits.addressConflicts(link, hostAddresses) : conflicts);
    }
    return problems;
  }

  /**
   * Builds this topology in the kernel. On failure half-way, undoes what it made.
   *
   * <p>A topology may start many times (once per test of a class, say). Machine-side ends whose
   * name was generated get a fresh one at each start: the kernel frees the previous start's end
   * moments after it closed, and the machine is shared with every other test.
   */
  public RunningTopology start() {
    return RunningTopology.start(withFreshHostSideNames());
  }

  private Topology withFreshHostSideNames() {
    if (generatedHostSideNames.isEmpty()) {
      return this;
    }
    List<VethPair> renamed = new ArrayList<>(links);
    for (int i : generatedHostSideNames) {
      renamed.set(i, links.get(i).withInterfaceIn(HOST, Builder.uniqueHostSideName()));
    }
    return new Topology(hosts, routers, renamed, lans, routes, generatedHostSideNames);
  }

  /** Collects declarations; nothing is checked until {@link #build()}. */
  public static final class Builder {
    private final List<String[]> hostDeclarations = new ArrayList<>(); // name, origin, router
    private final List<VethDeclaration> veths = new ArrayList<>();
    private final List<LanDeclaration> lanDeclarations = new ArrayList<>();
    private final List<RouteDeclaration> routeDeclarations = new ArrayList<>();
    private String addressPool = DEFAULT_ADDRESS_POOL;

    private Builder() {}

    /** Declares a host (a network namespace). */
    public Builder host(String name) {
      return host(name, "host(\"" + name + "\")");
    }

    /** Declares a host, with the declaration's origin for error messages. */
    public Builder host(String name, String origin) {
      hostDeclarations.add(new String[] {name, origin, "host"});
      return this;
    }

    /** Declares a router: a host with IPv4 and IPv6 forwarding on. */
    public Builder router(String name) {
      return router(name, "router(\"" + name + "\")");
    }

    /** Declares a router, with the declaration's origin for error messages. */
    public Builder router(String name, String origin) {
      hostDeclarations.add(new String[] {name, origin, "router"});
      return this;
    }

    /** A veth pair between two hosts, with addresses per end (empty: automatic, from the pool). */
    public Builder veth(String a, List<String> aAddresses, String b, List<String> bAddresses) {
      return veth(
          new VethDeclaration(
              a, "", aAddresses, b, "", bAddresses, 0, "veth(\"" + a + "\", \"" + b + "\")"));
    }

    /**
     * A veth pair between two hosts that runs through a hidden wire namespace, so that the
     * userspace impairment path can delay, drop, duplicate and reorder its frames.
     */
    public Builder impairableVeth(
        String a, List<String> aAddresses, String b, List<String> bAddresses) {
      return veth(
          new VethDeclaration(
              a,
              "",
              aAddresses,
              b,
              "",
              bAddresses,
              0,
              "impairableVeth(\"" + a + "\", \"" + b + "\")",
              true));
    }

    /** A veth pair declared in full. */
    public Builder veth(VethDeclaration declaration) {
      veths.add(declaration);
      return this;
    }

    /** A LAN on one subnet with automatic addresses, .1 upwards in the order of {@code hosts}. */
    public Builder lan(String name, String subnet, String... hosts) {
      return lan(
          new LanDeclaration(
              name, List.of(subnet), List.of(hosts), List.of(), "lan(\"" + name + "\")"));
    }

    /** A LAN declared in full. */
    public Builder lan(LanDeclaration declaration) {
      lanDeclarations.add(declaration);
      return this;
    }

    /** A route in host {@code in} to {@code to} (a subnet, or {@code default}) via a gateway. */
    public Builder route(String in, String to, String via) {
      return route(
          new RouteDeclaration(
              in,
              to,
              via,
              "route(in = \"" + in + "\", to = \"" + to + "\", via = \"" + via + "\")"));
    }

    /** A route declared in full. */
    public Builder route(RouteDeclaration declaration) {
      routeDeclarations.add(declaration);
      return this;
    }

    /** Where links without addresses get theirs (default {@value #DEFAULT_ADDRESS_POOL}). */
    public Builder addressPool(String pool) {
      this.addressPool = pool;
      return this;
    }

    /**
     * Validates everything declared and returns the topology; every problem found is listed in one
     * {@link TopologyException}.
     */
    public Topology build() {
      List<String> problems = new ArrayList<>();
      Set<String> names = new LinkedHashSet<>();
      Set<String> routers = new LinkedHashSet<>();
      for (String[] declaration : hostDeclarations) {
        String name = declaration[0];
        String origin = declaration[1];
        if (name == null || name.isBlank()) {
          problems.add(origin + ": a namespace needs a name");
        } else if (HOST.equals(name)) {
          problems.add(
              origin
                  + ": '"
                  + HOST
                  + "' stands for the machine's own namespace; pick another name");
        } else if (!names.add(name)) {
          problems.add(origin + ": namespace '" + name + "' is declared twice");
        } else if (declaration[2].equals("router")) {
          routers.add(name);
        }
      }
      Map<String, Set<String>> interfaces = new HashMap<>();
      for (String name : names) {
        interfaces.put(name, new LinkedHashSet<>(List.of("lo")));
      }
      interfaces.put(HOST, new LinkedHashSet<>());
      Map<InetAddress, AddressClaim> addressOwners = new HashMap<>();
      List<Attachment> attachments = new ArrayList<>();

      List<VethPair> links = new ArrayList<>();
      Set<Integer> generatedHostSideNames = new LinkedHashSet<>();
      AddressPool pool = null;
      for (VethDeclaration veth : veths) {
        int before = problems.size();
        checkEnd(veth.origin(), "a", veth.a(), names, true, problems);
        checkEnd(veth.origin(), "b", veth.b(), names, true, problems);
        if (problems.size() > before) {
          continue;
        }
        if (veth.a().equals(veth.b())) {
          problems.add(
              veth.origin()
                  + ": a and b are both '"
                  + veth.a()
                  + "'; a veth link joins two different namespaces");
          continue;
        }
        String aName = interfaceName(veth.aInterface(), veth.a(), veth.b());
        String bName = interfaceName(veth.bInterface(), veth.b(), veth.a());
        checkInterface(
            veth.origin(),
            "aName",
            veth.a(),
            aName,
            derivedFrom(veth.aInterface(), veth.a(), veth.b()),
            interfaces,
            problems);
        checkInterface(
            veth.origin(),
            "bName",
            veth.b(),
            bName,
            derivedFrom(veth.bInterface(), veth.b(), veth.a()),
            interfaces,
            problems);
        List<Cidr> aAddresses =
            addresses(veth.origin(), "aAddress", veth.aAddresses(), addressOwners, problems);
        List<Cidr> bAddresses =
            addresses(veth.origin(), "bAddress", veth.bAddresses(), addressOwners, problems);
        if (veth.mtu() != 0 && (veth.mtu() < 68 || veth.mtu() > 65535)) {
          problems.add(veth.origin() + ": mtu " + veth.mtu() + " is outside 68..65535");
        } else if (!LinkLocals.carriesIpv6(veth.mtu())) {
          List<Cidr> both = new ArrayList<>(aAddresses);
          both.addAll(bAddresses);
          for (Cidr address : both) {
            if (address.isIpv6()) {
              problems.add(
                  veth.origin()
                      + ": mtu "
                      + veth.mtu()
                      + " is below "
                      + LinkLocals.IPV6_MIN_MTU
                      + ", the least MTU IPv6 works at, so the link cannot carry "
                      + address
                      + "; raise the mtu or declare IPv4 addresses only");
              break;
            }
          }
        }
        boolean unaddressed = aAddresses.isEmpty() && bAddresses.isEmpty();
        if (unaddressed && !veth.a().equals(HOST) && !veth.b().equals(HOST)) {
          if (pool == null) {
            pool = AddressPool.parse(addressPool, problems);
          }
          if (pool != null) {
            Cidr[] pair = pool.nextPair(veth.origin(), problems);
            if (pair != null) {
              aAddresses = List.of(pair[0]);
              bAddresses = List.of(pair[1]);
            }
          }
        }
        if (veth.impairable() && (veth.a().equals(HOST) || veth.b().equals(HOST))) {
          problems.add(
              veth.origin()
                  + ": impairable links join two test namespaces; a link to the machine's own"
                  + " namespace cannot be impairable");
        }
        VethPair link =
            new VethPair(
                veth.a(),
                aName,
                aAddresses,
                veth.b(),
                bName,
                bAddresses,
                veth.mtu(),
                veth.origin(),
                veth.impairable());
        if (link.touchesHost()) {
          HostSideLimits.check(link, problems);
          String given = HOST.equals(veth.a()) ? veth.aInterface() : veth.bInterface();
          if (given == null || given.isEmpty()) {
            generatedHostSideNames.add(links.size());
          }
        }
        links.add(link);
        attachments.addAll(Attachment.ofLink(link));
      }

      List<Lan> lans = new ArrayList<>();
      Set<String> lanNames = new LinkedHashSet<>();
      for (LanDeclaration declaration : lanDeclarations) {
        Lan lan = LanPlan.plan(declaration, names, lanNames, interfaces, addressOwners, problems);
        if (lan != null) {
          lans.add(lan);
          attachments.addAll(Attachment.ofLan(lan));
        }
      }
      Attachment.checkOverlaps(attachments, problems);

      List<StaticRoute> routes = new ArrayList<>();
      for (RouteDeclaration declaration : routeDeclarations) {
        StaticRoute route = Routing.parse(declaration, names, attachments, problems);
        if (route != null) {
          routes.add(route);
        }
      }
      if (!problems.isEmpty()) {
        throw new TopologyException(problems);
      }
      routes.addAll(Routing.compute(new ArrayList<>(names), routers, attachments, routes));
      return new Topology(
          new ArrayList<>(names), routers, links, lans, routes, generatedHostSideNames);
    }

    static void checkEnd(
        String origin,
        String attribute,
        String end,
        Set<String> names,
        boolean hostAllowed,
        List<String> problems) {
      if (end == null || end.isBlank()) {
        problems.add(origin + ": " + attribute + " is empty; name a declared namespace");
      } else if (!(hostAllowed && HOST.equals(end)) && !names.contains(end)) {
        problems.add(
            origin
                + ": "
                + attribute
                + " = \""
                + end
                + "\" names no declared namespace (declared: "
                + (names.isEmpty() ? "none" : String.join(", ", names))
                + (hostAllowed ? "; \"" + HOST + "\" is the machine's own)" : ")"));
      }
    }

    private static String interfaceName(String given, String self, String peer) {
      if (given != null && !given.isEmpty()) {
        return given;
      }
      if (HOST.equals(self)) {
        return uniqueHostSideName();
      }
      return InterfaceName.truncate(peer);
    }

    /**
     * A machine-side name never used before: the machine is shared by every test in the JVM and
     * every JVM, and the kernel frees old ends asynchronously.
     */
    static String uniqueHostSideName() {
      return "nj"
          + Long.toString(ProcessHandle.current().pid(), 36)
          + "h"
          + Long.toString(HOST_INTERFACE_COUNTER.incrementAndGet(), 36);
    }

    /** The peer whose namespace name names the end when the user gave none, else null. */
    private static String derivedFrom(String given, String self, String peer) {
      return (given == null || given.isEmpty()) && !HOST.equals(self) ? peer : null;
    }

    /**
     * Checks an interface name and claims it in {@code namespace}. {@code derivedFrom} is the
     * namespace whose name the end took because {@code attribute} was not set (null when the user
     * wrote the name): a problem with such a name is the user's to fix by setting the attribute,
     * which the message says.
     */
    static void checkInterface(
        String origin,
        String attribute,
        String namespace,
        String name,
        String derivedFrom,
        Map<String, Set<String>> interfaces,
        List<String> problems) {
      String problem = InterfaceName.problem(name);
      if (problem != null && derivedFrom != null) {
        problems.add(
            origin
                + ": "
                + attribute
                + " is not set, so the end in '"
                + namespace
                + "' is named after namespace '"
                + derivedFrom
                + "'"
                + (name.equals(derivedFrom) ? "" : " (cut to '" + name + "')")
                + ", but as an interface name '"
                + name
                + "' "
                + problem
                + "; set "
                + attribute
                + " to name the end explicitly");
        return;
      }
      if (problem != null) {
        problems.add(origin + ": " + attribute + " '" + name + "' " + problem);
        return;
      }
      if (!interfaces.get(namespace).add(name)) {
        problems.add(
            origin
                + ": interface '"
                + name
                + "' already exists in namespace '"
                + namespace
                + "'; give this end another name with "
                + attribute);
      }
    }

    static List<Cidr> addresses(
        String origin,
        String attribute,
        List<String> texts,
        Map<InetAddress, AddressClaim> owners,
        List<String> problems) {
      List<Cidr> parsed = new ArrayList<>();
      if (texts == null) {
        return parsed;
      }
      for (String text : texts) {
        try {
          Cidr cidr = Cidr.parse(text.trim());
          claim(origin, attribute, cidr.address(), owners, problems);
          parsed.add(cidr);
        } catch (IllegalArgumentException e) {
          problems.add(origin + ": " + attribute + " " + e.getMessage());
        }
      }
      return parsed;
    }

    /**
     * Claims {@code address} for the declaration and attribute that give it; an address given twice
     * is a problem that names both places.
     */
    static void claim(
        String origin,
        String attribute,
        InetAddress address,
        Map<InetAddress, AddressClaim> owners,
        List<String> problems) {
      AddressClaim owner = owners.putIfAbsent(address, new AddressClaim(origin, attribute));
      if (owner != null) {
        problems.add(
            origin
                + ": address "
                + Cidr.format(address)
                + " is declared twice, as "
                + attribute
                + " and as "
                + owner.attribute()
                + (owner.origin().equals(origin) ? "" : " of " + owner.origin()));
      }
    }

    /** Where an address was declared: the declaration and its attribute. */
    record AddressClaim(String origin, String attribute) {}
  }

  /** Hosts by name with their attachments, for callers that resolve names to addresses. */
  public Map<String, List<Cidr>> addressBook() {
    Map<String, List<Cidr>> book = new LinkedHashMap<>();
    for (String host : hosts) {
      book.put(host, addressesOf(host));
    }
    return book;
  }
}
