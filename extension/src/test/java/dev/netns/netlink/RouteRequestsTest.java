package dev.netns.netlink;

import static dev.netns.netlink.GoldenBytes.assertBytes;
import static dev.netns.netlink.GoldenBytes.row;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

@EnabledIf("dev.netns.netlink.GoldenBytes#littleEndianHost")
class RouteRequestsTest {

  /**
   * RTM_NEWROUTE to 10.9.0.0/16 via 10.1.1.254, no output interface.
   *
   * <p>Checked against iproute2 6.1 (kernel 6.18) in a throwaway namespace whose {@code lo} carried
   * 10.1.1.1/24 and was up: {@code strace -e trace=sendmsg -s 4096 -xx ip -n njgold1 route add
   * 10.9.0.0/16 via 10.1.1.254}. iproute2 sent the same 44 bytes except {@code nlmsg_seq} ({@code
   * time(NULL)} there, 42 here). Like us it sets {@code rtm_protocol = RTPROT_BOOT}, table main in
   * {@code rtm_table} with no {@code RTA_TABLE} (only tables above 255 need it), writes {@code
   * RTA_DST} before {@code RTA_GATEWAY}, and sends no {@code RTA_OIF}: the kernel finds the device
   * from the gateway. {@link #matchesIproute2} compares with its captured bytes directly.
   */
  @Test
  void unicastRouteViaGateway() throws Exception {
    byte[] expected =
        GoldenBytes.of(
            // struct nlmsghdr
            row(0x2c, 0x00, 0x00, 0x00), // nlmsg_len = 44
            row(0x18, 0x00), // nlmsg_type = RTM_NEWROUTE (24)
            row(0x05, 0x06), // nlmsg_flags = NLM_F_{REQUEST,ACK,EXCL,CREATE}
            row(0x2a, 0x00, 0x00, 0x00), // nlmsg_seq = 42
            row(0x00, 0x00, 0x00, 0x00), // nlmsg_pid = 0
            // struct rtmsg
            row(0x02), // rtm_family = AF_INET
            row(0x10), // rtm_dst_len = 16
            row(0x00), // rtm_src_len = 0
            row(0x00), // rtm_tos = 0
            row(0xfe), // rtm_table = RT_TABLE_MAIN (254)
            row(0x03), // rtm_protocol = RTPROT_BOOT
            row(0x00), // rtm_scope = RT_SCOPE_UNIVERSE (a gateway route)
            row(0x01), // rtm_type = RTN_UNICAST
            row(0x00, 0x00, 0x00, 0x00), // rtm_flags = 0
            // RTA_DST
            row(0x08, 0x00), // nla_len = 8
            row(0x01, 0x00), // nla_type = RTA_DST (1)
            row(0x0a, 0x09, 0x00, 0x00), // 10.9.0.0
            // RTA_GATEWAY
            row(0x08, 0x00), // nla_len = 8
            row(0x05, 0x00), // nla_type = RTA_GATEWAY (5)
            row(0x0a, 0x01, 0x01, 0xfe) // 10.1.1.254
            );

    assertBytes(
        RouteRequests.addUnicast(
                InetAddress.getByName("10.9.0.0"), 16, InetAddress.getByName("10.1.1.254"), 0)
            .encode(42),
        expected);
  }

  @Test
  void matchesIproute2() throws Exception {
    byte[] iproute2 =
        GoldenBytes.hex(
            "2c00000018000506199e0d6b00000000"
                + "02100000fe03000100000000"
                + "080001000a090000080005000a0101fe");

    assertBytes(
        RouteRequests.addUnicast(
                InetAddress.getByName("10.9.0.0"), 16, InetAddress.getByName("10.1.1.254"), 0)
            .encode(1796054553),
        iproute2);
  }
}
