package dev.netns.netlink;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteOrder;
import java.util.HexFormat;

/**
 * Golden byte arrays for the codec tests, written one commented field per row, and a comparison
 * whose failure message shows both sides as lines of four bytes with their offsets, so a mismatch
 * points at the field that differs.
 */
final class GoldenBytes {
  private GoldenBytes() {}

  /**
   * The golden tables are little-endian (x86_64, aarch64) because the codec writes host byte order,
   * as the kernel expects; golden test classes use this with {@code @EnabledIf}.
   */
  static boolean littleEndianHost() {
    return ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;
  }

  /**
   * A golden table: its rows concatenated. One row per field keeps each field's comment beside its
   * bytes, which the formatter would not allow in one {@code int[]} initializer.
   */
  static byte[] of(byte[]... rows) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] row : rows) {
      out.writeBytes(row);
    }
    return out.toByteArray();
  }

  /** The bytes {@code 0x00..0xff} of one field, as written in a golden table. */
  static byte[] row(int... values) {
    byte[] bytes = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      if (values[i] < 0 || values[i] > 0xff) {
        throw new IllegalArgumentException("not a byte at index " + i + ": " + values[i]);
      }
      bytes[i] = (byte) values[i];
    }
    return bytes;
  }

  /** Bytes as captured from strace or a kernel reply, written as one hex string. */
  static byte[] hex(String hex) {
    return HexFormat.of().parseHex(hex);
  }

  static void assertBytes(byte[] actual, byte[] expected) {
    assertThat(dump(actual)).isEqualTo(dump(expected));
  }

  /** One line per four bytes, {@code "0024: 0a 01 01 01"}, as netlink aligns to four. */
  static String dump(byte[] bytes) {
    StringBuilder out = new StringBuilder();
    for (int row = 0; row < bytes.length; row += 4) {
      out.append(String.format("%04d:", row));
      for (int i = row; i < Math.min(row + 4, bytes.length); i++) {
        out.append(String.format(" %02x", bytes[i] & 0xff));
      }
      out.append('\n');
    }
    return out.toString();
  }
}
