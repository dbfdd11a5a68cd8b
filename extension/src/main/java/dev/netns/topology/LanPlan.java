package dev.netns.topology;

import dev.netns.kernel.Cidr;
import dev.netns.kernel.InterfaceName;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Validates a LAN declaration and assigns its addresses. */
final class LanPlan {
  /**
   * The ports a Linux bridge takes: port numbers below {@code BR_MAX_PORTS} (1024, in the kernel's
   * net/bridge/br_private.h), 0 reserved; the next port is refused with EXFULL.
   */
  static final int MAX_PORTS = 1023;

  private LanPlan() {}

  static Lan plan(
      LanDeclaration d,
      Set<String> hosts,
      Set<String> lanNames,
      Map<String, Set<String>> interfaces,
      Map<InetAddress, Topology.Builder.AddressClaim> owners,
      List<String> problems) {
    int before = problems.size();
    String origin = d.origin();
    String nameProblem = InterfaceName.problem(d.name());
    if (d.name() == null || d.name().isBlank()) {
      problems.add(origin + ": a LAN needs a name");
    } else if (!lanNames.add(d.name())) {
      problems.add(origin + ": LAN '" + d.name() + "' is declared twice");
    } else if (nameProblem != null
        && InterfaceName.problem(InterfaceName.truncate(d.name())) != null) {
      problems.add(origin + ": name '" + d.name() + "' " + nameProblem);
    }

    List<Cidr> subnets = new ArrayList<>();
    Set<Boolean> families = new HashSet<>();
    if (d.subnets() == null || d.subnets().isEmpty()) {
      problems.add(origin + ": a LAN needs a subnet, such as 10.0.0.0/24");
    } else {
      for (String text : d.subnets()) {
        try {
          Cidr subnet = Cidr.parse(text.trim());
          if (!subnet.equals(subnet.network())) {
            problems.add(
                origin + ": subnet " + subnet + " has host bits set; write " + subnet.network());
          } else if (!families.add(subnet.isIpv6())) {
            problems.add(
                origin + ": more than one " + (subnet.isIpv6() ? "IPv6" : "IPv4") + " subnet");
          } else if (!subnet.isIpv6() && subnet.prefixLength() > 30) {
            problems.add(
                origin + ": subnet " + subnet + " is too small for a LAN; use /30 or larger");
          } else {
            subnets.add(subnet);
          }
        } catch (IllegalArgumentException e) {
          problems.add(origin + ": subnet " + e.getMessage());
        }
      }
    }

    List<String> members = d.hosts() == null ? List.of() : d.hosts();
    if (members.isEmpty()) {
      problems.add(origin + ": a LAN needs hosts");
    } else if (members.size() > MAX_PORTS) {
      problems.add(
          origin
              + ": a LAN takes at most "
              + MAX_PORTS
              + " hosts (the ports of one Linux bridge), not "
              + members.size()
              + "; join smaller LANs with a router");
    }
    Set<String> seen = new HashSet<>();
    for (String host : members) {
      if (Topology.HOST.equals(host)) {
        problems.add(
            origin
                + ": hosts may not include \""
                + Topology.HOST
                + "\"; connect the machine with a @VethLink to a host on the LAN instead");
      } else if (!hosts.contains(host)) {
        problems.add(
            origin
                + ": hosts names \""
                + host
                + "\", which is no declared namespace (declared: "
                + (hosts.isEmpty() ? "none" : String.join(", ", hosts))
                + ")");
      } else if (!seen.add(host)) {
        problems.add(origin + ": host '" + host + "' is listed twice");
      }
    }

    List<String> explicit = d.addresses() == null ? List.of() : d.addresses();
    if (!explicit.isEmpty() && explicit.size() != members.size()) {
      problems.add(
          origin
              + ": addresses has "
              + explicit.size()
              + " entries for "
              + members.size()
              + " hosts; give one per host (an empty string for automatic)");
    }
    for (Cidr subnet : subnets) {
      if (!subnet.isIpv6()) {
        long room = (1L << (32 - subnet.prefixLength())) - 2;
        if (members.size() > room) {
          problems.add(
              origin
                  + ": subnet "
                  + subnet
                  + " has room for "
                  + room
                  + " hosts; "
                  + members.size()
                  + " are declared");
        }
      }
    }
    if (problems.size() > before) {
      return null;
    }

    // Explicit addresses first, so that automatic ones go around them.
    Map<String, List<Cidr>> addresses = new LinkedHashMap<>();
    Set<InetAddress> taken = new HashSet<>();
    for (int i = 0; i < members.size(); i++) {
      List<Cidr> own = new ArrayList<>();
      if (!explicit.isEmpty() && !explicit.get(i).isBlank()) {
        for (String text : explicit.get(i).split(",")) {
          try {
            InetAddress address = Cidr.parseAddress(text.trim());
            Cidr subnet =
                subnets.stream().filter(s -> s.contains(address)).findFirst().orElse(null);
            if (subnet == null) {
              problems.add(
                  origin
                      + ": address "
                      + text.trim()
                      + " of host '"
                      + members.get(i)
                      + "' is outside the LAN's subnets "
                      + subnets);
            } else {
              own.add(new Cidr(address, subnet.prefixLength()));
              taken.add(address);
            }
          } catch (IllegalArgumentException e) {
            problems.add(origin + ": address " + e.getMessage());
          }
        }
      }
      addresses.put(members.get(i), own);
    }
    for (Cidr subnet : subnets) {
      long n = 1;
      for (String host : members) {
        List<Cidr> own = addresses.get(host);
        if (own.stream().anyMatch(c -> c.isIpv6() == subnet.isIpv6())) {
          continue;
        }
        while (taken.contains(subnet.host(n))) {
          n++;
        }
        own.add(new Cidr(subnet.host(n), subnet.prefixLength()));
        taken.add(subnet.host(n));
        n++;
      }
    }

    String interfaceName = InterfaceName.truncate(d.name());
    List<LanPort> ports = new ArrayList<>();
    Set<String> portNames = new HashSet<>();
    for (int i = 0; i < members.size(); i++) {
      String host = members.get(i);
      Topology.Builder.checkInterface(
          origin, "name", host, interfaceName, null, interfaces, problems);
      for (Cidr address : addresses.get(host)) {
        Topology.Builder.claim(
            origin, "the address of host '" + host + "'", address.address(), owners, problems);
      }
      // The switch's port towards a host is named after it where that makes a valid name that no
      // other port has; the user never sees these names, so any other name will do.
      String port = InterfaceName.truncate(host);
      if (InterfaceName.problem(port) != null || !portNames.add(port)) {
        int n = i;
        do {
          port = "p" + n++;
        } while (!portNames.add(port));
      }
      ports.add(new LanPort(host, interfaceName, port, addresses.get(host)));
    }
    return new Lan(d.name(), subnets, ports, origin);
  }
}
