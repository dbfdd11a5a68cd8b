package dev.netns.netlink;

import java.nio.ByteBuffer;

/** {@code struct ifaddrmsg}: the family header of address messages (8 bytes). */
public record IfAddrMsg(int family, int prefixLength, int flags, int scope, int index) {
  public static final int SIZE = 8;

  public void writeTo(MessageWriter w) {
    w.putU8(family).putU8(prefixLength).putU8(flags).putU8(scope).putU32(index);
  }

  public static IfAddrMsg decode(ByteBuffer body) {
    return new IfAddrMsg(
        body.get() & 0xff, body.get() & 0xff, body.get() & 0xff, body.get() & 0xff, body.getInt());
  }
}
