package dev.netns.junit.internal;

import dev.netns.kernel.AddressInfo;
import dev.netns.kernel.Cidr;
import dev.netns.kernel.Inspection;
import dev.netns.kernel.LinkInfo;
import dev.netns.kernel.LinkStats;
import dev.netns.kernel.NeighbourInfo;
import dev.netns.kernel.NetworkNamespace;
import dev.netns.kernel.RouteInfo;
import dev.netns.kernel.RtProtocol;
import dev.netns.kernel.RtScope;
import dev.netns.kernel.RtType;
import dev.netns.kernel.UserNamespaces;
import dev.netns.topology.ActiveFault;
import dev.netns.topology.RunningTopology;
import dev.netns.topology.Topology;
import dev.netns.topology.VethPair;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The state of a test's network as text, read from the kernel at one moment: for every declared
 * namespace its interfaces with state and counters, addresses, routes, neighbours and the JVM's
 * threads inside it; the interfaces of the hidden LAN switches and wires; the faults in force; the
 * command that enters each namespace. What {@code ip -s link}, {@code ip addr}, {@code ip route}
 * and {@code ip neigh} would have shown, had anyone been there.
 *
 * <p>Reading one namespace may fail (the test may have broken more than its assertions): the
 * failure is written in its place and the report goes on.
 */
final class NetworkReport {
  private final RunningTopology running;
  private final long pid = ProcessHandle.current().pid();
  private final StringBuilder out = new StringBuilder();

  private NetworkReport(RunningTopology running) {
    this.running = running;
  }

  /**
   * The report's text.
   *
   * @param test the test, as a person would name it
   * @param failure what failed, or null
   * @param moment when the state was read, for example "when the test failed"
   * @param seeds the userspace impairments' seeds, or none
   * @param captures lines describing the capture files, or none
   */
  static String describe(
      DefaultNetwork network,
      String test,
      Throwable failure,
      String moment,
      List<String> seeds,
      List<String> captures) {
    NetworkReport report = new NetworkReport(network.running());
    report.write(test, failure, moment, seeds, captures, nodes(network));
    return report.out.toString();
  }

  /** One line for a report entry: what the network held at the failure. */
  static String summary(DefaultNetwork network, int captureFiles) {
    RunningTopology running = network.running();
    Topology topology = running.topology();
    int faults = running.faults().active().size();
    return count(topology.hosts().size(), "namespace")
        + " ("
        + String.join(", ", topology.hosts())
        + "), "
        + count(topology.links().size(), "veth link")
        + ", "
        + count(topology.lans().size(), "LAN")
        + ", "
        + count(faults, "fault")
        + " in force, "
        + count(captureFiles, "capture file");
  }

  private static String count(int n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }

  /** One line per node the test started: where it runs, its state, and its output file. */
  private static List<String> nodes(DefaultNetwork network) {
    List<String> lines = new java.util.ArrayList<>();
    for (DefaultNetNs ns : network.handles()) {
      for (ProcessNode node : ns.nodes()) {
        lines.add(node.report());
      }
    }
    return lines;
  }

  private void write(
      String test,
      Throwable failure,
      String moment,
      List<String> seeds,
      List<String> captures,
      List<String> nodes) {
    line("netns-junit network report");
    line("test:    " + test);
    if (failure != null) {
      line("failure: " + firstLine(failure));
    }
    line("state:   read " + moment + ", " + java.time.Instant.now());
    line("process: pid " + pid);
    line("");
    line(
        "Enter a namespace while the JVM runs (netns.pauseOnFailure=true keeps it after the test)");
    line("with the nsenter command in its heading, followed by a command such as 'ip -s link'.");

    List<NetworkNamespace> all = running.allNamespaces();
    Set<Long> inodes = new HashSet<>();
    for (NetworkNamespace ns : all) {
      inodes.add(ns.inode());
    }
    Map<Long, List<String>> threads = threadsInside(inodes);

    for (String host : running.topology().hosts()) {
      NetworkNamespace ns = running.namespace(host);
      section("namespace " + host, ns);
      try {
        List<LinkInfo> links = Inspection.links(ns);
        interfaces(links);
        addresses(Inspection.addresses(ns));
        routes(Inspection.routes(ns));
        neighbours(Inspection.neighbours(ns));
      } catch (RuntimeException e) {
        line("  (could not read this namespace: " + e + ")");
      }
      line("threads of this JVM inside:");
      List<String> inside = threads.getOrDefault(ns.inode(), List.of());
      if (inside.isEmpty()) {
        line("  none");
      }
      inside.forEach(t -> line("  " + t));
    }

    Set<NetworkNamespace> hosts = new HashSet<>(running.namespaces().values());
    for (NetworkNamespace ns : all) {
      if (hosts.contains(ns)) {
        continue;
      }
      String what =
          ns.name().startsWith("lan:")
              ? "LAN switch " + ns.name().substring(4) + " (hidden namespace, bridge br0)"
              : "wire " + ns.name() + " (hidden namespace of an impairable link)";
      section(what, ns);
      try {
        interfaces(Inspection.links(ns));
      } catch (RuntimeException e) {
        line("  (could not read this namespace: " + e + ")");
      }
    }

    machineEnds();

    line("");
    line("== faults in force");
    List<ActiveFault> faults = running.faults().active();
    if (faults.isEmpty()) {
      line("  none");
    }
    faults.forEach(f -> line("  " + f.description()));
    if (!nodes.isEmpty()) {
      line("");
      line("== nodes");
      nodes.forEach(n -> line("  " + n));
    }
    if (!seeds.isEmpty()) {
      line("userspace impairments (replay with netns.seed or Impairment.withSeed):");
      seeds.forEach(s -> line("  " + s));
    }
    List<ActiveFault> applied = running.faults().applied();
    if (!applied.isEmpty()) {
      line("");
      line("== what each fault did (netns.faults.requireEffect fails a test where none did)");
      FaultEffects.lines(applied).forEach(l -> line("  " + l));
    }

    if (failure != null) {
      line("");
      line("== failure");
      out.append(trace(failure));
    }

    line("");
    line("== packet captures (tcpdump -nn -r FILE, or open in Wireshark)");
    if (captures.isEmpty()) {
      line("  none (netns.capture=never or @Capture(mode = NEVER))");
    }
    captures.forEach(c -> line("  " + c));
  }

  /** The failure's stack trace without the frames of JUnit's engine and of reflection. */
  static String trace(Throwable failure) {
    StringWriter raw = new StringWriter();
    failure.printStackTrace(new PrintWriter(raw));
    StringBuilder trace = new StringBuilder();
    int skipped = 0;
    for (String line : raw.toString().split("\\R")) {
      String frame = line.trim();
      boolean machinery =
          frame.startsWith("at ")
              && (frame.contains(" org.junit.")
                  || frame.contains("/jdk.internal.reflect.")
                  || frame.contains("/java.lang.reflect.")
                  || frame.contains("/java.util.ArrayList.forEach")
                  || frame.contains("/java.util.concurrent.ForkJoin"));
      if (machinery) {
        skipped++;
        continue;
      }
      if (skipped > 0) {
        trace.append("\t... ").append(skipped).append(" frames of JUnit and reflection\n");
        skipped = 0;
      }
      trace.append(line).append('\n');
    }
    if (skipped > 0) {
      trace.append("\t... ").append(skipped).append(" frames of JUnit and reflection\n");
    }
    return trace.toString();
  }

  private void section(String what, NetworkNamespace ns) {
    line("");
    line("== " + what + "  net:[" + ns.inode() + "]  " + enterCommand(ns));
  }

  /**
   * The command that enters {@code ns} while this JVM holds it: through the descriptor that pins
   * it, and, for a JVM in a user namespace (rootless), through that user namespace first, keeping
   * the caller's credentials (such a namespace may refuse setgroups).
   */
  static String enterCommand(NetworkNamespace ns) {
    if (ns.isClosed()) {
      return "(closed)";
    }
    long pid = ProcessHandle.current().pid();
    String user =
        UserNamespaces.insideUserNamespace()
            ? "--preserve-credentials --user=/proc/" + pid + "/ns/user "
            : "";
    return "nsenter " + user + "--net=/proc/" + pid + "/fd/" + ns.fd();
  }

  /** The ends of declared links in the machine's own namespace, when the topology has any. */
  private void machineEnds() {
    List<String> names =
        running.topology().links().stream()
            .filter(VethPair::touchesHost)
            .map(l -> l.interfaceIn(Topology.HOST))
            .toList();
    if (names.isEmpty()) {
      return;
    }
    line("");
    line("== the machine's own namespace (only the ends of declared links)");
    try {
      List<LinkInfo> links =
          Inspection.links(running.namespace(Topology.HOST)).stream()
              .filter(l -> names.contains(l.name()))
              .toList();
      interfaces(links);
    } catch (RuntimeException e) {
      line("  (could not read: " + e + ")");
    }
  }

  private void interfaces(List<LinkInfo> links) {
    Map<Integer, String> names = new HashMap<>();
    links.forEach(l -> names.put(l.index(), l.name()));
    line("interfaces:");
    for (LinkInfo link : links) {
      String state = !link.up() ? "DOWN" : link.lowerUp() ? "UP,LOWER_UP" : "UP,NO-CARRIER";
      line(
          "  "
              + link.index()
              + ": "
              + link.name()
              + (link.kind().isEmpty() ? "" : " (" + link.kind() + ")")
              + " "
              + state
              + " mtu "
              + link.mtu()
              + (link.mac().isEmpty() ? "" : " " + link.mac())
              + (link.masterIndex() == 0
                  ? ""
                  : " master " + names.getOrDefault(link.masterIndex(), "#" + link.masterIndex())));
      LinkStats s = link.stats();
      line(
          "      rx "
              + s.rxPackets()
              + " packets "
              + s.rxBytes()
              + " bytes "
              + s.rxDropped()
              + " dropped "
              + s.rxErrors()
              + " errors | tx "
              + s.txPackets()
              + " packets "
              + s.txBytes()
              + " bytes "
              + s.txDropped()
              + " dropped "
              + s.txErrors()
              + " errors");
    }
  }

  private void addresses(List<AddressInfo> addresses) {
    line("addresses:");
    if (addresses.isEmpty()) {
      line("  none");
    }
    for (AddressInfo a : addresses) {
      line(
          "  "
              + a.linkName()
              + " "
              + a.address()
              + scope(a.scope())
              + (a.tentative() ? " tentative" : ""));
    }
  }

  private void routes(List<RouteInfo> routes) {
    line("routes (main table):");
    if (routes.isEmpty()) {
      line("  none");
    }
    for (RouteInfo r : routes) {
      StringBuilder route = new StringBuilder("  ");
      if (r.type() != RtType.UNICAST) {
        route.append(r.type().label()).append(' ');
      }
      route.append(r.isDefault() ? "default" : r.destination().toString());
      if (r.gateway() != null) {
        route.append(" via ").append(Cidr.format(r.gateway()));
      }
      if (r.linkName() != null) {
        route.append(" dev ").append(r.linkName());
      }
      route.append(protocol(r.protocol())).append(scope(r.scope()));
      line(route.toString());
    }
  }

  private void neighbours(List<NeighbourInfo> neighbours) {
    line("neighbours:");
    if (neighbours.isEmpty()) {
      line("  none");
    }
    for (NeighbourInfo n : neighbours) {
      line(
          "  "
              + Cidr.format(n.address())
              + " dev "
              + n.linkName()
              + (n.mac() == null ? "" : " lladdr " + n.mac())
              + " "
              + n.state());
    }
  }

  private static String protocol(RtProtocol protocol) {
    return switch (protocol) {
      case BOOT -> "";
      default -> " proto " + protocol.label();
    };
  }

  private static String scope(RtScope scope) {
    return switch (scope) {
      case UNIVERSE -> "";
      default -> " scope " + scope.label();
    };
  }

  private static Map<Long, List<String>> threadsInside(Set<Long> inodes) {
    try {
      return NamespaceThreads.byNamespace(inodes);
    } catch (RuntimeException e) {
      return Map.of();
    }
  }

  private static String firstLine(Throwable failure) {
    String text = failure.toString();
    int newline = text.indexOf('\n');
    return newline < 0 ? text : text.substring(0, newline) + " ...";
  }

  private void line(String text) {
    out.append(text).append('\n');
  }
}
