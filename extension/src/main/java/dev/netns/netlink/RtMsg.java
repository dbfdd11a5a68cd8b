package dev.netns.netlink;

import java.nio.ByteBuffer;

/** {@code struct rtmsg}: the family header of route messages (12 bytes). */
public record RtMsg(
    int family,
    int dstLength,
    int srcLength,
    int tos,
    int table,
    int protocol,
    int scope,
    int type,
    int flags) {
  public static final int SIZE = 12;

  public void writeTo(MessageWriter w) {
    w.putU8(family)
        .putU8(dstLength)
        .putU8(srcLength)
        .putU8(tos)
        .putU8(table)
        .putU8(protocol)
        .putU8(scope)
        .putU8(type)
        .putU32(flags);
  }

  public static RtMsg decode(ByteBuffer body) {
    return new RtMsg(
        body.get() & 0xff,
        body.get() & 0xff,
        body.get() & 0xff,
        body.get() & 0xff,
        body.get() & 0xff,
        body.get() & 0xff,
        body.get() & 0xff,
        body.get() & 0xff,
        body.getInt());
  }
}
