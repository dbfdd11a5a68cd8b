package dev.netns.junit;

import static dev.netns.junit.NetAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netns.kernel.Cidr;
import dev.netns.testing.Oracle;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Partitions whose routes cover several hosts with one prefix, on a 12-host dual-stack LAN split
 * unevenly, overlapping each other and a cut, healed in every order: after each step the kernel of
 * every host is asked ({@code ip route get}, every address of every other host) where it would
 * send, and the answer must be the void exactly for the pairs some fault in force separates.
 */
@Tag("privileged")
@NetNamespace("n1")
@NetNamespace("n2")
@NetNamespace("n3")
@NetNamespace("n4")
@NetNamespace("n5")
@NetNamespace("n6")
@NetNamespace("n7")
@NetNamespace("n8")
@NetNamespace("n9")
@NetNamespace("n10")
@NetNamespace("n11")
@NetNamespace("n12")
@Lan(
    name = "lan",
    subnet = {"10.9.20.0/24", "fd00:0:0:20::/64"},
    hosts = {"n1", "n2", "n3", "n4", "n5", "n6", "n7", "n8", "n9", "n10", "n11", "n12"})
class CoveringPartitionTest {
  private static final List<String> HOSTS =
      List.of("n1", "n2", "n3", "n4", "n5", "n6", "n7", "n8", "n9", "n10", "n11", "n12");
  private static final Set<String> ODD_FEW = Set.of("n1", "n3", "n5");
  private static final Duration SHORT = Duration.ofMillis(300);

  @TempDir Path dir;

  @Test
  void unevenGroupsAreRoutedAwayWithPrefixesAndOnlyTheOtherSideIsCut(Network network)
      throws Exception {
    NetNs n1 = network.namespace("n1");
    NetNs n7 = network.namespace("n7");
    NetAssertions.awaitReachable(n1, network.address("n7"), Duration.ofSeconds(5));
    NetAssertions.awaitReachable(n1, network.address("n3"), Duration.ofSeconds(5));
    try (Fault split = network.partition(ODD_FEW, rest(ODD_FEW))) {
      // n1 spares .1, .3, .5 and covers .2, .4, .6-.12 with four routes (.13-.15 are no host's).
      assertThat(Oracle.ip(n1, "route", "show"))
          .contains("10.9.20.2 dev nj-void")
          .contains("10.9.20.4 dev nj-void")
          .contains("10.9.20.6/31 dev nj-void")
          .contains("10.9.20.8/29 dev nj-void");
      assertThat(Oracle.ip(n1, "-6", "route", "show")).contains("fd00:0:0:20::8/125 dev nj-void");
      assertThat(voided(network)).isEqualTo(expected(List.of(groups(ODD_FEW))));
      // Real traffic agrees with the oracle.
      assertThat(n1).within(SHORT).cannotReach(network.address("n7"));
      assertThat(n7).within(SHORT).cannotReach(network.address("n1"));
      assertThat(n1).canReach(network.address("n3"));
      NetAssertions.awaitReachable(
          n1, InetAddress.getByName("fd00:0:0:20::5"), Duration.ofSeconds(5));
      assertThat(n7).canReach(network.address("n12"));
    }
    assertThat(voided(network)).isEmpty();
    NetAssertions.awaitReachable(n1, network.address("n7"), Duration.ofSeconds(5));
  }

  @Test
  void overlappingPartitionsAndACutHealInAnyOrder(Network network) {
    List<List<Integer>> orders =
        List.of(
            List.of(0, 1, 2),
            List.of(0, 2, 1),
            List.of(1, 0, 2),
            List.of(1, 2, 0),
            List.of(2, 0, 1),
            List.of(2, 1, 0));
    for (List<Integer> order : orders) {
      // A: {n1, n3, n5} | the rest. B: {n1, n2} | {n7..n12}: in n1 its prefix for .8-.12 is A's
      // (one route, counted twice), and its .7 lies inside A's .6/31. The cut n1 -> n6 is inside
      // A's .6/31 too.
      List<List<Set<String>>> cuts = new ArrayList<>();
      List<Fault> faults = new ArrayList<>();
      faults.add(network.partition(ODD_FEW, rest(ODD_FEW)));
      cuts.add(groups(ODD_FEW));
      Set<String> twelve = Set.of("n7", "n8", "n9", "n10", "n11", "n12");
      faults.add(network.partition(Set.of("n1", "n2"), twelve));
      cuts.add(List.of(Set.of("n1", "n2"), twelve));
      faults.add(network.cut("n1", "n6"));
      cuts.add(null);
      assertThat(voided(network)).as("all three in force").isEqualTo(expected(cuts));
      for (int step = 0; step < order.size(); step++) {
        int healed = order.get(step);
        faults.get(healed).heal();
        cuts.set(healed, List.of());
        assertThat(voided(network))
            .as("order %s, after healing %s", order, order.subList(0, step + 1))
            .isEqualTo(expected(cuts));
      }
    }
  }

  @Test
  void aRejectingFaultOverlappingASilentPrefixIsRefusedButOneBesideItStacks(Network network) {
    try (Fault split = network.partition(ODD_FEW, rest(ODD_FEW))) {
      // n1's .6/31 covers n7 silently.
      assertThatThrownBy(() -> network.cutRejecting("n1", "n7"))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage(
              "a silent fault already keeps n1 from reaching 10.9.20.7; a rejecting one cannot"
                  + " stack on it. Heal it first");
      // n3 is on n1's side: its host route overlaps none of n1's prefixes.
      try (Fault refused = network.cutRejecting("n1", "n3")) {
        assertThat(Oracle.ip(network.namespace("n1"), "route", "show"))
            .contains("unreachable 10.9.20.3")
            .contains("10.9.20.6/31 dev nj-void");
      }
      assertThat(network.faults()).hasSize(1);
    }
    assertThat(voided(network)).isEmpty();
  }

  private static Set<String> rest(Set<String> few) {
    Set<String> rest = new TreeSet<>(HOSTS);
    rest.removeAll(few);
    return rest;
  }

  private static List<Set<String>> groups(Set<String> few) {
    return List.of(few, rest(few));
  }

  /**
   * The pairs {@code from -> to} the faults separate: each entry a partition's groups, null for the
   * cut n1 -> n6, empty for one healed.
   */
  private static Map<String, Set<String>> expected(List<List<Set<String>>> faults) {
    Map<String, Set<String>> cut = new LinkedHashMap<>();
    for (List<Set<String>> groups : faults) {
      if (groups == null) {
        cut.computeIfAbsent("n1", k -> new TreeSet<>()).add("n6");
        continue;
      }
      for (Set<String> group : groups) {
        for (Set<String> other : groups) {
          if (other != group) {
            for (String from : group) {
              cut.computeIfAbsent(from, k -> new TreeSet<>()).addAll(other);
            }
          }
        }
      }
    }
    return sorted(cut);
  }

  /**
   * Asks each host's kernel, through iproute2, where it would send to every address (both families)
   * of every other host: the hosts it sends into the void, for every address of theirs alike.
   */
  private Map<String, Set<String>> voided(Network network) {
    Map<String, Set<String>> voided = new LinkedHashMap<>();
    for (String from : HOSTS) {
      List<String> lines = new ArrayList<>();
      Map<String, String> owner = new LinkedHashMap<>();
      for (String to : HOSTS) {
        if (!to.equals(from)) {
          for (CidrAddress address : network.addresses(to)) {
            String text = address.address().getHostAddress().replaceAll("%.*", "");
            owner.put(Cidr.parseAddress(text).getHostAddress(), to);
            lines.add("route get " + text);
          }
        }
      }
      Path batch = dir.resolve(from + ".batch");
      try {
        Files.write(batch, lines);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      String answers = Oracle.ip(network.namespace(from), "-batch", batch.toString());
      Set<String> into = new HashSet<>();
      Set<String> past = new HashSet<>();
      Matcher m =
          Pattern.compile(
                  "(?m)^(?:(?:unreachable|blackhole|prohibit|local|broadcast) )?(\\S+)"
                      + " (?:from \\S+ )?(?:via \\S+ )?dev (\\S+)")
              .matcher(answers);
      int answered = 0;
      while (m.find()) {
        String to = owner.get(Cidr.parseAddress(m.group(1)).getHostAddress());
        assertThat(to).as("an answer for %s in %s", m.group(1), answers).isNotNull();
        answered++;
        (m.group(2).equals("nj-void") ? into : past).add(to);
      }
      assertThat(answered).as("answers from %s: %s", from, answers).isEqualTo(lines.size());
      Set<String> split = new HashSet<>(into);
      split.retainAll(past);
      assertThat(split).as("hosts %s reaches by one address and not another", from).isEmpty();
      if (!into.isEmpty()) {
        voided.put(from, new TreeSet<>(into));
      }
    }
    return sorted(voided);
  }

  private static Map<String, Set<String>> sorted(Map<String, Set<String>> map) {
    Map<String, Set<String>> sorted = new LinkedHashMap<>();
    for (String host : HOSTS) {
      Set<String> to = map.get(host);
      if (to != null && !to.isEmpty()) {
        sorted.put(host, to);
      }
    }
    return sorted;
  }
}
