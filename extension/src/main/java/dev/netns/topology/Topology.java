package dev.netns.topology;

import dev.netns.kernel.Cidr;
import dev.netns.kernel.InterfaceName;
import dev.netns.kernel.RouteInfo;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A validated description of a network: hosts (each a network namespace) and the veth pairs that
 * wire them. Usable without JUnit: {@link #start()} builds it in the kernel, and closing the result
 * tears it down.
 *
 * <pre>{@code
 * Topology topology = Topology.builder()
 *     .host("blue")
 *     .host("red")
 *     .veth("blue", List.of("10.1.1.1/24"), "red", List.of("10.1.1.2/24"))
 *     .build();
 * try (RunningTopology network = topology.start()) {
 *   network.namespace("blue").call(() -> ...);
 * }
 * }</pre>
 */
public final class Topology {
  /** The name that stands for the machine's own network namespace in link declarations. */
  public static final String HOST = "host";

  private static final AtomicLong HOST_INTERFACE_COUNTER = new AtomicLong();

  private final List<String> hosts;
  private final List<VethPair> links;

  private Topology(List<String> hosts, List<VethPair> links) {
    this.hosts = List.copyOf(hosts);
    this.links = List.copyOf(links);
  }

  /** A builder; {@link Builder#build()} validates the whole declaration at once. */
  public static Builder builder() {
    return new Builder();
  }

  /** The declared hosts, in declaration order (the machine's own namespace is not among them). */
  public List<String> hosts() {
    return hosts;
  }

  /** The declared veth pairs, with every default filled in. */
  public List<VethPair> links() {
    return links;
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
      if (!link.touchesHost()) {
        continue;
      }
      for (Cidr address : link.addressesIn(HOST)) {
        for (RouteInfo route : hostRoutes) {
          if (route.isDefault() || route.destination() == null) {
            continue;
          }
          if (route.destination().overlaps(address.network())) {
            problems.add(
                link.origin()
                    + ": host-side address "
                    + address
                    + " overlaps the machine's route to "
                    + route.destination()
                    + (route.linkName() == null ? "" : " on " + route.linkName())
                    + "; pick a subnet the machine does not use");
          }
        }
      }
    }
    return problems;
  }

  /** Builds this topology in the kernel. On failure half-way, undoes what it made. */
  public RunningTopology start() {
    return RunningTopology.start(this);
  }

  /** Collects declarations; nothing is checked until {@link #build()}. */
  public static final class Builder {
    private final List<String> hostOrigins = new ArrayList<>();
    private final List<String> hosts = new ArrayList<>();
    private final List<VethDeclaration> veths = new ArrayList<>();

    private Builder() {}

    /** Declares a host (a network namespace). */
    public Builder host(String name) {
      return host(name, "host(\"" + name + "\")");
    }

    /** Declares a host, with the declaration's origin for error messages. */
    public Builder host(String name, String origin) {
      hosts.add(name);
      hostOrigins.add(origin);
      return this;
    }

    /** A veth pair between two hosts, with one address or none per end (null or empty: none). */
    public Builder veth(String a, List<String> aAddresses, String b, List<String> bAddresses) {
      return veth(
          new VethDeclaration(
              a, "", aAddresses, b, "", bAddresses, 0, "veth(\"" + a + "\", \"" + b + "\")"));
    }

    /** A veth pair declared in full. */
    public Builder veth(VethDeclaration declaration) {
      veths.add(declaration);
      return this;
    }

    /**
     * Validates everything declared and returns the topology; every problem found is listed in one
     * {@link TopologyException}.
     */
    public Topology build() {
      List<String> problems = new ArrayList<>();
      Set<String> names = new LinkedHashSet<>();
      for (int i = 0; i < hosts.size(); i++) {
        String name = hosts.get(i);
        String origin = hostOrigins.get(i);
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
        }
      }
      Map<String, Set<String>> interfaces = new HashMap<>();
      for (String name : names) {
        interfaces.put(name, new LinkedHashSet<>(List.of("lo")));
      }
      interfaces.put(HOST, new LinkedHashSet<>());
      Map<InetAddress, String> addressOwners = new HashMap<>();
      List<VethPair> links = new ArrayList<>();
      for (VethDeclaration veth : veths) {
        int before = problems.size();
        checkEnd(veth, "a", veth.a(), names, problems);
        checkEnd(veth, "b", veth.b(), names, problems);
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
        checkInterface(veth, "aName", veth.a(), aName, interfaces, problems);
        checkInterface(veth, "bName", veth.b(), bName, interfaces, problems);
        List<Cidr> aAddresses =
            addresses(veth, "aAddress", veth.aAddresses(), addressOwners, problems);
        List<Cidr> bAddresses =
            addresses(veth, "bAddress", veth.bAddresses(), addressOwners, problems);
        if (veth.mtu() != 0 && (veth.mtu() < 68 || veth.mtu() > 65535)) {
          problems.add(veth.origin() + ": mtu " + veth.mtu() + " is outside 68..65535");
        }
        links.add(
            new VethPair(
                veth.a(),
                aName,
                aAddresses,
                veth.b(),
                bName,
                bAddresses,
                veth.mtu(),
                veth.origin()));
      }
      if (!problems.isEmpty()) {
        throw new TopologyException(problems);
      }
      return new Topology(new ArrayList<>(names), links);
    }

    private static void checkEnd(
        VethDeclaration veth,
        String attribute,
        String end,
        Set<String> names,
        List<String> problems) {
      if (end == null || end.isBlank()) {
        problems.add(veth.origin() + ": " + attribute + " is empty; name a declared namespace");
      } else if (!HOST.equals(end) && !names.contains(end)) {
        problems.add(
            veth.origin()
                + ": "
                + attribute
                + " = \""
                + end
                + "\" names no declared namespace (declared: "
                + (names.isEmpty() ? "none" : String.join(", ", names))
                + "; \""
                + HOST
                + "\" is the machine's own)");
      }
    }

    private static String interfaceName(String given, String self, String peer) {
      if (given != null && !given.isEmpty()) {
        return given;
      }
      if (HOST.equals(self)) {
        // The host side is shared by every test in the JVM and by the machine: a unique name,
        // never reused, since the kernel frees old ones asynchronously.
        return "nj"
            + Long.toString(ProcessHandle.current().pid(), 36)
            + "h"
            + Long.toString(HOST_INTERFACE_COUNTER.incrementAndGet(), 36);
      }
      return InterfaceName.truncate(peer);
    }

    private static void checkInterface(
        VethDeclaration veth,
        String attribute,
        String namespace,
        String name,
        Map<String, Set<String>> interfaces,
        List<String> problems) {
      String problem = InterfaceName.problem(name);
      if (problem != null) {
        problems.add(veth.origin() + ": " + attribute + " '" + name + "' " + problem);
        return;
      }
      if (!interfaces.get(namespace).add(name)) {
        problems.add(
            veth.origin()
                + ": interface '"
                + name
                + "' already exists in namespace '"
                + namespace
                + "'; give this end another name with "
                + attribute);
      }
    }

    private static List<Cidr> addresses(
        VethDeclaration veth,
        String attribute,
        List<String> texts,
        Map<InetAddress, String> owners,
        List<String> problems) {
      List<Cidr> parsed = new ArrayList<>();
      if (texts == null) {
        return parsed;
      }
      for (String text : texts) {
        try {
          Cidr cidr = Cidr.parse(text.trim());
          String owner = owners.putIfAbsent(cidr.address(), veth.origin());
          if (owner != null) {
            problems.add(
                veth.origin()
                    + ": "
                    + attribute
                    + " "
                    + cidr.address().getHostAddress()
                    + " is declared twice"
                    + (owner.equals(veth.origin()) ? "" : " (also on " + owner + ")"));
          }
          parsed.add(cidr);
        } catch (IllegalArgumentException e) {
          problems.add(veth.origin() + ": " + attribute + " " + e.getMessage());
        }
      }
      return parsed;
    }
  }
}
