package dev.netns.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * One received netlink message: its {@code nlmsghdr} fields and its payload (the family header
 * followed by attributes).
 */
public record NetlinkMessage(int type, int flags, int seq, int pid, byte[] payload) {

  /** Splits a datagram into its messages. */
  public static List<NetlinkMessage> parseAll(byte[] datagram, int length) {
    ByteBuffer buffer = ByteBuffer.wrap(datagram, 0, length).order(ByteOrder.nativeOrder());
    List<NetlinkMessage> messages = new ArrayList<>();
    while (buffer.remaining() >= Netlink.NLMSG_HDRLEN) {
      int start = buffer.position();
      int messageLength = buffer.getInt();
      int type = buffer.getShort() & 0xffff;
      int flags = buffer.getShort() & 0xffff;
      int seq = buffer.getInt();
      int pid = buffer.getInt();
      if (messageLength < Netlink.NLMSG_HDRLEN || start + messageLength > buffer.limit()) {
        throw new NetlinkFormatException(
            "message at offset " + start + " has length " + messageLength + " beyond the datagram");
      }
      byte[] payload = new byte[messageLength - Netlink.NLMSG_HDRLEN];
      buffer.get(payload);
      messages.add(new NetlinkMessage(type, flags, seq, pid, payload));
      buffer.position(Math.min(buffer.limit(), start + Netlink.align(messageLength)));
    }
    return messages;
  }

  /** The payload as a buffer in host byte order, positioned at its start. */
  public ByteBuffer body() {
    return ByteBuffer.wrap(payload).order(ByteOrder.nativeOrder());
  }

  /** The attributes after a family header of {@code headerLength} bytes. */
  public Attributes attributes(int headerLength) {
    ByteBuffer body = body();
    body.position(Math.min(Netlink.align(headerLength), payload.length));
    return Attributes.parse(body);
  }
}
