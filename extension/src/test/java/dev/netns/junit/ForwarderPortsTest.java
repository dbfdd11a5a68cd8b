package dev.netns.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netns.testing.Requirements;
import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code netns.forwarder.ports} chooses how userspace forwarders move frames, end to end: with
 * {@code socket}, each direction has a reader and a sender thread over a plain packet socket; with
 * {@code ring} (the default), one thread per direction over packet rings. Either way a delayed
 * stream arrives whole and in order, so the fallback path is exercised in every run too.
 */
@Tag("privileged")
class ForwarderPortsTest {
  /** What each run of the fixture saw, under the configured value. */
  static final Map<String, List<String>> THREADS = new ConcurrentHashMap<>();

  static final Map<String, List<Integer>> RECEIVED = new ConcurrentHashMap<>();

  @BeforeEach
  void requirePrivileges() {
    Requirements.requireNamespaces();
  }

  @NetNamespace("fpa")
  @NetNamespace("fpb")
  @VethLink(
      a = "fpa",
      aAddress = "10.154.0.1/24",
      b = "fpb",
      bAddress = "10.154.0.2/24",
      impairable = true)
  static class DelayedStream {
    @Test
    void carries(Network network) throws Exception {
      String key = running;
      NetNs a = network.namespace("fpa");
      NetNs b = network.namespace("fpb");
      InetAddress bAddress = network.address("fpb");
      List<Integer> received = new ArrayList<>();
      try (DatagramChannel receiver = b.openDatagramChannel(new InetSocketAddress(bAddress, 0));
          DatagramChannel sender = a.openDatagramChannel(null)) {
        receiver.socket().setSoTimeout(2_000);
        // Neighbour discovery before the fault, so that it holds none of the stream back.
        UserspaceImpairmentTest.oneThrough(sender, receiver);
        Impairment delay =
            Impairment.none().withDelay(Duration.ofMillis(2)).withPath(Impairment.Path.USERSPACE);
        try (Fault fault = network.link("fpa", "fpb").impair("fpa", delay)) {
          THREADS.put(
              key,
              Thread.getAllStackTraces().keySet().stream()
                  .map(Thread::getName)
                  // This link's forwarder only: other tests may impair links meanwhile.
                  .filter(name -> name.startsWith("netns-wire fpa-fpb "))
                  .sorted()
                  .toList());
          for (int i = 0; i < 200; i++) {
            sender.send(ByteBuffer.allocate(4).putInt(i).flip(), receiver.getLocalAddress());
          }
          DatagramPacket packet = new DatagramPacket(new byte[4], 4);
          for (int i = 0; i < 200; i++) {
            receiver.socket().receive(packet);
            received.add(ByteBuffer.wrap(packet.getData()).getInt());
          }
        }
      }
      RECEIVED.put(key, received);
    }
  }

  /** The configured value of the fixture's current run: the two kinds run one after the other. */
  static volatile String running;

  private static void run(String ports) {
    running = ports;
    Fixtures.run(DelayedStream.class, Map.of("netns.forwarder.ports", ports))
        .testEvents()
        .assertStatistics(s -> s.succeeded(1).failed(0));
  }

  private static List<Integer> zeroTo(int count) {
    List<Integer> all = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      all.add(i);
    }
    return all;
  }

  @Test
  void socketPortsReadAndSendOnThreadsOfTheirOwnRingPortsUseOneThreadPerDirection() {
    run("socket");
    run("ring");

    assertThat(THREADS.get("socket"))
        .anyMatch(name -> name.endsWith(" reader"))
        .anyMatch(name -> name.endsWith(" sender"));
    assertThat(RECEIVED.get("socket")).isEqualTo(zeroTo(200));
    assertThat(THREADS.get("ring"))
        .containsExactly("netns-wire fpa-fpb a->b", "netns-wire fpa-fpb b->a");
    assertThat(RECEIVED.get("ring")).isEqualTo(zeroTo(200));
  }
}
