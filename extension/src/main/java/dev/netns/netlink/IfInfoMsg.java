package dev.netns.netlink;

import java.nio.ByteBuffer;

/** {@code struct ifinfomsg}: the family header of link messages (16 bytes). */
public record IfInfoMsg(int family, int type, int index, int flags, int change) {
  public static final int SIZE = 16;

  public void writeTo(MessageWriter w) {
    w.putU8(family).putU8(0).putU16(type).putU32(index).putU32(flags).putU32(change);
  }

  public static IfInfoMsg decode(ByteBuffer body) {
    int family = body.get() & 0xff;
    body.get(); // __ifi_pad
    int type = body.getShort() & 0xffff;
    return new IfInfoMsg(family, type, body.getInt(), body.getInt(), body.getInt());
  }
}
