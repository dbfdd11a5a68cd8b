package dev.netns.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netns.testing.Requirements;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * The JDK Flight Recorder events of a test's network: its start and teardown, the faults applied
 * and healed, and sampled decisions of the userspace forwarder, as a recording that enables them
 * sees them.
 */
@Tag("privileged")
@Isolated("a recording sees the events of every test running at the same time")
class FlightRecorderTest {
  @BeforeEach
  void requirePrivileges() {
    Requirements.requireNamespaces();
  }

  @NetNamespace("a")
  @NetNamespace("b")
  @VethLink(
      a = "a",
      aAddress = "10.152.0.1/24",
      b = "b",
      bAddress = "10.152.0.2/24",
      impairable = true)
  static class PartitionsAndImpairs {
    @Test
    void run(Network network) throws Exception {
      network.partition(Set.of("a"), Set.of("b")).heal();
      NetNs a = network.namespace("a");
      try (Fault slow =
              network
                  .link("a", "b")
                  .impair("a", Impairment.none().withDelay(Duration.ofMillis(1)).withSeed(5));
          DatagramChannel receiver =
              network.namespace("b").openDatagramChannel(new InetSocketAddress("10.152.0.2", 9));
          DatagramChannel sender = a.openDatagramChannel(null)) {
        // One at a time, each received before the next: all 200 pass the forwarder under the fault.
        for (int i = 0; i < 200; i++) {
          sender.send(ByteBuffer.wrap(new byte[100]), receiver.getLocalAddress());
          receiver.receive(ByteBuffer.allocate(100));
        }
      }
    }
  }

  @Test
  void aRecordingSeesTheNetworkItsFaultsAndSampledFrames(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("netns.jfr");
    try (Recording recording = new Recording()) {
      for (String event :
          List.of(
              "dev.netns.TopologyStart",
              "dev.netns.TopologyClose",
              "dev.netns.FaultApply",
              "dev.netns.FaultHeal",
              "dev.netns.FrameDecision")) {
        recording.enable(event);
      }
      recording.start();
      Fixtures.run(PartitionsAndImpairs.class).testEvents().assertStatistics(s -> s.succeeded(1));
      recording.stop();
      recording.dump(file);
    }
    List<RecordedEvent> events = RecordingFile.readAllEvents(file);

    List<RecordedEvent> starts = named(events, "dev.netns.TopologyStart");
    assertThat(starts).hasSize(1);
    assertThat(starts.get(0).getInt("hosts")).isEqualTo(2);
    assertThat(starts.get(0).getInt("links")).isEqualTo(1);
    assertThat(starts.get(0).getBoolean("succeeded")).isTrue();
    assertThat(named(events, "dev.netns.TopologyClose")).hasSize(1);
    assertThat(named(events, "dev.netns.FaultApply"))
        .extracting(e -> e.getString("fault"))
        .containsExactly(
            "partition {a} | {b} (silent)", "userspace delay 1 ms, seed 5 leaving a towards b");
    assertThat(named(events, "dev.netns.FaultHeal"))
        .extracting(e -> e.getString("fault"))
        .containsExactly(
            "partition {a} | {b} (silent)", "userspace delay 1 ms, seed 5 leaving a towards b");
    List<RecordedEvent> frames = named(events, "dev.netns.FrameDecision");
    // 200 datagrams (neighbour discovery is not decided), one in 64 sampled: the 0th, 64th, ...
    assertThat(frames).hasSize(4);
    assertThat(frames.get(0).getLong("delay")).isEqualTo(1_000_000L);
    assertThat(frames.get(0).getBoolean("dropped")).isFalse();
  }

  private static List<RecordedEvent> named(List<RecordedEvent> events, String name) {
    return events.stream().filter(e -> e.getEventType().getName().equals(name)).toList();
  }
}
