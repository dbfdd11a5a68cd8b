package dev.netns.junit;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The declared network as a fault schedule plans over it, every list sorted by name so that a seed
 * draws the same targets in every run, whatever order the declaration or a hash set gave.
 *
 * @param hosts the hosts the schedule may fault
 * @param lanPorts the ports of those hosts on LANs
 * @param links the veth links between two of those hosts, each once, from its smaller end
 */
record PlanTargets(
    List<String> hosts, List<Attachment.OnLan> lanPorts, List<Attachment.OnLink> links) {

  PlanTargets {
    hosts = List.copyOf(hosts);
    lanPorts = List.copyOf(lanPorts);
    links = List.copyOf(links);
  }

  /**
   * The targets of {@code network} among {@code only} (every declared namespace when empty).
   *
   * @throws IllegalArgumentException naming a host of {@code only} that is not declared
   */
  static PlanTargets of(Network network, List<String> only) {
    Set<String> declared = new TreeSet<>();
    for (NetNs ns : network.namespaces()) {
      declared.add(ns.name());
    }
    Set<String> hosts = new TreeSet<>();
    for (String host : only) {
      if (!declared.contains(host)) {
        throw new IllegalArgumentException(
            "fault schedule: unknown host '" + host + "' (declared: " + declared + ")");
      }
      hosts.add(host);
    }
    if (only.isEmpty()) {
      hosts.addAll(declared);
    }
    Set<Attachment.OnLan> lanPorts = new TreeSet<>();
    for (Map.Entry<String, List<String>> lan : network.lans().entrySet()) {
      for (String host : lan.getValue()) {
        if (hosts.contains(host)) {
          lanPorts.add(new Attachment.OnLan(host, lan.getKey()));
        }
      }
    }
    Set<Attachment.OnLink> links = new TreeSet<>();
    for (Link link : network.links()) {
      if (hosts.contains(link.a()) && hosts.contains(link.b())) {
        boolean ordered = link.a().compareTo(link.b()) <= 0;
        links.add(
            new Attachment.OnLink(ordered ? link.a() : link.b(), ordered ? link.b() : link.a()));
      }
    }
    return new PlanTargets(
        new ArrayList<>(hosts), new ArrayList<>(lanPorts), new ArrayList<>(links));
  }

  /** Where traffic leaving a host can be impaired: LAN ports, then both ends of every link. */
  List<Attachment> impairable() {
    Set<Attachment> all = new TreeSet<>(lanPorts);
    for (Attachment.OnLink link : links) {
      all.add(link);
      all.add(new Attachment.OnLink(link.peer(), link.host()));
    }
    return new ArrayList<>(all);
  }

  /** What can flap: LAN ports and links. */
  List<Attachment> flappable() {
    Set<Attachment> all = new TreeSet<>(lanPorts);
    all.addAll(links);
    return new ArrayList<>(all);
  }
}
