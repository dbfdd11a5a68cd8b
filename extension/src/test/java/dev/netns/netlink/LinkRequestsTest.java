package dev.netns.netlink;

import static dev.netns.netlink.GoldenBytes.assertBytes;
import static dev.netns.netlink.GoldenBytes.row;
import static dev.netns.netlink.IfLink.IFLA_IFNAME;
import static dev.netns.netlink.IfLink.IFLA_INFO_DATA;
import static dev.netns.netlink.IfLink.IFLA_INFO_KIND;
import static dev.netns.netlink.IfLink.IFLA_LINKINFO;
import static dev.netns.netlink.IfLink.IFLA_NET_NS_FD;
import static dev.netns.netlink.IfLink.VETH_INFO_PEER;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

@EnabledIf("dev.netns.netlink.GoldenBytes#littleEndianHost")
class LinkRequestsTest {

  /**
   * RTM_NEWLINK for a veth pair whose ends are created directly in two other namespaces.
   *
   * <p>Checked against iproute2 6.1 (kernel 6.18), run from a third throwaway namespace so that
   * nothing touched the host's: {@code strace -e trace=sendmsg -s 4096 -xx ip -n njgold0 link add
   * veth0 netns njgold1 type veth peer name veth1 netns njgold2}. Its 108 bytes are in {@link
   * #describesTheSameVethAsIproute2}. After moving {@code IFLA_NET_NS_FD} before {@code
   * IFLA_IFNAME} in {@link LinkRequests#newVeth} (iproute2's order), the remaining differences are:
   *
   * <ul>
   *   <li>{@code nlmsg_seq}: iproute2 uses {@code time(NULL)}; any value is fine, replies echo it.
   *   <li>the fds: iproute2 had the namespace files open on 4 and 5; the kernel resolves whichever
   *       fd the sender holds.
   *   <li>{@code IFLA_INFO_KIND}: iproute2 sends {@code "veth"} without the NUL (nla_len 8), we
   *       send {@code "veth\0"} (nla_len 9, three bytes of padding), so {@code IFLA_LINKINFO} is 60
   *       bytes instead of 56 and the message 112 instead of 108. Harmless: the kernel's policy for
   *       {@code IFLA_INFO_KIND} is {@code NLA_STRING}, which takes either form, and it copies the
   *       kind with {@code nla_strscpy}.
   * </ul>
   *
   * <p>These exact 112 bytes (seq 42, fds 5 and 6) were also sent to the kernel from a Python
   * socket in a throwaway namespace holding the two namespace files on fds 5 and 6: the kernel
   * answered with an ACK and {@code ip -n} showed veth0 and veth1 in their namespaces.
   */
  @Test
  void vethWithBothEndsInOtherNamespaces() {
    byte[] expected =
        GoldenBytes.of(
            // struct nlmsghdr
            row(0x70, 0x00, 0x00, 0x00), // nlmsg_len = 112
            row(0x10, 0x00), // nlmsg_type = RTM_NEWLINK (16)
            row(0x05, 0x06), // nlmsg_flags = NLM_F_{REQUEST,ACK,EXCL,CREATE}
            row(0x2a, 0x00, 0x00, 0x00), // nlmsg_seq = 42
            row(0x00, 0x00, 0x00, 0x00), // nlmsg_pid = 0 (the kernel fills in the sender)
            // struct ifinfomsg
            row(0x00), // ifi_family = AF_UNSPEC
            row(0x00), // __ifi_pad
            row(0x00, 0x00), // ifi_type = 0
            row(0x00, 0x00, 0x00, 0x00), // ifi_index = 0 (the kernel picks one)
            row(0x00, 0x00, 0x00, 0x00), // ifi_flags = 0
            row(0x00, 0x00, 0x00, 0x00), // ifi_change = 0
            // IFLA_NET_NS_FD
            row(0x08, 0x00), // nla_len = 8
            row(0x1c, 0x00), // nla_type = IFLA_NET_NS_FD (28)
            row(0x05, 0x00, 0x00, 0x00), // fd 5: veth0's namespace
            // IFLA_IFNAME
            row(0x0a, 0x00), // nla_len = 10
            row(0x03, 0x00), // nla_type = IFLA_IFNAME (3)
            row(0x76, 0x65, 0x74, 0x68), // "veth"
            row(0x30, 0x00), // "0", NUL
            row(0x00, 0x00), // padding to 4
            // IFLA_LINKINFO (nested)
            row(0x3c, 0x00), // nla_len = 60
            row(0x12, 0x00), // nla_type = IFLA_LINKINFO (18), no NLA_F_NESTED as rtnetlink sends it
            // IFLA_INFO_KIND
            row(0x09, 0x00), // nla_len = 9
            row(0x01, 0x00), // nla_type = IFLA_INFO_KIND (1)
            row(0x76, 0x65, 0x74, 0x68), // "veth"
            row(0x00), // NUL
            row(0x00, 0x00, 0x00), // padding to 4
            // IFLA_INFO_DATA (nested)
            row(0x2c, 0x00), // nla_len = 44
            row(0x02, 0x00), // nla_type = IFLA_INFO_DATA (2)
            // VETH_INFO_PEER (nested): a struct ifinfomsg followed by the peer's attributes
            row(0x28, 0x00), // nla_len = 40
            row(0x01, 0x00), // nla_type = VETH_INFO_PEER (1)
            row(0x00), // ifi_family = AF_UNSPEC
            row(0x00), // __ifi_pad
            row(0x00, 0x00), // ifi_type = 0
            row(0x00, 0x00, 0x00, 0x00), // ifi_index = 0
            row(0x00, 0x00, 0x00, 0x00), // ifi_flags = 0
            row(0x00, 0x00, 0x00, 0x00), // ifi_change = 0
            // IFLA_NET_NS_FD
            row(0x08, 0x00), // nla_len = 8
            row(0x1c, 0x00), // nla_type = IFLA_NET_NS_FD (28)
            row(0x06, 0x00, 0x00, 0x00), // fd 6: veth1's namespace
            // IFLA_IFNAME
            row(0x0a, 0x00), // nla_len = 10
            row(0x03, 0x00), // nla_type = IFLA_IFNAME (3)
            row(0x76, 0x65, 0x74, 0x68), // "veth"
            row(0x31, 0x00), // "1", NUL
            row(0x00, 0x00) // padding to 4
            );

    assertBytes(LinkRequests.newVeth("veth0", 5, "veth1", 6).encode(42), expected);
  }

  /**
   * RTM_NEWLINK for the void that silent partitions route into: a bridge with multicast snooping
   * off. Checked against iproute2 6.1 in a throwaway namespace: {@code strace -e trace=sendmsg -s
   * 4096 -xx ip link add nj-void type bridge mcast_snooping 0} sent 72 bytes, these but for {@code
   * nlmsg_seq}, {@code ifi_type} (iproute2 leaves its stack's ARPHRD_NETROM, 0, there too) and the
   * kind: iproute2 sends {@code "bridge"} without the NUL (nla_len 10), we with it (11); both pad
   * to 12, so the lengths of the message and of {@code IFLA_LINKINFO} are the same.
   */
  @Test
  void bridgeWithoutMulticastSnooping() {
    byte[] expected =
        GoldenBytes.of(
            // struct nlmsghdr
            row(0x48, 0x00, 0x00, 0x00), // nlmsg_len = 72
            row(0x10, 0x00), // nlmsg_type = RTM_NEWLINK (16)
            row(0x05, 0x06), // nlmsg_flags = NLM_F_{REQUEST,ACK,EXCL,CREATE}
            row(0x2a, 0x00, 0x00, 0x00), // nlmsg_seq = 42
            row(0x00, 0x00, 0x00, 0x00), // nlmsg_pid = 0
            // struct ifinfomsg
            row(0x00), // ifi_family = AF_UNSPEC
            row(0x00), // __ifi_pad
            row(0x00, 0x00), // ifi_type = 0
            row(0x00, 0x00, 0x00, 0x00), // ifi_index = 0 (the kernel picks one)
            row(0x00, 0x00, 0x00, 0x00), // ifi_flags = 0
            row(0x00, 0x00, 0x00, 0x00), // ifi_change = 0
            // IFLA_IFNAME
            row(0x0c, 0x00), // nla_len = 12
            row(0x03, 0x00), // nla_type = IFLA_IFNAME (3)
            row(0x6e, 0x6a, 0x2d, 0x76), // "nj-v"
            row(0x6f, 0x69, 0x64, 0x00), // "oid", NUL
            // IFLA_LINKINFO (nested)
            row(0x1c, 0x00), // nla_len = 28
            row(0x12, 0x00), // nla_type = IFLA_LINKINFO (18)
            // IFLA_INFO_KIND
            row(0x0b, 0x00), // nla_len = 11
            row(0x01, 0x00), // nla_type = IFLA_INFO_KIND (1)
            row(0x62, 0x72, 0x69, 0x64), // "brid"
            row(0x67, 0x65, 0x00), // "ge", NUL
            row(0x00), // padding to 4
            // IFLA_INFO_DATA (nested)
            row(0x0c, 0x00), // nla_len = 12
            row(0x02, 0x00), // nla_type = IFLA_INFO_DATA (2)
            // IFLA_BR_MCAST_SNOOPING
            row(0x05, 0x00), // nla_len = 5
            row(0x17, 0x00), // nla_type = IFLA_BR_MCAST_SNOOPING (23)
            row(0x00), // off
            row(0x00, 0x00, 0x00) // padding to 4
            );

    assertBytes(LinkRequests.newBridgeWithoutSnooping("nj-void").encode(42), expected);
  }

  /**
   * RTM_GETSTATS for one link's 64-bit counters, how the void's swallowed packets are read. Checked
   * against iproute2 6.1 in a throwaway namespace: {@code unshare -n strace -e trace=sendmsg -s 256
   * -xx ip stats show dev lo group link} sent these 28 bytes but for {@code nlmsg_seq}.
   */
  @Test
  void statsOfOneLink() {
    byte[] expected =
        GoldenBytes.of(
            // struct nlmsghdr
            row(0x1c, 0x00, 0x00, 0x00), // nlmsg_len = 28
            row(0x5e, 0x00), // nlmsg_type = RTM_GETSTATS (94)
            row(0x01, 0x00), // nlmsg_flags = NLM_F_REQUEST
            row(0x2a, 0x00, 0x00, 0x00), // nlmsg_seq = 42
            row(0x00, 0x00, 0x00, 0x00), // nlmsg_pid = 0
            // struct if_stats_msg
            row(0x00), // family = AF_UNSPEC
            row(0x00), // pad1
            row(0x00, 0x00), // pad2
            row(0x01, 0x00, 0x00, 0x00), // ifindex = 1
            row(0x01, 0x00, 0x00, 0x00) // filter_mask = 1 << (IFLA_STATS_LINK_64 - 1)
            );

    assertBytes(LinkRequests.getStats64(1).encode(42), expected);
  }

  /**
   * Our request and iproute2's, given iproute2's seq and fds, carry the same header and the same
   * attributes in the same order; only the NUL after {@code "veth"} differs (see above).
   */
  @Test
  void describesTheSameVethAsIproute2() {
    byte[] iproute2 =
        GoldenBytes.hex(
            "6c000000100005060b9e0d6b00000000"
                + "00000000000000000000000000000000"
                + "08001c00040000000a00030076657468300000003800120008000100"
                + "766574682c000200280001000000000000000000000000000000000008001c00"
                + "050000000a0003007665746831000000");
    byte[] ours = LinkRequests.newVeth("veth0", 4, "veth1", 5).encode(1796054539);

    assertThat(VethView.of(ours)).isEqualTo(VethView.of(iproute2));
    assertThat(kindValue(ours)).isEqualTo("veth\0".getBytes(StandardCharsets.US_ASCII));
    assertThat(kindValue(iproute2)).isEqualTo("veth".getBytes(StandardCharsets.US_ASCII));
  }

  /**
   * The veth pair the topology layer makes: one transmit and one receive queue at each end, chosen
   * ifindexes of 0 here. Checked against iproute2 6.1 (kernel 6.18) as above, from a throwaway
   * namespace: {@code ip -n njperfq0 link add veth0 numtxqueues 1 numrxqueues 1 netns njperfq1 type
   * veth peer name veth1 numtxqueues 1 numrxqueues 1 netns njperfq2}; {@code ip -d link} then
   * showed {@code numtxqueues 1 numrxqueues 1} at both ends.
   */
  @Test
  void singleQueueVethDescribesTheSameAsIproute2() {
    byte[] iproute2 =
        GoldenBytes.hex(
            "8c0000001000050688e40f6b0000000000000000000000000000000000000000"
                + "08001f0001000000080020000100000008001c00040000000a00030076657468"
                + "300000004800120008000100766574683c000200380001000000000000000000"
                + "000000000000000008001f0001000000080020000100000008001c0005000000"
                + "0a0003007665746831000000");
    byte[] ours = LinkRequests.newVeth("veth0", 4, 0, "veth1", 5, 0, false).encode(1796203656);

    assertThat(VethView.of(ours)).isEqualTo(VethView.of(iproute2));
    assertThat(queues(ours)).containsExactly(1, 1, 1, 1).isEqualTo(queues(iproute2));
  }

  /**
   * A veth pair whose first end is made a port of a bridge as it is created, as a LAN's switch is
   * wired. Checked against iproute2 6.1 (kernel 6.18) from throwaway namespaces, with the bridge at
   * ifindex 2: {@code ip -n njgold0 link add veth0 numtxqueues 1 numrxqueues 1 master br0 type veth
   * peer name veth1 numtxqueues 1 numrxqueues 1 netns njgold2}; {@code ip link show} then showed
   * veth0 with {@code master br0}. Ours differs in the header's flags (the first end is up from the
   * start) and the NUL after {@code "veth"}, as above.
   */
  @Test
  void vethPortDescribesTheSameAsIproute2() {
    byte[] iproute2 =
        GoldenBytes.hex(
            "8c000000100005065d16106b0000000000000000000000000000000000000000"
                + "08001f0001000000080020000100000008000a00020000000a00030076657468"
                + "300000004800120008000100766574683c000200380001000000000000000000"
                + "000000000000000008001f0001000000080020000100000008001c0004000000"
                + "0a0003007665746831000000");
    byte[] ours = LinkRequests.newVethPort("veth0", -1, 0, 2, "veth1", 4, 0).encode(1796216413);

    VethView expected = VethView.of(iproute2);
    VethView actual = VethView.of(ours);
    assertThat(actual.attributeOrder()).isEqualTo(expected.attributeOrder());
    assertThat(actual.peerAttributeOrder()).isEqualTo(expected.peerAttributeOrder());
    assertThat(actual.peerNsFd()).isEqualTo(expected.peerNsFd()).isEqualTo(4);
    assertThat(actual.header().flags()).isEqualTo(IfLink.IFF_UP);
    assertThat(master(ours)).isEqualTo(master(iproute2)).isEqualTo(2);
  }

  /**
   * No IPv6 address generated for a link. iproute2 6.1 (kernel 6.18), from a throwaway namespace
   * with the link at ifindex 2: {@code strace -e trace=sendmsg -xx ip -n njag1 link set dev v1
   * addrgenmode none} sent these 48 bytes; {@code ip -6 addr} then showed no address on v1 after it
   * came up, and a link-local one on its peer.
   */
  @Test
  void noIpv6AddressesIsWhatIproute2Sends() {
    byte[] iproute2 =
        GoldenBytes.hex(
            "3000000010000500e226106b0000000000000000020000000000000000000000"
                + "10001a000c000a000500080001000000");
    assertBytes(LinkRequests.setIpv6AddrGenModeNone(2).encode(1796220642), iproute2);
  }

  private static int master(byte[] bytes) {
    NetlinkMessage message = NetlinkMessage.parseAll(bytes, bytes.length).get(0);
    return message.attributes(IfInfoMsg.SIZE).u32(IfLink.IFLA_MASTER, -1);
  }

  /** IFLA_NUM_TX_QUEUES and IFLA_NUM_RX_QUEUES of the first end, then of the peer (-1: absent). */
  private static List<Integer> queues(byte[] bytes) {
    NetlinkMessage message = NetlinkMessage.parseAll(bytes, bytes.length).get(0);
    Attributes attributes = message.attributes(IfInfoMsg.SIZE);
    byte[] peer =
        attributes
            .get(IFLA_LINKINFO)
            .orElseThrow()
            .nested()
            .get(IFLA_INFO_DATA)
            .orElseThrow()
            .nested()
            .get(VETH_INFO_PEER)
            .orElseThrow()
            .value();
    ByteBuffer peerBody = ByteBuffer.wrap(peer).order(ByteOrder.nativeOrder());
    IfInfoMsg.decode(peerBody);
    Attributes peerAttributes = Attributes.parse(peerBody);
    return List.of(
        attributes.u32(IfLink.IFLA_NUM_TX_QUEUES, -1),
        attributes.u32(IfLink.IFLA_NUM_RX_QUEUES, -1),
        peerAttributes.u32(IfLink.IFLA_NUM_TX_QUEUES, -1),
        peerAttributes.u32(IfLink.IFLA_NUM_RX_QUEUES, -1));
  }

  private static byte[] kindValue(byte[] bytes) {
    NetlinkMessage message = NetlinkMessage.parseAll(bytes, bytes.length).get(0);
    Attributes linkInfo =
        message.attributes(IfInfoMsg.SIZE).get(IFLA_LINKINFO).orElseThrow().nested();
    return linkInfo.bytes(IFLA_INFO_KIND);
  }

  /** What the kernel reads from a veth RTM_NEWLINK, field by field. */
  private record VethView(
      int type,
      int flags,
      int seq,
      IfInfoMsg header,
      List<Integer> attributeOrder,
      int nsFd,
      String name,
      List<Integer> linkInfoOrder,
      String kind,
      IfInfoMsg peerHeader,
      List<Integer> peerAttributeOrder,
      int peerNsFd,
      String peerName) {

    static VethView of(byte[] bytes) {
      List<NetlinkMessage> messages = NetlinkMessage.parseAll(bytes, bytes.length);
      assertThat(messages).hasSize(1);
      NetlinkMessage message = messages.get(0);
      Attributes attributes = message.attributes(IfInfoMsg.SIZE);
      Attributes linkInfo = attributes.get(IFLA_LINKINFO).orElseThrow().nested();
      byte[] peer =
          linkInfo
              .get(IFLA_INFO_DATA)
              .orElseThrow()
              .nested()
              .get(VETH_INFO_PEER)
              .orElseThrow()
              .value();
      ByteBuffer peerBody = ByteBuffer.wrap(peer).order(ByteOrder.nativeOrder());
      IfInfoMsg peerHeader = IfInfoMsg.decode(peerBody);
      Attributes peerAttributes = Attributes.parse(peerBody);
      return new VethView(
          message.type(),
          message.flags(),
          message.seq(),
          IfInfoMsg.decode(message.body()),
          types(attributes),
          attributes.u32(IFLA_NET_NS_FD, -1),
          attributes.string(IFLA_IFNAME),
          types(linkInfo),
          linkInfo.string(IFLA_INFO_KIND),
          peerHeader,
          types(peerAttributes),
          peerAttributes.u32(IFLA_NET_NS_FD, -1),
          peerAttributes.string(IFLA_IFNAME));
    }

    private static List<Integer> types(Attributes attributes) {
      return attributes.all().stream().map(Attribute::type).toList();
    }
  }
}
