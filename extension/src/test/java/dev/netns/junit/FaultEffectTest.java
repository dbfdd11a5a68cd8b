package dev.netns.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * Each fault counts what it did to traffic; the report shows it, and {@code
 * netns.faults.requireEffect=true} fails a test whose faults touched none.
 */
@Tag("privileged")
class FaultEffectTest {
  static final String BLUE = "10.97.0.1";
  static final String RED = "10.97.0.2";
  static final String STRICT = NetNamespace.REQUIRE_FAULT_EFFECT_PROPERTY_NAME;

  @TempDir Path reports;

  @BeforeEach
  void requirePrivileges() {
    dev.netns.testing.Requirements.requireNamespaces();
  }

  /** Sends {@code count} datagrams from blue to red:40003; returns how many sends were refused. */
  static int send(NetNs blue, int count) throws Exception {
    int refused = 0;
    try (DatagramChannel sender = blue.openDatagramChannel(new InetSocketAddress(BLUE, 0))) {
      for (int i = 0; i < count; i++) {
        try {
          sender.send(ByteBuffer.wrap(new byte[] {(byte) i}), new InetSocketAddress(RED, 40003));
        } catch (IOException unreachable) {
          refused++;
        }
      }
    }
    return refused;
  }

  @NetNamespace("blue")
  @NetNamespace("red")
  @VethLink(a = "blue", aAddress = BLUE + "/24", b = "red", bAddress = RED + "/24")
  static class PartitionWithTrafficTest {
    static volatile FaultEffect seen;
    static volatile FaultEffect seenAfterHeal;

    @Test
    void sendsAcrossThePartition(Network network, @Ns("blue") NetNs blue) throws Exception {
      try (Fault split = network.partition(Set.of("blue"), Set.of("red"))) {
        send(blue, 3);
        seen = split.effect();
        split.heal();
        send(blue, 2); // after the heal: not the fault's
        seenAfterHeal = split.effect();
      }
    }
  }

  @NetNamespace("blue")
  @NetNamespace("red")
  @VethLink(a = "blue", aAddress = BLUE + "/24", b = "red", bAddress = RED + "/24")
  static class IdlePartitionTest {
    static volatile FaultEffect seen;

    @Test
    void nobodySends(Network network) {
      try (Fault split = network.partition(Set.of("blue"), Set.of("red"))) {
        seen = split.effect();
      }
    }
  }

  @Test
  void aPartitionThatDroppedTrafficCountsItsPackets() {
    EngineExecutionResults results =
        Fixtures.run(PartitionWithTrafficTest.class, Map.of(STRICT, "true"));

    results.testEvents().assertStatistics(s -> s.started(1).succeeded(1));
    FaultEffect seen = PartitionWithTrafficTest.seen;
    assertThat(seen)
        .hasToString("dropped 3 (shared: packets silent routes swallowed in blue, red)");
    assertThat(seen.touchedTraffic()).isTrue();
    assertThat(seen.accuracy()).isEqualTo(FaultEffect.Accuracy.SHARED);
    assertThat(PartitionWithTrafficTest.seenAfterHeal).as("final at the heal").isEqualTo(seen);
  }

  @Test
  void aPartitionNobodySentAcrossCountsNothingAndFailsUnderStrictMode() {
    EngineExecutionResults results =
        Fixtures.run(
            IdlePartitionTest.class,
            Map.of(STRICT, "true", NetNamespace.REPORT_DIR_PROPERTY_NAME, reports.toString()));

    FaultEffect seen = IdlePartitionTest.seen;
    assertThat(seen)
        .hasToString("no traffic touched (shared: packets silent routes swallowed in blue, red)");
    assertThat(seen.touchedTraffic()).isFalse();
    results.testEvents().assertStatistics(s -> s.started(1).failed(1));
    assertThat(Fixtures.onlyFailure(results))
        .isInstanceOf(AssertionError.class)
        .hasMessage(
            "IdlePartitionTest.nobodySends() applied faults that touched no traffic, so it proves"
                + " nothing about them (netns.faults.requireEffect=true):\n"
                + "  partition {blue} | {red} (silent): no traffic touched (shared: packets silent"
                + " routes swallowed in blue, red)\n"
                + "Send traffic across a fault while it is in force, or check that it is placed"
                + " where the traffic goes.");
  }

  @NetNamespace("blue")
  @NetNamespace("red")
  @VethLink(a = "blue", aAddress = BLUE + "/24", b = "red", bAddress = RED + "/24")
  static class QuietVoidTest {
    static volatile FaultEffect seen;
    static volatile String voidLink;
    static volatile String voidAddresses;

    /**
     * A fresh bridge sends IGMP and MLD reports and IPv6 autoconfiguration of its own for a couple
     * of seconds; the void must not, or an idle partition would seem to drop packets.
     */
    @Test
    void nobodySendsForThreeSeconds(Network network, @Ns("blue") NetNs blue) throws Exception {
      try (Fault split = network.partition(Set.of("blue"), Set.of("red"))) {
        Thread.sleep(3000);
        seen = split.effect();
        voidLink = output(blue.exec("ip", "-d", "link", "show", "nj-void"));
        voidAddresses = output(blue.exec("ip", "-6", "addr", "show", "dev", "nj-void"));
      }
    }

    private static String output(Process p) throws Exception {
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor()).isZero();
      return out;
    }
  }

  @Test
  void theVoidSendsNothingOfItsOwn() {
    Fixtures.run(QuietVoidTest.class).testEvents().assertStatistics(s -> s.started(1).succeeded(1));
    assertThat(QuietVoidTest.seen)
        .hasToString("no traffic touched (shared: packets silent routes swallowed in blue, red)");
    assertThat(QuietVoidTest.voidLink).contains("mcast_snooping 0 ");
    assertThat(QuietVoidTest.voidAddresses).as("no IPv6 address, link-local included").isEmpty();
  }

  @Test
  void aPartitionNobodySentAcrossPassesWhenNotStrict() {
    Fixtures.run(IdlePartitionTest.class, Map.of(STRICT, "false"))
        .testEvents()
        .assertStatistics(s -> s.started(1).succeeded(1));
    Fixtures.run(IdlePartitionTest.class)
        .testEvents()
        .assertStatistics(s -> s.started(1).succeeded(1));
  }

  @Test
  void aBadValueOfTheSettingFailsNamingIt() {
    Throwable failure =
        Fixtures.onlyFailure(Fixtures.run(IdlePartitionTest.class, Map.of(STRICT, "yes")));
    assertThat(failure)
        .hasMessage(
            "configuration parameter netns.faults.requireEffect must be true or false, but was"
                + " 'yes'");
  }

  @NetNamespace("blue")
  @NetNamespace("red")
  @VethLink(
      a = "blue",
      aAddress = BLUE + "/24",
      b = "red",
      bAddress = RED + "/24",
      impairable = true)
  static class UserspaceTest {
    static volatile FaultEffect seen;
    static volatile FaultEffect seenAfterHeal;

    @Test
    void lossAndDelay(Network network, @Ns("blue") NetNs blue, @Ns("red") NetNs red)
        throws Exception {
      Link link = network.link("blue", "red");
      try (DatagramChannel receiver = red.openDatagramChannel(new InetSocketAddress(RED, 40003))) {
        // Resolve the neighbour first, so that every datagram below is one frame through it.
        send(blue, 1);
        receiver.receive(ByteBuffer.allocate(8));
        try (Fault loss =
            link.impair(
                "blue",
                Impairment.none().withLoss(100).withPath(Impairment.Path.USERSPACE).withSeed(1))) {
          send(blue, 4);
          Thread.sleep(200);
          seen = loss.effect();
        }
        try (Fault delay =
            link.impair(
                "blue",
                Impairment.none()
                    .withDelay(Duration.ofMillis(20))
                    .withPath(Impairment.Path.USERSPACE)
                    .withSeed(1))) {
          send(blue, 5);
          for (int i = 0; i < 5; i++) {
            receiver.receive(ByteBuffer.allocate(8));
          }
          seenAfterHeal = delay.effect();
        }
      }
    }
  }

  @Test
  void theUserspacePathCountsExactlyWhatItDid() {
    Fixtures.run(UserspaceTest.class, Map.of(STRICT, "true"))
        .testEvents()
        .assertStatistics(s -> s.started(1).succeeded(1));
    assertThat(UserspaceTest.seen)
        .hasToString("dropped 4 (exact: frames the userspace forwarder handled)");
    assertThat(UserspaceTest.seenAfterHeal)
        .hasToString("delayed 5 (exact: frames the userspace forwarder handled)");
  }

  @NetNamespace("blue")
  @NetNamespace("red")
  @VethLink(a = "blue", aAddress = BLUE + "/24", b = "red", bAddress = RED + "/24")
  static class LinkDownTest {
    static volatile FaultEffect seen;
    static volatile FaultEffect seenAfterHeal;

    @Test
    void sendsOverADownLink(Network network, @Ns("blue") NetNs blue) throws Exception {
      try (Fault down = network.link("blue", "red").disconnect()) {
        assertThat(send(blue, 3)).as("sends refused: no route").isEqualTo(3);
        seen = down.effect();
      }
    }

    @Test
    void rejectingCutIsNotCounted(Network network, @Ns("blue") NetNs blue) throws Exception {
      try (Fault cut = network.cutRejecting("blue", "red")) {
        assertThat(send(blue, 2)).as("sends refused: unreachable").isEqualTo(2);
        seenAfterHeal = cut.effect();
      }
    }
  }

  @Test
  void aLinkDownCountsRefusedSendsAndARejectingCutIsNotCounted() throws Exception {
    Fixtures.run(
            LinkDownTest.class,
            Map.of(STRICT, "true", NetNamespace.REPORT_DIR_PROPERTY_NAME, reports.toString()))
        .testEvents()
        .assertStatistics(s -> s.started(2).succeeded(2));
    assertThat(LinkDownTest.seen)
        .hasToString("refused 3 (shared: Ip and Ip6 OutNoRoutes in blue, red)");
    assertThat(LinkDownTest.seenAfterHeal)
        .hasToString(
            "not counted (the kernel counts no packet an unreachable route refuses; senders see"
                + " EHOSTUNREACH)");
    assertThat(LinkDownTest.seenAfterHeal.touchedTraffic()).isFalse();
  }

  @NetNamespace("blue")
  @NetNamespace("red")
  @VethLink(a = "blue", aAddress = BLUE + "/24", b = "red", bAddress = RED + "/24")
  static class RateLimitTest {
    static volatile FaultEffect seen;
    static volatile String tc;

    @Test
    void burstsThroughATokenBucket(Network network, @Ns("blue") NetNs blue) throws Exception {
      try (Fault slow =
          network.link("blue", "red").impair("blue", Impairment.none().withRate(1_000_000))) {
        assertThat(slow.description()).isEqualTo("rate 1000000 bit/s leaving blue:red");
        try (DatagramChannel sender = blue.openDatagramChannel(new InetSocketAddress(BLUE, 0))) {
          for (int i = 0; i < 300; i++) {
            sender.send(ByteBuffer.allocate(1400), new InetSocketAddress(RED, 40003));
          }
        }
        Thread.sleep(1000); // the queue drains: the counters stop moving
        seen = slow.effect();
        Process p = blue.exec("tc", "-s", "qdisc", "show", "dev", "red", "root");
        tc = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).isZero();
      }
    }
  }

  /**
   * A token bucket counts the packets it dropped and the times it held packets back, as {@code tc
   * -s qdisc} shows them (the oracle), read when the traffic has stopped.
   */
  @Test
  void aRateLimitCountsItsDropsAndOverlimits() {
    Fixtures.run(RateLimitTest.class, Map.of(STRICT, "true"))
        .testEvents()
        .assertStatistics(s -> s.started(1).succeeded(1));
    FaultEffect seen = RateLimitTest.seen;
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("dropped (\\d+), overlimits (\\d+)")
            .matcher(RateLimitTest.tc);
    assertThat(m.find()).as(RateLimitTest.tc).isTrue();
    assertThat(seen.dropped()).isPositive().isEqualTo(Long.parseLong(m.group(1)));
    assertThat(seen.delayed()).isPositive().isEqualTo(Long.parseLong(m.group(2)));
    assertThat(seen.accuracy()).isEqualTo(FaultEffect.Accuracy.EXACT);
    assertThat(seen.counter())
        .isEqualTo(
            "the token bucket's drops, and as delayed its overlimits: times it held packets back");
  }

  @NetNamespace("blue")
  @NetNamespace("red")
  @VethLink(a = "blue", aAddress = BLUE + "/24", b = "red", bAddress = RED + "/24")
  static class FailingWithFaultsTest {
    @Test
    void fails(Network network, @Ns("blue") NetNs blue) throws Exception {
      Fault split = network.partition(Set.of("blue"), Set.of("red"));
      send(blue, 2);
      split.heal();
      network.cut("red", "blue");
      throw new AssertionError("fails on purpose");
    }
  }

  @Test
  void theReportSaysWhatEachFaultDid() throws Exception {
    Fixtures.run(
            FailingWithFaultsTest.class,
            Map.of(STRICT, "true", NetNamespace.REPORT_DIR_PROPERTY_NAME, reports.toString()))
        .testEvents()
        .assertStatistics(s -> s.started(1).failed(1));
    Path dir = reports.resolve(FailingWithFaultsTest.class.getName()).resolve("fails");
    assertThat(Files.readString(dir.resolve("report.txt")))
        .contains(
            "\n== what each fault did (netns.faults.requireEffect fails a test where none did)\n"
                + "  partition {blue} | {red} (silent), healed: dropped 2 (shared: packets silent"
                + " routes swallowed in blue, red)\n"
                + "  cut red -> blue (silent), in force: no traffic touched (shared: packets"
                + " silent routes swallowed in red)\n");
    assertThat(Files.readString(dir.resolve("report.html")))
        .contains(
            "<h2>What each fault did</h2>\n<ul class=\"fault-effects\">\n"
                + "<li>partition {blue} | {red} (silent), healed: dropped 2 (shared: packets"
                + " silent routes swallowed in blue, red)</li>\n"
                + "<li>cut red -&gt; blue (silent), in force: no traffic touched (shared: packets"
                + " silent routes swallowed in red)</li>\n</ul>\n");
  }

  @Test
  void faultEffectSaysWhatItCounted() {
    assertThat(new FaultEffect(1, 2, 3, 4, 5, FaultEffect.Accuracy.EXACT, "frames"))
        .hasToString("dropped 1, refused 2, delayed 3, duplicated 4, reordered 5 (exact: frames)");
    assertThat(new FaultEffect(0, 0, 0, 0, 7, FaultEffect.Accuracy.NOT_COUNTED, "no counter"))
        .hasToString("not counted (no counter)")
        .returns(false, FaultEffect::touchedTraffic);
    assertThatThrownBy(() -> new FaultEffect(0, 0, 0, 0, 0, null, "x"))
        .isInstanceOf(NullPointerException.class);
  }
}
