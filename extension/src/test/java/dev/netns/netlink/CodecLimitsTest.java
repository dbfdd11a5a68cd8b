package dev.netns.netlink;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Inputs the codec must refuse instead of writing or reading garbage. */
class CodecLimitsTest {
  @Test
  void attributeTooLongForNlaLenIsRefused() {
    MessageWriter w = new MessageWriter().beginMessage(Rtnetlink.RTM_NEWQDISC, 0, 1);
    assertThatThrownBy(() -> w.putAttribute(Rtnetlink.TCA_OPTIONS, new byte[70_000]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("attribute 2 of 70000 bytes does not fit nla_len (16 bits)");
  }

  @Test
  void nestTooLongForNlaLenIsRefused() {
    MessageWriter w = new MessageWriter().beginMessage(Rtnetlink.RTM_NEWQDISC, 0, 1);
    int nest = w.beginNested(Rtnetlink.TCA_OPTIONS);
    for (int i = 0; i < 3; i++) {
      w.putAttribute(1, new byte[30_000]);
    }
    assertThatThrownBy(() -> w.endNested(nest))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("does not fit nla_len");
  }

  @Test
  void truncatedErrorMessageIsAFormatError() {
    NetlinkMessage shortError = new NetlinkMessage(Netlink.NLMSG_ERROR, 0, 1, 0, new byte[4]);
    assertThatThrownBy(() -> NetlinkError.decode(shortError))
        .isInstanceOf(NetlinkFormatException.class)
        .hasMessage("NLMSG_ERROR payload of 4 bytes; it needs 20");
  }

  @Test
  void shortAttributeValueIsAFormatError() {
    Attribute twoBytes = new Attribute(4, false, new byte[2]);
    assertThatThrownBy(twoBytes::u32)
        .isInstanceOf(NetlinkFormatException.class)
        .hasMessage("attribute 4 has 2 bytes; 4 expected");
  }
}
