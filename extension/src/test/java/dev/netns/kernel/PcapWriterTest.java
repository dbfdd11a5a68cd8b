package dev.netns.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;

/** The pcap file format, byte for byte (pcap-savefile(5), little-endian). */
class PcapWriterTest {

  @Test
  void writesTheGlobalHeaderAndOneRecord() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (PcapWriter pcap = new PcapWriter(out, 262_144, 1 << 20)) {
      // 1.000002 s after the epoch, 3 bytes captured of 60 on the wire
      assertThat(pcap.write(1_000_002L, new byte[] {1, 2, 3}, 3, 60)).isTrue();
      assertThat(pcap.frames()).isEqualTo(1);
      assertThat(pcap.bytes()).isEqualTo(24 + 16 + 3);
    }
    assertThat(out.toByteArray())
        .containsExactly(
            // global header
            0xd4,
            0xc3,
            0xb2,
            0xa1, // magic 0xa1b2c3d4: microsecond timestamps
            0x02,
            0x00, // version major 2
            0x04,
            0x00, // version minor 4
            0x00,
            0x00,
            0x00,
            0x00, // thiszone: UTC
            0x00,
            0x00,
            0x00,
            0x00, // sigfigs
            0x00,
            0x00,
            0x04,
            0x00, // snaplen 262144
            0x01,
            0x00,
            0x00,
            0x00, // linktype 1: Ethernet
            // record header
            0x01,
            0x00,
            0x00,
            0x00, // ts_sec 1
            0x02,
            0x00,
            0x00,
            0x00, // ts_usec 2
            0x03,
            0x00,
            0x00,
            0x00, // incl_len 3
            0x3c,
            0x00,
            0x00,
            0x00, // orig_len 60
            // the frame
            0x01,
            0x02,
            0x03);
  }

  @Test
  void cutsFramesToTheSnapshotLength() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (PcapWriter pcap = new PcapWriter(out, 2, 1 << 20)) {
      pcap.write(0, new byte[] {1, 2, 3, 4}, 4, 4);
    }
    byte[] file = out.toByteArray();
    assertThat(file).hasSize(24 + 16 + 2);
    assertThat(file[24 + 8]).as("incl_len").isEqualTo((byte) 2);
    assertThat(file[24 + 12]).as("orig_len").isEqualTo((byte) 4);
  }

  @Test
  void stopsWritingAtItsSizeBoundAndCountsWhatItLeftOut() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (PcapWriter pcap = new PcapWriter(out, 1500, 24 + 2 * (16 + 100))) {
      byte[] frame = new byte[100];
      assertThat(pcap.write(0, frame, 100, 100)).isTrue();
      assertThat(pcap.write(0, frame, 100, 100)).isTrue();
      assertThat(pcap.write(0, frame, 100, 100)).isFalse();
      // Once full it stays full, even for a frame that would still fit.
      assertThat(pcap.write(0, frame, 1, 1)).isFalse();
      assertThat(pcap.frames()).isEqualTo(2);
      assertThat(pcap.framesNotWritten()).isEqualTo(2);
      assertThat(pcap.isFull()).isTrue();
    }
    assertThat(out.size()).isEqualTo(24 + 2 * (16 + 100));
  }
}
