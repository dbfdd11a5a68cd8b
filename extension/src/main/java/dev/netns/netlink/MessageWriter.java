package dev.netns.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes netlink messages into one growing buffer in host byte order.
 *
 * <p>The only place that computes lengths and padding: callers open a message or a nested
 * attribute, write its content, and close it; the writer fills in {@code nlmsg_len} and {@code
 * nla_len} and pads to four bytes. Several messages may follow each other in one buffer, which is
 * how requests are batched into one {@code send}.
 *
 * <pre>{@code
 * MessageWriter w = new MessageWriter();
 * w.beginMessage(RTM_NEWLINK, NLM_F_REQUEST | NLM_F_ACK, 1);
 * new IfInfoMsg(AF_UNSPEC, 0, 0, 0, 0).writeTo(w);
 * w.putString(IFLA_IFNAME, "eth0");
 * w.endMessage();
 * byte[] bytes = w.toByteArray();
 * }</pre>
 */
public final class MessageWriter {
  private ByteBuffer buffer = ByteBuffer.allocate(256).order(ByteOrder.nativeOrder());
  private int messageStart = -1;

  /** Starts a message: writes an {@code nlmsghdr} whose length {@link #endMessage} fills in. */
  public MessageWriter beginMessage(int type, int flags, int seq) {
    if (messageStart >= 0) {
      throw new IllegalStateException("message at " + messageStart + " is still open");
    }
    padToAlignment();
    messageStart = buffer.position();
    ensure(Netlink.NLMSG_HDRLEN);
    buffer.putInt(0); // nlmsg_len, filled in by endMessage
    buffer.putShort((short) type);
    buffer.putShort((short) flags);
    buffer.putInt(seq);
    buffer.putInt(0); // nlmsg_pid: 0 lets the kernel fill in the sender
    return this;
  }

  /** Ends the current message, filling in its length; the padding comes before the next one. */
  public MessageWriter endMessage() {
    if (messageStart < 0) {
      throw new IllegalStateException("no message is open");
    }
    padToAlignment();
    buffer.putInt(messageStart, buffer.position() - messageStart);
    messageStart = -1;
    return this;
  }

  public MessageWriter putU8(int value) {
    ensure(1);
    buffer.put((byte) value);
    return this;
  }

  public MessageWriter putU16(int value) {
    ensure(2);
    buffer.putShort((short) value);
    return this;
  }

  public MessageWriter putU32(int value) {
    ensure(4);
    buffer.putInt(value);
    return this;
  }

  public MessageWriter putBytes(byte[] bytes) {
    ensure(bytes.length);
    buffer.put(bytes);
    return this;
  }

  /** An attribute with raw content. */
  public MessageWriter putAttribute(int type, byte[] value) {
    if (Netlink.NLA_HDRLEN + value.length > 0xffff) {
      throw new IllegalArgumentException(
          "attribute " + type + " of " + value.length + " bytes does not fit nla_len (16 bits)");
    }
    padToAlignment();
    ensure(Netlink.NLA_HDRLEN + value.length);
    buffer.putShort((short) (Netlink.NLA_HDRLEN + value.length));
    buffer.putShort((short) type);
    buffer.put(value);
    padToAlignment();
    return this;
  }

  /** A NUL-terminated string attribute, as {@code IFLA_IFNAME} and {@code TCA_KIND} take. */
  public MessageWriter putString(int type, String value) {
    byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
    return putAttribute(type, Arrays.copyOf(utf8, utf8.length + 1));
  }

  public MessageWriter putU8Attribute(int type, int value) {
    return putAttribute(type, new byte[] {(byte) value});
  }

  public MessageWriter putU32Attribute(int type, int value) {
    byte[] raw = new byte[4];
    ByteBuffer.wrap(raw).order(ByteOrder.nativeOrder()).putInt(value);
    return putAttribute(type, raw);
  }

  /**
   * Opens a nested attribute; returns a token for {@link #endNested}. The type is written as given
   * (rtnetlink's nests such as {@code IFLA_LINKINFO} do not carry {@code NLA_F_NESTED}).
   */
  public int beginNested(int type) {
    padToAlignment();
    int start = buffer.position();
    ensure(Netlink.NLA_HDRLEN);
    buffer.putShort((short) 0);
    buffer.putShort((short) type);
    return start;
  }

  /** Closes the nested attribute opened at {@code token}. */
  public MessageWriter endNested(int token) {
    padToAlignment();
    if (buffer.position() - token > 0xffff) {
      throw new IllegalStateException(
          "nested attribute of " + (buffer.position() - token) + " bytes does not fit nla_len");
    }
    buffer.putShort(token, (short) (buffer.position() - token));
    return this;
  }

  /** The bytes written so far. */
  public byte[] toByteArray() {
    if (messageStart >= 0) {
      throw new IllegalStateException("message at " + messageStart + " is still open");
    }
    return Arrays.copyOf(buffer.array(), buffer.position());
  }

  /** Number of bytes written so far. */
  public int size() {
    return buffer.position();
  }

  private void padToAlignment() {
    int padding = Netlink.align(buffer.position()) - buffer.position();
    ensure(padding);
    for (int i = 0; i < padding; i++) {
      buffer.put((byte) 0);
    }
  }

  private void ensure(int more) {
    if (buffer.remaining() < more) {
      ByteBuffer bigger =
          ByteBuffer.allocate(Math.max(buffer.capacity() * 2, buffer.position() + more))
              .order(ByteOrder.nativeOrder());
      buffer.flip();
      bigger.put(buffer);
      buffer = bigger;
    }
  }
}
