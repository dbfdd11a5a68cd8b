package dev.netns.junit.internal;

import dev.netns.kernel.Cidr;
import dev.netns.kernel.MachineIdentity;
import dev.netns.kernel.NamespaceInode;
import dev.netns.topology.RunningTopology;
import dev.netns.topology.Topology;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Which network each live test namespace belongs to, so that a host name asked for on a thread
 * inside a namespace means that host of that thread's own network: tests running in parallel may
 * all have an "n2", each its own.
 *
 * <p>Each host namespace is also told what its threads should see as their machine (see {@code
 * dev.netns.kernel.MachineView}): its own name as host name, and a hosts file naming every host of
 * the network, which resolvers of every Java version and processes started inside read.
 */
final class HostNames {
  private static final Map<Long, DefaultNetwork> BY_NAMESPACE = new ConcurrentHashMap<>();
  // Compiled once: checked for every host of every test's network.
  private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,62}");

  private HostNames() {}

  /**
   * Registers the network's namespaces; with {@code machineView} (the setting {@code
   * netns.machineView}), each host namespace's threads will see it as their machine.
   */
  static void register(DefaultNetwork network, boolean machineView) {
    RunningTopology running = network.running();
    running
        .namespaces()
        .forEach(
            (host, ns) -> {
              BY_NAMESPACE.put(ns.inode(), network);
              if (machineView && isHostName(host)) {
                ns.showMachine(new MachineIdentity(host, hostsFile(running.topology(), host)));
              }
            });
  }

  /**
   * True for a name that can stand as a machine's host name and in a hosts file (letters, digits,
   * '-', '_' and '.', at most 63 characters). Namespaces named otherwise keep the machine's view.
   */
  static boolean isHostName(String name) {
    return HOST_NAME.matcher(name).matches();
  }

  /**
   * hosts(5) text for host {@code self} of a network: loopback names, then each host's addresses,
   * IPv4 first, in declaration order. Without addresses of its own, {@code self} gets 127.0.1.1, as
   * Debian does for a machine without a fixed address, so that its own name still resolves.
   */
  static String hostsFile(Topology topology, String self) {
    StringBuilder text =
        new StringBuilder()
            .append("# Written by netns-junit: the hosts of this test's network\n")
            .append("127.0.0.1\tlocalhost\n")
            .append("::1\tlocalhost ip6-localhost ip6-loopback\n");
    for (String host : topology.hosts()) {
      if (!isHostName(host)) {
        continue;
      }
      List<Cidr> addresses =
          topology.addressesOf(host).stream()
              .sorted((x, y) -> Boolean.compare(x.isIpv6(), y.isIpv6()))
              .toList();
      if (addresses.isEmpty() && host.equals(self)) {
        text.append("127.0.1.1\t").append(host).append('\n');
      }
      for (Cidr address : addresses) {
        text.append(address.address().getHostAddress()).append('\t').append(host).append('\n');
      }
    }
    return text.toString();
  }

  static void unregister(DefaultNetwork network) {
    BY_NAMESPACE.values().removeIf(n -> n == network);
  }

  /**
   * The addresses of host {@code name} in the network of the calling thread's namespace, IPv4
   * first; empty when the thread is in no test namespace or its network has no such host.
   */
  static List<InetAddress> lookup(String name) {
    DefaultNetwork network = networkOfCurrentThread();
    if (network == null || !network.running().topology().hosts().contains(name)) {
      return List.of();
    }
    return network.running().topology().addressesOf(name).stream()
        .sorted((x, y) -> Boolean.compare(x.isIpv6(), y.isIpv6()))
        .map(Cidr::address)
        .toList();
  }

  /** The host of the calling thread's network that has {@code address}, or null. */
  static String reverse(byte[] address) {
    DefaultNetwork network = networkOfCurrentThread();
    if (network == null) {
      return null;
    }
    for (String host : network.running().topology().hosts()) {
      for (Cidr cidr : network.running().topology().addressesOf(host)) {
        if (Arrays.equals(cidr.address().getAddress(), address)) {
          return host;
        }
      }
    }
    return null;
  }

  private static DefaultNetwork networkOfCurrentThread() {
    if (BY_NAMESPACE.isEmpty()) {
      return null;
    }
    try {
      return BY_NAMESPACE.get(NamespaceInode.ofCurrentThread());
    } catch (RuntimeException e) {
      return null;
    }
  }
}
