package dev.netns.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netns.testing.Requirements;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The forwarder's ring port on a bare veth pair: raw frames of a local experimental ethertype sent
 * from one end's ring and read from the other's, so that no IP traffic of the kernel's own mixes
 * in.
 */
@Tag("privileged")
class PacketRingTest {
  private static final int ETHERTYPE_LOCAL_EXPERIMENTAL = 0x88B5;

  @BeforeEach
  void requirePrivileges() {
    Requirements.requireNamespaces();
  }

  @Test
  void framesArriveInOrderAndNoneIsLostAtAModestRate() throws Exception {
    try (NetworkNamespace blue = NetworkNamespace.create("blue");
        NetworkNamespace red = NetworkNamespace.create("red")) {
      pair(blue, red, 1500);
      try (PacketRing out = PacketRing.open(blue, "red");
          PacketRing in = PacketRing.open(red, "blue")) {
        int frames = 5_000;
        CompletableFuture<List<Integer>> received = readSequence(in, frames);
        for (int i = 0; i < frames; i++) {
          out.enqueue(frame(i, i % 2 == 0 ? 60 : 1514));
          if (i % 20 == 19) {
            assertThat(out.flush()).isEqualTo(20);
            Thread.sleep(1); // about 20,000 frames per second at most: well within a ring's reach
          }
        }
        List<Integer> got = received.get(10, TimeUnit.SECONDS);
        assertThat(got).hasSize(frames);
        for (int i = 0; i < frames; i++) {
          assertThat(got.get(i)).as("frame %d", i).isEqualTo(i);
        }
        // Nothing more of ours: no frame came twice.
        assertThat(drain(in)).noneMatch(PacketRingTest::ours);
      }
    }
  }

  @Test
  void frameLongerThanARingSlotArrivesWhole() throws Exception {
    try (NetworkNamespace blue = NetworkNamespace.create("blue");
        NetworkNamespace red = NetworkNamespace.create("red")) {
      pair(blue, red, 9000);
      try (PacketRing out = PacketRing.open(blue, "red");
          PacketRing in = PacketRing.open(red, "blue")) {
        CompletableFuture<List<byte[]>> received = read(in, 3);
        out.enqueue(frame(1, 100));
        out.enqueue(frame(2, 9014)); // over the 2 KiB slot
        out.enqueue(frame(3, 100));
        assertThat(out.flush()).isEqualTo(3);
        List<byte[]> got = received.get(10, TimeUnit.SECONDS);
        assertThat(got).extracting(f -> f.length).containsExactly(100, 9014, 100);
        assertThat(got.get(1)).isEqualTo(frame(2, 9014));
        assertThat(got).extracting(PacketRingTest::sequence).containsExactly(1, 2, 3);
      }
    }
  }

  @Test
  void lentFramesStayIntactUntilGivenBackAndTheirArraysAreLentAgain() throws Exception {
    try (NetworkNamespace blue = NetworkNamespace.create("blue");
        NetworkNamespace red = NetworkNamespace.create("red")) {
      pair(blue, red, 1500);
      try (PacketRing out = PacketRing.open(blue, "red");
          PacketRing in = PacketRing.open(red, "blue")) {
        // A burst held whole before any array goes back: none may share an array with another.
        int frames = 200;
        for (int i = 0; i < frames; i++) {
          out.enqueue(frame(i, 60 + (i * 37) % 1455));
        }
        assertThat(out.flush()).isEqualTo(frames);
        List<byte[]> first = lend(in, frames);
        assertThat(first).hasSize(frames);
        java.util.Set<byte[]> arrays =
            java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        arrays.addAll(first);
        assertThat(arrays).hasSize(frames);
        for (int i = 0; i < frames; i++) {
          byte[] expected = frame(i, 60 + (i * 37) % 1455);
          assertThat(java.util.Arrays.copyOf(first.get(i), expected.length))
              .as("frame %d", i)
              .isEqualTo(expected);
        }
        first.forEach(in::recycle);

        // The second burst lands in the same arrays, long frames where short ones were and the
        // other way round, and still reads back exactly.
        for (int i = 0; i < frames; i++) {
          out.enqueue(frame(1000 + i, 1514 - (i * 37) % 1455));
        }
        assertThat(out.flush()).isEqualTo(frames);
        List<byte[]> second = lend(in, frames);
        assertThat(second).hasSize(frames);
        assertThat(second).allMatch(arrays::contains);
        for (int i = 0; i < frames; i++) {
          byte[] expected = frame(1000 + i, 1514 - (i * 37) % 1455);
          assertThat(java.util.Arrays.copyOf(second.get(i), expected.length))
              .as("frame %d", 1000 + i)
              .isEqualTo(expected);
        }
      }
    }
  }

  /**
   * Frames of ours lent by {@code in}, until {@code count} came or 8 s passed, each checked against
   * the length the port gave for it; others are given back at once.
   */
  private static List<byte[]> lend(PacketRing in, int count) {
    List<byte[]> got = new ArrayList<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(8);
    while (got.size() < count && System.nanoTime() < deadline) {
      byte[] frame = in.lendNow();
      if (frame == null) {
        in.await(TimeUnit.MILLISECONDS.toNanos(10));
      } else if (in.length() >= 18 && ours(frame)) {
        int length = in.length();
        assertThat(length).isEqualTo(length(sequence(frame)));
        got.add(frame);
      } else {
        in.recycle(frame);
      }
    }
    return got;
  }

  /** The length {@link #lentFramesStayIntactUntilGivenBackAndTheirArraysAreLentAgain} sent. */
  private static int length(int sequence) {
    return sequence < 1000 ? 60 + (sequence * 37) % 1455 : 1514 - ((sequence - 1000) * 37) % 1455;
  }

  @Test
  void receiveWaitsAtMostItsTimeoutAndCloseWaitsForAReaderBlockedInIt() throws Exception {
    try (NetworkNamespace blue = NetworkNamespace.create("blue");
        NetworkNamespace red = NetworkNamespace.create("red")) {
      pair(blue, red, 1500);
      PacketRing in = PacketRing.open(red, "blue");
      long start = System.nanoTime();
      drain(in); // the kernel's own IPv6 router solicitations and MLD reports, if any came
      assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(5));

      CompletableFuture<byte[]> blocked = CompletableFuture.supplyAsync(in::receive);
      Thread.sleep(30); // in poll(2) by now, as a rule
      in.close();
      assertThat(blocked.get(2, TimeUnit.SECONDS)).isNull();
      assertThat(in.receive()).isNull();
      in.close(); // idempotent
    }
  }

  /** Frames received until one receive times out (100 ms without a frame). */
  private static List<byte[]> drain(PacketRing in) {
    List<byte[]> rest = new ArrayList<>();
    for (byte[] frame = in.receive(); frame != null; frame = in.receive()) {
      rest.add(frame);
    }
    return rest;
  }

  private static void pair(NetworkNamespace blue, NetworkNamespace red, int mtu) {
    Links.createVeth(blue, "red", red, "blue");
    Links.setMtu(blue, "red", mtu);
    Links.setMtu(red, "blue", mtu);
    Links.setUpNoArp(blue, "red");
    Links.setUpNoArp(red, "blue");
  }

  /** A broadcast frame of {@code length} bytes carrying {@code sequence} after its header. */
  private static byte[] frame(int sequence, int length) {
    ByteBuffer frame = ByteBuffer.allocate(length);
    for (int i = 0; i < 6; i++) {
      frame.put((byte) 0xff);
    }
    frame.put(new byte[] {0x02, 0, 0, 0, 0, 1});
    frame.putShort((short) ETHERTYPE_LOCAL_EXPERIMENTAL);
    frame.putInt(sequence);
    for (int i = frame.position(); i < length; i++) {
      frame.put((byte) (i * 31 + sequence));
    }
    return frame.array();
  }

  private static int sequence(byte[] frame) {
    return ByteBuffer.wrap(frame, 14, 4).getInt();
  }

  private static boolean ours(byte[] frame) {
    return frame.length >= 18 && ((frame[12] & 0xff) << 8 | (frame[13] & 0xff)) == 0x88B5;
  }

  private static CompletableFuture<List<byte[]>> read(PacketRing in, int count) {
    return CompletableFuture.supplyAsync(
        () -> {
          List<byte[]> got = new ArrayList<>();
          long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(8);
          while (got.size() < count && System.nanoTime() < deadline) {
            byte[] frame = in.receive();
            if (frame != null && ours(frame)) {
              got.add(frame);
            }
          }
          return got;
        });
  }

  private static CompletableFuture<List<Integer>> readSequence(PacketRing in, int count) {
    return read(in, count).thenApply(f -> f.stream().map(PacketRingTest::sequence).toList());
  }
}
