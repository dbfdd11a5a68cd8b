package dev.netns.junit.internal;

import dev.netns.kernel.Cidr;
import dev.netns.kernel.NamespaceInode;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which network each live test namespace belongs to, so that a host name asked for on a thread
 * inside a namespace means that host of that thread's own network: tests running in parallel may
 * all have an "n2", each its own.
 */
final class HostNames {
  private static final Map<Long, DefaultNetwork> BY_NAMESPACE = new ConcurrentHashMap<>();

  private HostNames() {}

  static void register(DefaultNetwork network) {
    network.running().namespaces().values().forEach(ns -> BY_NAMESPACE.put(ns.inode(), network));
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
