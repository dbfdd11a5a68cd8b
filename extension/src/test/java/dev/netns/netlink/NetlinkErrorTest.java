package dev.netns.netlink;

import static dev.netns.netlink.GoldenBytes.row;
import static dev.netns.netlink.Netlink.NLMSGERR_ATTR_MSG;
import static dev.netns.netlink.Netlink.NLMSGERR_ATTR_OFFS;
import static dev.netns.netlink.Netlink.NLMSG_ERROR;
import static dev.netns.netlink.Netlink.NLM_F_ACK_TLVS;
import static dev.netns.netlink.Netlink.NLM_F_CAPPED;
import static dev.netns.netlink.Rtnetlink.RTM_NEWADDR;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * Decoding {@code NLMSG_ERROR} replies. Every reply here is a real one, recorded byte for byte
 * (kernel 6.18) from a Python {@code NETLINK_ROUTE} socket in a throwaway namespace that sent the
 * request of {@link AddressRequestsTest#ipv4Address} (seq 42, 10.1.1.1/24 on lo, ifindex 1) or, for
 * the policy error, a deliberately malformed variant of it (seq 43). Only {@code nlmsg_pid} depends
 * on the run: it is the port id the kernel gave that socket.
 */
@EnabledIf("dev.netns.netlink.GoldenBytes#littleEndianHost")
class NetlinkErrorTest {
  // linux/netlink.h; the codec does not use it, and the decoder must step over it.
  private static final int NLMSGERR_ATTR_POLICY = 4;

  /**
   * EEXIST with an extended-ack message, from a socket with {@code NETLINK_CAP_ACK} and {@code
   * NETLINK_EXT_ACK} set (as ours are), sending RTM_NEWADDR 10.1.1.1/24 a second time.
   */
  @Test
  void errorWithExtendedAckMessage() {
    byte[] reply =
        GoldenBytes.of(
            // struct nlmsghdr
            row(0x48, 0x00, 0x00, 0x00), // nlmsg_len = 72
            row(0x02, 0x00), // nlmsg_type = NLMSG_ERROR (2)
            row(0x00, 0x03), // nlmsg_flags = 0x300 = NLM_F_CAPPED|NLM_F_ACK_TLVS
            row(0x2a, 0x00, 0x00, 0x00), // nlmsg_seq = 42, the request's
            row(0x43, 0x10, 0x00, 0x00), // nlmsg_pid = 4163, the receiving socket's port id
            // struct nlmsgerr
            row(0xef, 0xff, 0xff, 0xff), // error = -17 (-EEXIST)
            // nlmsgerr.msg: the request's header only, as NLM_F_CAPPED says
            row(0x28, 0x00, 0x00, 0x00), // nlmsg_len = 40
            row(0x14, 0x00), // nlmsg_type = RTM_NEWADDR (20)
            row(0x05, 0x06), // nlmsg_flags = NLM_F_{REQUEST,ACK,EXCL,CREATE}
            row(0x2a, 0x00, 0x00, 0x00), // nlmsg_seq = 42
            row(0x00, 0x00, 0x00, 0x00), // nlmsg_pid = 0, as sent
            // NLMSGERR_ATTR_MSG
            row(0x23, 0x00), // nla_len = 35
            row(0x01, 0x00), // nla_type = NLMSGERR_ATTR_MSG (1)
            row(0x69, 0x70, 0x76, 0x34), // "ipv4"
            row(0x3a, 0x20, 0x41, 0x64), // ": Ad"
            row(0x64, 0x72, 0x65, 0x73), // "dres"
            row(0x73, 0x20, 0x61, 0x6c), // "s al"
            row(0x72, 0x65, 0x61, 0x64), // "read"
            row(0x79, 0x20, 0x61, 0x73), // "y as"
            row(0x73, 0x69, 0x67, 0x6e), // "sign"
            row(0x65, 0x64, 0x00), // "ed", NUL
            row(0x00) // padding to 4
            );

    NetlinkMessage message = single(reply);
    assertThat(message.type()).isEqualTo(NLMSG_ERROR);
    assertThat(message.flags()).isEqualTo(NLM_F_CAPPED | NLM_F_ACK_TLVS);
    assertThat(message.seq()).isEqualTo(42);
    assertThat(NetlinkError.decode(message))
        .isEqualTo(new NetlinkError(17, RTM_NEWADDR, 42, "ipv4: Address already assigned", -1));
    assertThat(NetlinkError.decode(message).isAck()).isFalse();
  }

  /** The ACK for the same request on a fresh namespace: error 0, header echoed, no TLVs. */
  @Test
  void plainAck() {
    byte[] reply =
        GoldenBytes.of(
            // struct nlmsghdr
            row(0x24, 0x00, 0x00, 0x00), // nlmsg_len = 36
            row(0x02, 0x00), // nlmsg_type = NLMSG_ERROR (2)
            row(
                0x00,
                0x01), // nlmsg_flags = 0x100 = NLM_F_CAPPED (the kernel never echoes for an ACK)
            row(0x2a, 0x00, 0x00, 0x00), // nlmsg_seq = 42
            row(0xbe, 0x10, 0x00, 0x00), // nlmsg_pid = 4286, the receiving socket's port id
            // struct nlmsgerr
            row(0x00, 0x00, 0x00, 0x00), // error = 0: success
            // nlmsgerr.msg: the request's header
            row(0x28, 0x00, 0x00, 0x00), // nlmsg_len = 40
            row(0x14, 0x00), // nlmsg_type = RTM_NEWADDR (20)
            row(0x05, 0x06), // nlmsg_flags = NLM_F_{REQUEST,ACK,EXCL,CREATE}
            row(0x2a, 0x00, 0x00, 0x00), // nlmsg_seq = 42
            row(0x00, 0x00, 0x00, 0x00) // nlmsg_pid = 0
            );

    NetlinkError ack = NetlinkError.decode(single(reply));

    assertThat(ack).isEqualTo(new NetlinkError(0, RTM_NEWADDR, 42, null, -1));
    assertThat(ack.isAck()).isTrue();
  }

  /**
   * Without {@code NETLINK_CAP_ACK} (iproute2's setting) the kernel echoes the whole request before
   * the TLVs: {@code nlmsg_flags} is only {@code NLM_F_ACK_TLVS} and the decoder must skip the
   * echoed request by its {@code nlmsg_len}.
   */
  @Test
  void errorWithExtendedAckAfterTheWholeEchoedRequest() {
    byte[] reply =
        GoldenBytes.hex(
            "60000000" // nlmsg_len = 96
                + "0200" // nlmsg_type = NLMSG_ERROR
                + "0002" // nlmsg_flags = NLM_F_ACK_TLVS
                + "2a000000" // nlmsg_seq = 42
                + "6c100000" // nlmsg_pid = 4204
                + "efffffff" // error = -EEXIST
                + "28000000140005062a00000000000000" // the request's nlmsghdr (40 bytes, seq 42)
                + "0218000001000000" // its ifaddrmsg: AF_INET, /24, ifindex 1
                + "080002000a010101" // its IFA_LOCAL 10.1.1.1
                + "080001000a010101" // its IFA_ADDRESS 10.1.1.1
                + "23000100" // NLMSGERR_ATTR_MSG, nla_len = 35
                + "697076343a204164647265737320616c72656164792061737369676e656400" // text, NUL
                + "00"); // padding to 4

    assertThat(NetlinkError.decode(single(reply)))
        .isEqualTo(new NetlinkError(17, RTM_NEWADDR, 42, "ipv4: Address already assigned", -1));
  }

  /** With neither socket option: the whole request echoed and no TLVs. */
  @Test
  void errorWithoutExtendedAck() {
    byte[] reply =
        GoldenBytes.hex(
            "3c000000" // nlmsg_len = 60
                + "0200" // nlmsg_type = NLMSG_ERROR
                + "0000" // nlmsg_flags = 0
                + "2a000000" // nlmsg_seq = 42
                + "95100000" // nlmsg_pid = 4245
                + "efffffff" // error = -EEXIST
                + "28000000140005062a00000000000000" // the request's nlmsghdr
                + "0218000001000000080002000a010101080001000a010101"); // and its body

    assertThat(NetlinkError.decode(single(reply)))
        .isEqualTo(new NetlinkError(17, RTM_NEWADDR, 42, null, -1));
  }

  /**
   * A request whose {@code IFA_LOCAL} is two bytes long (seq 43): the kernel's policy check answers
   * ERANGE with a message, the offset of the bad attribute in the request, and a nested {@code
   * NLMSGERR_ATTR_POLICY} describing the expected type, which the decoder skips and {@link
   * Attributes#parse} keeps.
   */
  @Test
  void policyViolationWithOffsetAndUnknownNestedTlv() {
    byte[] reply =
        GoldenBytes.of(
            // struct nlmsghdr
            row(0x78, 0x00, 0x00, 0x00), // nlmsg_len = 120
            row(0x02, 0x00), // nlmsg_type = NLMSG_ERROR (2)
            row(0x00, 0x03), // nlmsg_flags = 0x300 = NLM_F_CAPPED|NLM_F_ACK_TLVS
            row(0x2b, 0x00, 0x00, 0x00), // nlmsg_seq = 43
            row(0x08, 0x11, 0x00, 0x00), // nlmsg_pid = 4360
            // struct nlmsgerr
            row(0xde, 0xff, 0xff, 0xff), // error = -34 (-ERANGE)
            row(0x20, 0x00, 0x00, 0x00), // msg.nlmsg_len = 32
            row(0x14, 0x00), // msg.nlmsg_type = RTM_NEWADDR (20)
            row(0x05, 0x06), // msg.nlmsg_flags = NLM_F_{REQUEST,ACK,EXCL,CREATE}
            row(0x2b, 0x00, 0x00, 0x00), // msg.nlmsg_seq = 43
            row(0x00, 0x00, 0x00, 0x00), // msg.nlmsg_pid = 0
            // NLMSGERR_ATTR_MSG
            row(0x27, 0x00), // nla_len = 39
            row(0x01, 0x00), // nla_type = NLMSGERR_ATTR_MSG (1)
            row(0x41, 0x74, 0x74, 0x72), // "Attr"
            row(0x69, 0x62, 0x75, 0x74), // "ibut"
            row(0x65, 0x20, 0x66, 0x61), // "e fa"
            row(0x69, 0x6c, 0x65, 0x64), // "iled"
            row(0x20, 0x70, 0x6f, 0x6c), // " pol"
            row(0x69, 0x63, 0x79, 0x20), // "icy "
            row(0x76, 0x61, 0x6c, 0x69), // "vali"
            row(0x64, 0x61, 0x74, 0x69), // "dati"
            row(0x6f, 0x6e, 0x00), // "on", NUL
            row(0x00), // padding to 4
            // NLMSGERR_ATTR_OFFS
            row(0x08, 0x00), // nla_len = 8
            row(0x02, 0x00), // nla_type = NLMSGERR_ATTR_OFFS (2)
            row(
                0x18, 0x00, 0x00,
                0x00), // 24: nlmsghdr (16) + ifaddrmsg (8), where IFA_LOCAL starts
            // NLMSGERR_ATTR_POLICY (nested)
            row(0x24, 0x00), // nla_len = 36
            row(0x04, 0x80), // nla_type = NLMSGERR_ATTR_POLICY (4) | NLA_F_NESTED
            row(0x0c, 0x00), // nla_len = 12
            row(0x04, 0x00), // nla_type = NL_POLICY_TYPE_ATTR_MIN_VALUE_U (4)
            row(0x00, 0x00, 0x00, 0x00), // u64 0, low half
            row(0x00, 0x00, 0x00, 0x00), // high half
            row(0x0c, 0x00), // nla_len = 12
            row(0x05, 0x00), // nla_type = NL_POLICY_TYPE_ATTR_MAX_VALUE_U (5)
            row(0xff, 0xff, 0xff, 0xff), // u64 0xffffffff, low half
            row(0x00, 0x00, 0x00, 0x00), // high half
            row(0x08, 0x00), // nla_len = 8
            row(0x01, 0x00), // nla_type = NL_POLICY_TYPE_ATTR_TYPE (1)
            row(0x04, 0x00, 0x00, 0x00) // NL_ATTR_TYPE_U32 (4)
            );

    NetlinkMessage message = single(reply);
    assertThat(NetlinkError.decode(message))
        .isEqualTo(new NetlinkError(34, RTM_NEWADDR, 43, "Attribute failed policy validation", 24));

    ByteBuffer tlvs = ByteBuffer.wrap(message.payload(), 20, message.payload().length - 20);
    List<Attribute> all = Attributes.parse(tlvs.slice().order(ByteOrder.nativeOrder())).all();
    assertThat(all)
        .extracting(Attribute::type)
        .containsExactly(NLMSGERR_ATTR_MSG, NLMSGERR_ATTR_OFFS, NLMSGERR_ATTR_POLICY);
    Attribute policy = all.get(2);
    assertThat(policy.nestedFlag()).isTrue();
    assertThat(policy.nested().all()).extracting(Attribute::type).containsExactly(4, 5, 1);
    assertThat(policy.nested().get(5).orElseThrow().u64()).isEqualTo(0xffffffffL);
    assertThat(policy.nested().u32(1, -1)).isEqualTo(4);
  }

  private static NetlinkMessage single(byte[] datagram) {
    List<NetlinkMessage> messages = NetlinkMessage.parseAll(datagram, datagram.length);
    assertThat(messages).hasSize(1);
    return messages.get(0);
  }
}
