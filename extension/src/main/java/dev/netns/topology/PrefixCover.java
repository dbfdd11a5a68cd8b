package dev.netns.topology;

import dev.netns.kernel.Cidr;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;

/**
 * The fewest prefixes inside a subnet that together contain every address to block and no address
 * to spare: the routes a partition puts in a sender's table for one subnet of the other side. Half
 * of a 100-host LAN is four prefixes, not fifty host routes.
 *
 * <pre>{@code
 * // 10.0.0.1-50 spared, 10.0.0.51-100 blocked, in 10.0.0.0/24:
 * PrefixCover.of(lan, blocked, spared, List.of());
 * // [10.0.0.51/32, 10.0.0.52/30, 10.0.0.56/29, 10.0.0.64/26]
 * }</pre>
 *
 * <p>Addresses of the subnet that are neither blocked nor spared (no host has them) may be covered:
 * nothing answers there anyway. A prefix is never the subnet itself, whose route (on-link, or
 * through a gateway) a sender may already have: the kernel would refuse a second route with the
 * same key. A prefix that would contain a single blocked address is that address's host route, as a
 * reader of {@code ip route} expects of a cut. Routes the sender has to parts of the subnet ({@code
 * keepOut}) are never overlapped, so that they keep working; a blocked address inside one gets its
 * host route, which is more specific and wins.
 *
 * <p>The walk goes down the binary tree of prefixes from the subnet: a prefix with no blocked
 * address is left alone, one with no spared address (and no kept-out route) is taken whole, any
 * other is split in its halves. Taking the largest clear prefix is optimal: every prefix that
 * contains a blocked address and is clear lies inside one taken whole.
 */
final class PrefixCover {
  private PrefixCover() {}

  /**
   * The prefixes (networks, in address order) covering {@code blocked} inside {@code subnet}.
   *
   * @param subnet the subnet the blocked addresses are in
   * @param blocked addresses to cover; each must lie in the subnet
   * @param spared addresses never to cover, none of them blocked; those outside the subnet are
   *     ignored
   * @param keepOut prefixes never to overlap but with a blocked address's host route; those outside
   *     the subnet, or containing it, are ignored
   */
  static List<Cidr> of(
      Cidr subnet,
      Collection<InetAddress> blocked,
      Collection<InetAddress> spared,
      Collection<Cidr> keepOut) {
    Cidr network = subnet.network();
    int bits = network.isIpv6() ? 128 : 32;
    BigInteger first = value(network.address());
    BigInteger last = last(first, network.prefixLength(), bits);
    List<BigInteger> targets = new ArrayList<>();
    for (InetAddress address : blocked) {
      if (!network.contains(address)) {
        throw new IllegalArgumentException(
            Cidr.format(address) + " is outside " + network + ": it cannot be covered there");
      }
      targets.add(value(address));
    }
    Collections.sort(targets);
    dedupe(targets);
    // Ranges closed at both ends, sorted by their first address: spared addresses are ranges of
    // one address.
    List<BigInteger[]> ranges = new ArrayList<>();
    for (InetAddress address : spared) {
      if (network.contains(address)) {
        BigInteger v = value(address);
        if (Collections.binarySearch(targets, v) >= 0) {
          throw new IllegalArgumentException(Cidr.format(address) + " is both blocked and spared");
        }
        ranges.add(new BigInteger[] {v, v});
      }
    }
    for (Cidr route : keepOut) {
      if (route.isIpv6() == network.isIpv6()
          && route.prefixLength() > network.prefixLength()
          && network.contains(route.address())) {
        BigInteger start = value(route.network().address());
        ranges.add(new BigInteger[] {start, last(start, route.prefixLength(), bits)});
      }
    }
    ranges.sort((a, b) -> a[0].compareTo(b[0]));
    List<Cidr> cover = new ArrayList<>();
    if (network.prefixLength() == bits) {
      if (!targets.isEmpty()) {
        cover.add(network);
      }
      return cover;
    }
    // Never the subnet itself: start from its halves.
    split(first, network.prefixLength(), bits, targets, ranges, cover);
    return cover;
  }

  private static void walk(
      BigInteger first,
      int length,
      int bits,
      List<BigInteger> targets,
      List<BigInteger[]> ranges,
      List<Cidr> cover) {
    if (targets.isEmpty()) {
      return;
    }
    if (targets.size() == 1) {
      // Nothing is gained by a prefix wider than the one address: its host route.
      cover.add(prefix(targets.get(0), bits, bits));
      return;
    }
    if (ranges.isEmpty()) {
      cover.add(prefix(first, length, bits));
      return;
    }
    split(first, length, bits, targets, ranges, cover);
  }

  /** Walks both halves of the prefix {@code first/length}. */
  private static void split(
      BigInteger first,
      int length,
      int bits,
      List<BigInteger> targets,
      List<BigInteger[]> ranges,
      List<Cidr> cover) {
    BigInteger middle = first.add(BigInteger.ONE.shiftLeft(bits - length - 1));
    BigInteger lowLast = middle.subtract(BigInteger.ONE);
    BigInteger highLast = last(first, length, bits);
    int at = Collections.binarySearch(targets, middle);
    int cut = at >= 0 ? at : -at - 1;
    walk(
        first,
        length + 1,
        bits,
        targets.subList(0, cut),
        overlapping(ranges, first, lowLast),
        cover);
    walk(
        middle,
        length + 1,
        bits,
        targets.subList(cut, targets.size()),
        overlapping(ranges, middle, highLast),
        cover);
  }

  private static List<BigInteger[]> overlapping(
      List<BigInteger[]> ranges, BigInteger first, BigInteger last) {
    List<BigInteger[]> inside = new ArrayList<>();
    for (BigInteger[] range : ranges) {
      if (range[0].compareTo(last) <= 0 && range[1].compareTo(first) >= 0) {
        inside.add(range);
      }
    }
    return inside;
  }

  private static BigInteger last(BigInteger first, int length, int bits) {
    return first.add(BigInteger.ONE.shiftLeft(bits - length)).subtract(BigInteger.ONE);
  }

  private static void dedupe(List<BigInteger> sorted) {
    for (int i = sorted.size() - 1; i > 0; i--) {
      if (sorted.get(i).equals(sorted.get(i - 1))) {
        sorted.remove(i);
      }
    }
  }

  private static BigInteger value(InetAddress address) {
    return new BigInteger(1, address.getAddress());
  }

  private static Cidr prefix(BigInteger first, int length, int bits) {
    byte[] raw = first.toByteArray();
    byte[] bytes = new byte[bits / 8];
    int copy = Math.min(raw.length, bytes.length);
    System.arraycopy(raw, raw.length - copy, bytes, bytes.length - copy, copy);
    try {
      return new Cidr(InetAddress.getByAddress(bytes), length);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
