package dev.netns.junit.internal;

import dev.netns.junit.AddressFamily;
import dev.netns.junit.CidrAddress;
import dev.netns.junit.Fault;
import dev.netns.junit.FaultSchedule;
import dev.netns.junit.Impairment;
import dev.netns.junit.Link;
import dev.netns.junit.Nemesis;
import dev.netns.junit.NetNs;
import dev.netns.junit.Network;
import dev.netns.kernel.Failures;
import dev.netns.topology.DropMode;
import dev.netns.topology.LanPort;
import dev.netns.topology.RunningTopology;
import dev.netns.topology.Topology;
import dev.netns.topology.VethPair;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@link Network} over a running topology. */
final class DefaultNetwork implements Network {
  private final RunningTopology running;
  private final Map<String, DefaultNetNs> namespaces = new LinkedHashMap<>();
  private final List<Link> links = new ArrayList<>();
  private DefaultNetNs host;

  private final boolean required;
  private final long defaultSeed;
  private final SeedOrigin seedOrigin;
  private final List<String> seedsUsed = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final List<RunningNemesis> nemeses = new java.util.concurrent.CopyOnWriteArrayList<>();

  private final java.nio.file.Path nodeOutputDirectory;

  DefaultNetwork(
      RunningTopology running,
      boolean required,
      long defaultSeed,
      SeedOrigin seedOrigin,
      java.nio.file.Path nodeOutputDirectory) {
    this.running = running;
    this.nodeOutputDirectory = nodeOutputDirectory;
    this.required = required;
    this.defaultSeed = defaultSeed;
    this.seedOrigin = seedOrigin;
    running
        .namespaces()
        .forEach((name, ns) -> namespaces.put(name, new DefaultNetNs(name, ns, this)));
    for (VethPair pair : running.topology().links()) {
      links.add(new DefaultLink(pair, running, required, this));
    }
  }

  /** The seed of userspace impairments that ask for none (netns.seed, or chosen per network). */
  long defaultSeed() {
    return defaultSeed;
  }

  void recordSeed(String description) {
    seedsUsed.add(description);
  }

  /** Descriptions of the userspace impairments this network ran, with their seeds. */
  List<String> seedsUsed() {
    return List.copyOf(seedsUsed);
  }

  /** The fault schedules started on this network, oldest first. */
  List<RunningNemesis> nemeses() {
    return List.copyOf(nemeses);
  }

  /** Stops every fault schedule still running (each heals what it has in force). */
  void stopNemeses(Failures failures) {
    for (RunningNemesis nemesis : nemeses) {
      failures.run(nemesis::stop);
    }
  }

  /** Where the output files of nodes started in this network go: the test's report directory. */
  java.nio.file.Path nodeOutputDirectory() {
    return nodeOutputDirectory;
  }

  RunningTopology running() {
    return running;
  }

  List<DefaultNetNs> handles() {
    List<DefaultNetNs> all = new ArrayList<>(namespaces.values());
    if (host != null) {
      all.add(host);
    }
    return all;
  }

  @Override
  public List<NetNs> namespaces() {
    return List.copyOf(namespaces.values());
  }

  @Override
  public synchronized NetNs namespace(String name) {
    DefaultNetNs ns = namespaces.get(name);
    if (ns != null) {
      return ns;
    }
    if (Topology.HOST.equals(name)) {
      if (host == null) {
        host = new DefaultNetNs(Topology.HOST, running.namespace(Topology.HOST), this);
      }
      return host;
    }
    throw new IllegalArgumentException(
        "no namespace '" + name + "' in this network (declared: " + namespaces.keySet() + ")");
  }

  /** True when {@code name} is a declared namespace (or the machine's, where a link reaches it). */
  boolean has(String name) {
    return namespaces.containsKey(name)
        || (Topology.HOST.equals(name) && running.topology().touchesHost());
  }

  @Override
  public InetAddress address(String host) {
    List<CidrAddress> all = addresses(host);
    return all.stream()
        .filter(c -> c.family() == AddressFamily.IPV4)
        .findFirst()
        .or(() -> all.stream().findFirst())
        .map(CidrAddress::address)
        .orElseThrow(() -> new IllegalArgumentException("namespace '" + host + "' has no address"));
  }

  @Override
  public List<CidrAddress> addresses(String host) {
    return running.topology().addressesOf(requireHost(host)).stream()
        .map(NamespaceInspection::cidrAddress)
        .toList();
  }

  private String requireHost(String host) {
    if (!namespaces.containsKey(host)) {
      throw new IllegalArgumentException(
          "no namespace '" + host + "' in this network (declared: " + namespaces.keySet() + ")");
    }
    return host;
  }

  @Override
  public Fault partition(Set<String> side, Set<String> otherSide) {
    return partition(List.of(side, otherSide));
  }

  @Override
  public Fault partition(List<Set<String>> groups) {
    return new DefaultFault(running.faults().partition(groups, DropMode.SILENT));
  }

  @Override
  public Fault partitionRejecting(List<Set<String>> groups) {
    return new DefaultFault(running.faults().partition(groups, DropMode.REJECTING));
  }

  @Override
  public Fault cut(String from, String to) {
    return new DefaultFault(running.faults().cut(from, to, DropMode.SILENT));
  }

  @Override
  public Fault cutRejecting(String from, String to) {
    return new DefaultFault(running.faults().cut(from, to, DropMode.REJECTING));
  }

  @Override
  public Fault disconnect(String host, String lan) {
    return new DefaultFault(running.faults().disconnect(host, lan));
  }

  @Override
  public Fault impair(String host, String lan, Impairment impairment) {
    String link = running.topology().lan(lan, "impair").port(host).interfaceName();
    return new DefaultFault(
        Impairments.apply(
            running.faults(),
            new Impairments.OnLanPort(lan, host, link),
            impairment,
            required,
            defaultSeed,
            this::recordSeed));
  }

  @Override
  public Nemesis nemesis(FaultSchedule schedule) {
    return start(schedule, defaultSeed, seedOrigin);
  }

  @Override
  public Nemesis nemesis(FaultSchedule schedule, long seed) {
    return start(schedule, seed, SeedOrigin.TEST);
  }

  private Nemesis start(FaultSchedule schedule, long seed, SeedOrigin origin) {
    java.util.Objects.requireNonNull(schedule, "schedule");
    RunningNemesis nemesis = RunningNemesis.start(this, schedule, seed, origin);
    nemeses.add(nemesis);
    return nemesis;
  }

  @Override
  public Map<String, List<String>> lans() {
    Map<String, List<String>> lans = new LinkedHashMap<>();
    for (dev.netns.topology.Lan lan : running.topology().lans()) {
      lans.put(lan.name(), lan.ports().stream().map(LanPort::host).toList());
    }
    return java.util.Collections.unmodifiableMap(lans);
  }

  @Override
  public List<Fault> faults() {
    return running.faults().active().stream().<Fault>map(DefaultFault::new).toList();
  }

  @Override
  public void healAll() {
    running.faults().healAll();
  }

  @Override
  public List<Link> links() {
    return List.copyOf(links);
  }

  @Override
  public Link link(String a, String b) {
    List<Link> matching =
        links.stream()
            .filter(
                l -> (l.a().equals(a) && l.b().equals(b)) || (l.a().equals(b) && l.b().equals(a)))
            .toList();
    if (matching.size() != 1) {
      throw new IllegalArgumentException(
          (matching.isEmpty() ? "no link" : matching.size() + " links")
              + " between '"
              + a
              + "' and '"
              + b
              + "' (links: "
              + links
              + ")");
    }
    return matching.get(0);
  }
}
