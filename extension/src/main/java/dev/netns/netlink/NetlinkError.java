package dev.netns.netlink;

import java.nio.ByteBuffer;

/**
 * A decoded {@code NLMSG_ERROR}: the errno (0 for an ACK), the sequence number of the request it
 * answers, and the extended-ack text and offset when the kernel sent them.
 */
public record NetlinkError(int errno, int requestType, int requestSeq, String extAck, int offset) {

  /** Decodes an {@code NLMSG_ERROR} message: {@code struct nlmsgerr} plus optional TLVs. */
  public static NetlinkError decode(NetlinkMessage message) {
    if (message.payload().length < 4 + Netlink.NLMSG_HDRLEN) {
      throw new NetlinkFormatException(
          "NLMSG_ERROR payload of "
              + message.payload().length
              + " bytes; it needs "
              + (4 + Netlink.NLMSG_HDRLEN));
    }
    ByteBuffer body = message.body();
    int error = body.getInt();
    int requestLength = body.getInt(); // nlmsg_len of the request that failed
    int requestType = body.getShort() & 0xffff;
    body.getShort(); // nlmsg_flags
    int requestSeq = body.getInt();
    body.getInt(); // nlmsg_pid
    String extAck = null;
    int offset = -1;
    if ((message.flags() & Netlink.NLM_F_ACK_TLVS) != 0) {
      // Without NLM_F_CAPPED the request's own payload is echoed before the TLVs.
      if ((message.flags() & Netlink.NLM_F_CAPPED) == 0) {
        body.position(Math.min(body.limit(), 4 + Netlink.align(requestLength)));
      }
      Attributes tlvs = Attributes.parse(body.slice().order(body.order()));
      extAck = tlvs.string(Netlink.NLMSGERR_ATTR_MSG);
      offset = tlvs.u32(Netlink.NLMSGERR_ATTR_OFFS, -1);
    }
    return new NetlinkError(-error, requestType, requestSeq, extAck, offset);
  }

  /** True for an ACK (error 0). */
  public boolean isAck() {
    return errno == 0;
  }
}
