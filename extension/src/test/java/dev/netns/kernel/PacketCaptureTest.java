package dev.netns.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netns.testing.HostState;
import dev.netns.testing.Requirements;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Capturing both directions of a veth pair into pcap files, without leaving anything behind. */
@Tag("privileged")
class PacketCaptureTest {
  @TempDir Path dir;

  @BeforeEach
  void requirePrivileges() {
    Requirements.requireNamespaces();
  }

  @Test
  void capturesWhatBothEndsSendAndReceive() throws Exception {
    Set<Long> inodes = new HashSet<>();
    List<TaskInfo> insideBeforeClose;
    try (NetworkNamespace blue = NetworkNamespace.create("blue");
        NetworkNamespace red = NetworkNamespace.create("red")) {
      inodes.add(blue.inode());
      inodes.add(red.inode());
      Links.createVeth(blue, "eth0", red, "eth0");
      Addresses.add(blue, "eth0", Cidr.parse("10.1.3.1/24"));
      Addresses.add(red, "eth0", Cidr.parse("10.1.3.2/24"));
      Links.setUp(blue, "eth0", true);
      Links.setUp(red, "eth0", true);
      PacketCapture.Target inBlue = new PacketCapture.Target(blue, "eth0", dir.resolve("b.pcap"));
      PacketCapture.Target inRed = new PacketCapture.Target(red, "eth0", dir.resolve("r.pcap"));
      long before = System.currentTimeMillis();
      List<PacketCapture.Summary> summaries;
      try (PacketCapture capture =
          PacketCapture.start(List.of(inBlue, inRed), "netns-capture test", 1 << 20)) {
        try (DatagramChannel receiver =
                red.call(() -> DatagramChannel.open().bind(new InetSocketAddress("10.1.3.2", 0)));
            DatagramChannel sender = blue.call(DatagramChannel::open)) {
          for (int i = 0; i < 5; i++) {
            sender.send(ByteBuffer.wrap(new byte[] {(byte) i}), receiver.getLocalAddress());
            receiver.receive(ByteBuffer.allocate(4));
          }
        }
        assertThat(packetSockets(blue)).as("packet sockets in blue while capturing").hasSize(1);
        summaries = capture.stop();
        // A process that another test spawns at this moment holds copies of every descriptor
        // between its fork and its exec (close-on-exec closes them only then): wait that out.
        org.awaitility.Awaitility.await()
            .atMost(java.time.Duration.ofSeconds(5))
            .untilAsserted(
                () -> {
                  assertThat(packetSockets(blue)).as("packet sockets in blue after stop").isEmpty();
                  assertThat(packetSockets(red)).as("packet sockets in red after stop").isEmpty();
                });
        assertThat(capture.stop()).as("idempotent").isSameAs(summaries);
      }
      insideBeforeClose = HostState.threadsIn(inodes);
      long after = System.currentTimeMillis();
      // ARP request and reply, then five datagrams, seen leaving blue and arriving in red.
      for (PacketCapture.Summary summary : summaries) {
        assertThat(summary.failure()).isNull();
        assertThat(summary.frames())
            .as(summary.target().file().toString())
            .isGreaterThanOrEqualTo(7);
        assertThat(summary.bytes()).isEqualTo(Files.size(summary.target().file()));
        assertThat(udpPayloads(summary.target().file(), before, after))
            .containsExactly(0, 1, 2, 3, 4);
      }
    }
    // Other tests run meanwhile, and may get a namespace with one of these inode numbers once the
    // kernel has freed ours: look only for the threads that were inside before the close.
    List<TaskInfo> stillInside = HostState.threadsIn(inodes);
    stillInside.retainAll(insideBeforeClose);
    assertThat(stillInside).as("threads left inside after close").isEmpty();
    assertThat(Thread.getAllStackTraces().keySet())
        .noneMatch(t -> t.getName().equals("netns-capture test"));
  }

  @Test
  void anInterruptedStopStillWaitsForTheThreadBeforeClosingItsSockets() throws Exception {
    try (NetworkNamespace blue = NetworkNamespace.create("blue");
        NetworkNamespace red = NetworkNamespace.create("red")) {
      Links.createVeth(blue, "eth0", red, "eth0");
      Links.setUp(blue, "eth0", true);
      PacketCapture.Target target = new PacketCapture.Target(blue, "eth0", dir.resolve("i.pcap"));
      PacketCapture capture =
          PacketCapture.start(List.of(target), "netns-capture interrupted", 1 << 20);
      List<PacketCapture.Summary> summaries;
      boolean stillInterrupted;
      Thread.currentThread().interrupt();
      try {
        summaries = capture.stop();
      } finally {
        stillInterrupted = Thread.interrupted();
      }
      // Closed only once the thread that polls them is gone: never under it.
      assertThat(Thread.getAllStackTraces().keySet())
          .noneMatch(t -> t.getName().equals("netns-capture interrupted"));
      assertThat(summaries.get(0).failure()).isNull();
      assertThat(stillInterrupted).as("the interrupt is kept for the caller").isTrue();
    }
  }

  /** The packet sockets open in a namespace, as the kernel lists them (header line left out). */
  private static List<String> packetSockets(NetworkNamespace ns) throws Exception {
    List<String> lines = ns.call(() -> Files.readAllLines(Path.of("/proc/thread-self/net/packet")));
    return lines.subList(1, lines.size());
  }

  /** The one-byte payloads of the IPv4 UDP frames of a pcap file, checking each timestamp. */
  private static List<Integer> udpPayloads(Path file, long fromMillis, long toMillis)
      throws Exception {
    ByteBuffer pcap = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    assertThat(pcap.getInt(0)).isEqualTo(0xa1b2c3d4);
    List<Integer> payloads = new java.util.ArrayList<>();
    int at = 24;
    while (at < pcap.limit()) {
      long millis = pcap.getInt(at) * 1000L + pcap.getInt(at + 4) / 1000;
      assertThat(millis).isBetween(fromMillis - 1, toMillis + 1);
      int length = pcap.getInt(at + 8);
      int frame = at + 16;
      boolean ipv4 = (pcap.get(frame + 12) & 0xff) == 0x08 && pcap.get(frame + 13) == 0;
      if (ipv4 && pcap.get(frame + 14 + 9) == 17) {
        payloads.add((int) pcap.get(frame + 14 + 20 + 8));
      }
      at = frame + length;
    }
    return payloads;
  }
}
