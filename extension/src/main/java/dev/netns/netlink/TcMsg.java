package dev.netns.netlink;

import java.nio.ByteBuffer;

/** {@code struct tcmsg}: the family header of traffic-control messages (20 bytes). */
public record TcMsg(int family, int index, int handle, int parent, int info) {
  public static final int SIZE = 20;

  public void writeTo(MessageWriter w) {
    w.putU8(family).putU8(0).putU16(0).putU32(index).putU32(handle).putU32(parent).putU32(info);
  }

  public static TcMsg decode(ByteBuffer body) {
    int family = body.get() & 0xff;
    body.get(); // tcm__pad1
    body.getShort(); // tcm__pad2
    return new TcMsg(family, body.getInt(), body.getInt(), body.getInt(), body.getInt());
  }
}
