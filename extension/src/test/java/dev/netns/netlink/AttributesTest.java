package dev.netns.netlink;

import static dev.netns.netlink.Netlink.NLA_F_NESTED;
import static dev.netns.netlink.Netlink.NLA_F_NET_BYTEORDER;
import static dev.netns.netlink.Netlink.NLA_HDRLEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Round trips through {@link MessageWriter} and {@link Attributes#parse}, and what the parser does
 * with bytes that are not netlink. Independent of the host's byte order.
 */
class AttributesTest {
  private static final int RTM_TEST = 100;
  private static final int HEADER = 4; // a family header of four bytes, like struct rtgenmsg padded

  @Test
  void scalarsStringsAndRawBytesComeBackAsWritten() {
    Attributes parsed =
        roundTrip(
            w -> {
              w.putU8Attribute(1, 0xab);
              w.putU32Attribute(2, 0xdeadbeef);
              w.putString(3, "veth0");
              w.putAttribute(4, new byte[] {10, 1, 1, 1});
              w.putAttribute(5, new byte[0]);
            });

    assertThat(parsed.all()).extracting(Attribute::type).containsExactly(1, 2, 3, 4, 5);
    assertThat(parsed.get(1).orElseThrow().u8()).isEqualTo(0xab);
    assertThat(parsed.u32(2, 0)).isEqualTo(0xdeadbeef);
    assertThat(parsed.string(3)).isEqualTo("veth0");
    assertThat(parsed.bytes(3)).containsExactly('v', 'e', 't', 'h', '0', 0);
    assertThat(parsed.bytes(4)).containsExactly(10, 1, 1, 1);
    assertThat(parsed.bytes(5)).isEmpty();
    assertThat(parsed.get(6)).isEmpty();
    assertThat(parsed.u32(6, -1)).isEqualTo(-1);
    assertThat(parsed.string(6)).isNull();
  }

  /**
   * Strings of every length modulo four: {@code nla_len} counts the NUL but not the padding, and
   * the next attribute starts at the next multiple of four.
   */
  @ParameterizedTest
  @ValueSource(strings = {"a", "ab", "abc", "abcd", "abcde", "veth0", "eth0.100"})
  void oddLengthStringsArePaddedAndTheNextAttributeIsAligned(String name) {
    MessageWriter w = new MessageWriter();
    w.beginMessage(RTM_TEST, 0, 1);
    w.putU32(0);
    w.putString(3, name);
    w.putU32Attribute(4, 0x01020304);
    w.endMessage();
    byte[] bytes = w.toByteArray();

    int stringAt = Netlink.NLMSG_HDRLEN + HEADER;
    int nlaLen = NLA_HDRLEN + name.length() + 1;
    int paddedLength = (nlaLen + 3) & ~3;
    ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder());
    assertThat(buffer.getShort(stringAt)).as("nla_len").isEqualTo((short) nlaLen);
    for (int i = stringAt + nlaLen; i < stringAt + paddedLength; i++) {
      assertThat(bytes[i]).as("padding byte at %d", i).isZero();
    }
    assertThat(buffer.getShort(stringAt + paddedLength + 2))
        .as("type of the attribute after the string")
        .isEqualTo((short) 4);
    assertThat(bytes).hasSize(stringAt + paddedLength + 8);
    assertThat(buffer.getInt(0)).as("nlmsg_len").isEqualTo(bytes.length);

    Attributes parsed = single(bytes).attributes(HEADER);
    assertThat(parsed.string(3)).isEqualTo(name);
    assertThat(parsed.u32(4, 0)).isEqualTo(0x01020304);
  }

  @Test
  void nestedAttributesCarryTheirLengthAndComeBackAsATree() {
    MessageWriter w = new MessageWriter();
    w.beginMessage(RTM_TEST, 0, 1);
    w.putU32(0);
    int outer = w.beginNested(18);
    w.putString(1, "veth");
    int middle = w.beginNested(2);
    int inner = w.beginNested(1);
    w.putString(3, "veth1");
    w.endNested(inner);
    w.endNested(middle);
    w.endNested(outer);
    w.putU8Attribute(7, 1);
    w.endMessage();
    byte[] bytes = w.toByteArray();

    ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder());
    // outer = 4 + "veth\0" (9 -> 12) + middle (4 + inner (4 + "veth1\0" (10 -> 12)))
    assertThat(buffer.getShort(outer)).as("outer nla_len").isEqualTo((short) 36);
    assertThat(buffer.getShort(middle)).as("middle nla_len").isEqualTo((short) 20);
    assertThat(buffer.getShort(inner)).as("inner nla_len").isEqualTo((short) 16);

    Attributes parsed = single(bytes).attributes(HEADER);
    assertThat(parsed.all()).extracting(Attribute::type).containsExactly(18, 7);
    Attributes linkInfo = parsed.get(18).orElseThrow().nested();
    assertThat(linkInfo.string(1)).isEqualTo("veth");
    Attributes data = linkInfo.get(2).orElseThrow().nested();
    assertThat(data.get(1).orElseThrow().nested().string(3)).isEqualTo("veth1");
    assertThat(parsed.get(7).orElseThrow().u8()).isEqualTo(1);
  }

  /**
   * Types the codec has no constant for come back in order with their exact value, and the two flag
   * bits are split off the type: {@code NLA_F_NESTED} reported, {@code NLA_F_NET_BYTEORDER}
   * dropped.
   */
  @Test
  void unknownAttributeTypesArePreservedInOrder() {
    Attributes parsed =
        roundTrip(
            w -> {
              w.putAttribute(0x3fff, new byte[] {1, 2, 3});
              w.putU32Attribute(2, 7);
              w.putAttribute(0x1234 | NLA_F_NET_BYTEORDER, new byte[] {0, 0, 0, 80});
              int nest = w.beginNested(0x0777 | NLA_F_NESTED);
              w.putAttribute(0x2222, new byte[] {9});
              w.endNested(nest);
              w.putAttribute(0x3fff, new byte[] {4});
            });

    assertThat(parsed.all())
        .containsExactly(
            new Attribute(0x3fff, false, new byte[] {1, 2, 3}),
            new Attribute(2, false, u32(7)),
            new Attribute(0x1234, false, new byte[] {0, 0, 0, 80}),
            new Attribute(0x0777, true, attribute(0x2222, new byte[] {9, 0, 0, 0}, 5)),
            new Attribute(0x3fff, false, new byte[] {4}));
    assertThat(parsed.bytes(0x3fff)).as("the first of two").containsExactly(1, 2, 3);
    assertThat(parsed.get(0x0777).orElseThrow().nested().all())
        .containsExactly(new Attribute(0x2222, false, new byte[] {9}));
  }

  @Test
  void batchedMessagesComeBackSeparately() {
    MessageWriter w = new MessageWriter();
    LinkRequests.setUp(3, true).writeTo(w, 7);
    LinkRequests.newLink("br0", "bridge").writeTo(w, 8);
    byte[] bytes = w.toByteArray();

    List<NetlinkMessage> messages = NetlinkMessage.parseAll(bytes, bytes.length);

    assertThat(messages).extracting(NetlinkMessage::seq).containsExactly(7, 8);
    assertThat(IfInfoMsg.decode(messages.get(0).body()))
        .isEqualTo(new IfInfoMsg(0, 0, 3, IfLink.IFF_UP, IfLink.IFF_UP));
    Attributes bridge = messages.get(1).attributes(IfInfoMsg.SIZE);
    assertThat(bridge.string(IfLink.IFLA_IFNAME)).isEqualTo("br0");
    assertThat(
            bridge.get(IfLink.IFLA_LINKINFO).orElseThrow().nested().string(IfLink.IFLA_INFO_KIND))
        .isEqualTo("bridge");
  }

  /**
   * The last attribute may end without padding, as in a nested attribute whose own length the
   * sender did not round up; the parser must not read past the end for it.
   */
  @Test
  void lastAttributeWithoutPaddingIsAccepted() {
    byte[] bytes = concat(attribute(1, u32(5), 8), attribute(2, new byte[] {'x'}, 5));

    Attributes parsed = Attributes.parse(wrap(bytes));

    assertThat(parsed.all())
        .containsExactly(
            new Attribute(1, false, u32(5)), new Attribute(2, false, new byte[] {'x'}));
  }

  @Test
  void attributeLongerThanItsMessageIsRejected() {
    // IFA_LOCAL claiming 12 bytes where only 8 remain.
    byte[] bytes = concat(attribute(1, u32(5), 8), attribute(2, new byte[] {10, 1, 1, 1}, 12));

    assertThatThrownBy(() -> Attributes.parse(wrap(bytes)))
        .isInstanceOf(NetlinkFormatException.class)
        .hasMessage("attribute at offset 8 has length 12 beyond its message");
  }

  @Test
  void attributeLongerThanItsMessageIsRejectedWhenReadFromAMessage() {
    MessageWriter w = new MessageWriter();
    w.beginMessage(RTM_TEST, 0, 1);
    w.putU32(0);
    w.putU32Attribute(2, 7);
    w.endMessage();
    byte[] bytes = w.toByteArray();
    // nla_len 8 -> 64: the attribute now claims to run past the end of the message.
    ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder()).putShort(20, (short) 64);
    NetlinkMessage message = single(bytes);

    assertThatThrownBy(() -> message.attributes(HEADER))
        .isInstanceOf(NetlinkFormatException.class)
        .hasMessage("attribute at offset 4 has length 64 beyond its message");
  }

  @Test
  void attributeShorterThanItsHeaderIsRejected() {
    // nla_len 2 would make the parser loop on the same bytes or step backwards.
    byte[] bytes = attribute(1, new byte[] {0, 0, 0, 0}, 2);

    assertThatThrownBy(() -> Attributes.parse(wrap(bytes)))
        .isInstanceOf(NetlinkFormatException.class)
        .hasMessageContaining("attribute at offset 0 has length 2");
  }

  @Test
  void nestedAttributeLongerThanItsParentIsRejected() {
    byte[] inner = attribute(3, u32(1), 16);
    Attribute outer = new Attribute(18, false, inner);

    assertThatThrownBy(outer::nested)
        .isInstanceOf(NetlinkFormatException.class)
        .hasMessage("attribute at offset 0 has length 16 beyond its message");
  }

  @Test
  void messageLongerThanItsDatagramIsRejected() {
    byte[] bytes = LinkRequests.setUp(3, true).encode(1);

    assertThatThrownBy(() -> NetlinkMessage.parseAll(bytes, bytes.length - 4))
        .isInstanceOf(NetlinkFormatException.class)
        .hasMessage("message at offset 0 has length 32 beyond the datagram");
  }

  private static Attributes roundTrip(Consumer<MessageWriter> attributes) {
    MessageWriter w = new MessageWriter();
    w.beginMessage(RTM_TEST, 0, 1);
    w.putU32(0);
    attributes.accept(w);
    w.endMessage();
    byte[] bytes = w.toByteArray();
    assertThat(bytes.length % 4).as("message length is a multiple of four").isZero();
    return single(bytes).attributes(HEADER);
  }

  private static NetlinkMessage single(byte[] bytes) {
    List<NetlinkMessage> messages = NetlinkMessage.parseAll(bytes, bytes.length);
    assertThat(messages).hasSize(1);
    return messages.get(0);
  }

  /** An attribute written by hand, with {@code nlaLen} as given, however wrong. */
  private static byte[] attribute(int type, byte[] value, int nlaLen) {
    ByteBuffer buffer =
        ByteBuffer.allocate(NLA_HDRLEN + value.length).order(ByteOrder.nativeOrder());
    buffer.putShort((short) nlaLen).putShort((short) type).put(value);
    return buffer.array();
  }

  private static byte[] u32(int value) {
    return ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(value).array();
  }

  private static byte[] concat(byte[] first, byte[] second) {
    byte[] both = new byte[first.length + second.length];
    System.arraycopy(first, 0, both, 0, first.length);
    System.arraycopy(second, 0, both, first.length, second.length);
    return both;
  }

  private static ByteBuffer wrap(byte[] bytes) {
    return ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder());
  }
}
