package dev.netns.netlink;

import java.nio.ByteBuffer;

/** {@code struct ndmsg}: the family header of neighbour messages (12 bytes). */
public record NdMsg(int family, int index, int state, int flags, int type) {
  public static final int SIZE = 12;

  public void writeTo(MessageWriter w) {
    w.putU8(family).putU8(0).putU16(0).putU32(index).putU16(state).putU8(flags).putU8(type);
  }

  public static NdMsg decode(ByteBuffer body) {
    int family = body.get() & 0xff;
    body.get(); // ndm_pad1
    body.getShort(); // ndm_pad2
    return new NdMsg(
        family, body.getInt(), body.getShort() & 0xffff, body.get() & 0xff, body.get() & 0xff);
  }
}
