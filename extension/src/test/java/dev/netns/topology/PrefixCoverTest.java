package dev.netns.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netns.kernel.Cidr;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The prefixes a partition routes away cover every blocked address and no spared one, inside the
 * subnet and never the subnet itself; checked address by address on random subnets.
 */
class PrefixCoverTest {

  @Test
  void halvesOfAHundredHostLanAreFourPrefixesEach() {
    Cidr lan = Cidr.parse("10.0.0.0/24");
    List<InetAddress> first = range(lan, 1, 50);
    List<InetAddress> second = range(lan, 51, 100);
    assertThat(PrefixCover.of(lan, second, first, List.of()))
        .extracting(Cidr::toString)
        .containsExactly("10.0.0.51/32", "10.0.0.52/30", "10.0.0.56/29", "10.0.0.64/26");
    assertThat(PrefixCover.of(lan, first, second, List.of()))
        .extracting(Cidr::toString)
        .containsExactly("10.0.0.0/27", "10.0.0.32/28", "10.0.0.48/31", "10.0.0.50/32");
  }

  @Test
  void ipv6HalvesAreCoveredIn128Bits() {
    Cidr lan = Cidr.parse("fd00:1::/64");
    List<InetAddress> first = range(lan, 1, 50);
    List<InetAddress> second = range(lan, 51, 100);
    List<Cidr> cover = PrefixCover.of(lan, second, first, List.of());
    assertThat(cover)
        .extracting(Cidr::toString)
        .containsExactly("fd00:1::33/128", "fd00:1::34/126", "fd00:1::38/125", "fd00:1::40/122");
    check(lan, second, first, List.of(), cover);
  }

  @Test
  void aSingleBlockedAddressIsItsHostRouteAndTheSubnetIsNeverTakenWhole() {
    Cidr link = Cidr.parse("10.9.1.0/24");
    InetAddress peer = Cidr.parseAddress("10.9.1.2");
    assertThat(
            PrefixCover.of(link, List.of(peer), List.of(Cidr.parseAddress("10.9.1.1")), List.of()))
        .extracting(Cidr::toString)
        .containsExactly("10.9.1.2/32");
    // Every host of a subnet blocked, none spared (the sender is not on it): both halves.
    Cidr lan = Cidr.parse("10.9.2.0/24");
    assertThat(PrefixCover.of(lan, range(lan, 1, 200), List.of(), List.of()))
        .extracting(Cidr::toString)
        .containsExactly("10.9.2.0/25", "10.9.2.128/25");
  }

  @Test
  void routesToPartsOfTheSubnetAreNeverOverlapped() {
    Cidr lan = Cidr.parse("10.0.0.0/24");
    List<Cidr> keepOut = List.of(Cidr.parse("10.0.0.64/28"));
    List<InetAddress> blocked = range(lan, 51, 100);
    List<Cidr> cover = PrefixCover.of(lan, blocked, range(lan, 1, 50), keepOut);
    check(lan, blocked, range(lan, 1, 50), keepOut, cover);
    assertThat(cover).extracting(Cidr::toString).contains("10.0.0.64/32", "10.0.0.79/32");
  }

  @Test
  void refusesABlockedAddressOutsideTheSubnetOrAlsoSpared() {
    Cidr lan = Cidr.parse("10.0.0.0/24");
    InetAddress outside = Cidr.parseAddress("10.0.1.1");
    InetAddress inside = Cidr.parseAddress("10.0.0.1");
    assertThatThrownBy(() -> PrefixCover.of(lan, List.of(outside), List.of(), List.of()))
        .hasMessage("10.0.1.1 is outside 10.0.0.0/24: it cannot be covered there");
    assertThatThrownBy(() -> PrefixCover.of(lan, List.of(inside), List.of(inside), List.of()))
        .hasMessage("10.0.0.1 is both blocked and spared");
  }

  /**
   * Random subnets of 64 addresses, each address blocked, spared or no host's, and now and then a
   * route to part of the subnet: checked against every address, and against the smallest count
   * worked out independently.
   */
  @Test
  void everyBlockedAddressIsCoveredAndNoSparedOneOnRandomSubnets() {
    Random random = new Random(17);
    for (int round = 0; round < 1000; round++) {
      boolean v6 = round % 3 == 0;
      Cidr subnet = Cidr.parse(v6 ? "fd00:17::100/122" : "10.17.0.64/26");
      List<InetAddress> blocked = new ArrayList<>();
      List<InetAddress> spared = new ArrayList<>();
      int blockedShare = random.nextInt(100);
      int sparedShare = random.nextInt(100 - blockedShare + 1);
      for (int i = 0; i < 64; i++) {
        int roll = random.nextInt(100);
        InetAddress address = subnet.host(i);
        if (roll < blockedShare) {
          blocked.add(address);
        } else if (roll < blockedShare + sparedShare) {
          spared.add(address);
        }
      }
      List<Cidr> keepOut = new ArrayList<>();
      if (random.nextInt(4) == 0) {
        int length = 27 + random.nextInt(5) + (v6 ? 96 : 0);
        Cidr route = new Cidr(subnet.host(random.nextInt(64)), length).network();
        keepOut.add(route);
      }
      List<Cidr> cover = PrefixCover.of(subnet, blocked, spared, keepOut);
      check(subnet, blocked, spared, keepOut, cover);
      assertThat(cover)
          .as("fewest prefixes for %s blocked, %s spared, %s kept out", blocked, spared, keepOut)
          .hasSize(fewest(subnet, blocked, spared, keepOut));
    }
  }

  /** Every property a cover must have, address by address. */
  private static void check(
      Cidr subnet,
      List<InetAddress> blocked,
      List<InetAddress> spared,
      List<Cidr> keepOut,
      List<Cidr> cover) {
    int bits = subnet.isIpv6() ? 128 : 32;
    for (Cidr prefix : cover) {
      assertThat(prefix).as("a network").isEqualTo(prefix.network());
      assertThat(prefix.prefixLength())
          .as("inside, never the subnet")
          .isGreaterThan(subnet.prefixLength());
      assertThat(subnet.contains(prefix.address())).isTrue();
      for (InetAddress address : spared) {
        assertThat(prefix.contains(address)).as("%s covers spared %s", prefix, address).isFalse();
      }
      long inside = blocked.stream().filter(prefix::contains).count();
      if (prefix.prefixLength() < bits) {
        assertThat(inside)
            .as("%s: wider than a host only for two blocked", prefix)
            .isGreaterThan(1);
        for (Cidr route : keepOut) {
          assertThat(prefix.overlaps(route)).as("%s overlaps %s", prefix, route).isFalse();
        }
      } else {
        assertThat(inside).isEqualTo(1);
      }
      for (Cidr other : cover) {
        assertThat(other == prefix || !other.overlaps(prefix)).as("disjoint").isTrue();
      }
    }
    for (InetAddress address : blocked) {
      assertThat(cover.stream().anyMatch(p -> p.contains(address)))
          .as("%s covered", address)
          .isTrue();
    }
  }

  /**
   * The smallest number of prefixes, by brute force over the tree: for each prefix strictly inside
   * the subnet, either it is usable whole (no spared address, no kept-out route, some blocked
   * address), or its blocked addresses take the best of its halves (or one host route each at the
   * bottom).
   */
  private static int fewest(
      Cidr subnet, List<InetAddress> blocked, List<InetAddress> spared, List<Cidr> keepOut) {
    int bits = subnet.isIpv6() ? 128 : 32;
    Cidr network = subnet.network();
    Cidr low = new Cidr(network.address(), network.prefixLength() + 1);
    Cidr high =
        new Cidr(
            network.host(1L << (bits - network.prefixLength() - 1)), network.prefixLength() + 1);
    return best(low, bits, blocked, spared, keepOut) + best(high, bits, blocked, spared, keepOut);
  }

  private static int best(
      Cidr prefix, int bits, List<InetAddress> blocked, List<InetAddress> spared, List<Cidr> out) {
    List<InetAddress> inside = blocked.stream().filter(prefix::contains).toList();
    if (inside.isEmpty()) {
      return 0;
    }
    List<InetAddress> sparedInside = spared.stream().filter(prefix::contains).toList();
    boolean clear = sparedInside.isEmpty() && out.stream().noneMatch(prefix::overlaps);
    if (clear || inside.size() == 1) {
      return 1;
    }
    Cidr low = new Cidr(prefix.address(), prefix.prefixLength() + 1);
    Cidr high =
        new Cidr(prefix.host(1L << (bits - prefix.prefixLength() - 1)), prefix.prefixLength() + 1);
    return best(low, bits, inside, sparedInside, out) + best(high, bits, inside, sparedInside, out);
  }

  private static List<InetAddress> range(Cidr subnet, int from, int to) {
    List<InetAddress> addresses = new ArrayList<>();
    for (int i = from; i <= to; i++) {
      addresses.add(subnet.host(i));
    }
    return addresses;
  }
}
