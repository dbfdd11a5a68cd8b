package dev.netns.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One netlink attribute as received: its type (without the nested and byte-order flags) and its
 * payload. Unknown attributes are kept as they came.
 */
public record Attribute(int type, boolean nestedFlag, byte[] value) {

  public int u8() {
    requireLength(1);
    return value[0] & 0xff;
  }

  public int u16() {
    requireLength(2);
    return ByteBuffer.wrap(value).order(ByteOrder.nativeOrder()).getShort() & 0xffff;
  }

  public int u32() {
    requireLength(4);
    return ByteBuffer.wrap(value).order(ByteOrder.nativeOrder()).getInt();
  }

  public long u64() {
    requireLength(8);
    return ByteBuffer.wrap(value).order(ByteOrder.nativeOrder()).getLong();
  }

  private void requireLength(int bytes) {
    if (value.length < bytes) {
      throw new NetlinkFormatException(
          "attribute " + type + " has " + value.length + " bytes; " + bytes + " expected");
    }
  }

  /** The value as a string, without the terminating NUL. */
  public String string() {
    int end = 0;
    while (end < value.length && value[end] != 0) {
      end++;
    }
    return new String(value, 0, end, StandardCharsets.UTF_8);
  }

  /** The attributes nested inside this one. */
  public Attributes nested() {
    return Attributes.parse(ByteBuffer.wrap(value).order(ByteOrder.nativeOrder()));
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Attribute a
        && a.type == type
        && a.nestedFlag == nestedFlag
        && Arrays.equals(a.value, value);
  }

  @Override
  public int hashCode() {
    return 31 * type + Arrays.hashCode(value);
  }

  @Override
  public String toString() {
    return "Attribute[type=" + type + ", length=" + value.length + "]";
  }
}
