package dev.netns.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** {@link CidrAddress}: the API's one type for an address with its prefix. */
class CidrAddressTest {

  @Test
  void parsesAndPrintsBothFamilies() throws Exception {
    CidrAddress v4 = CidrAddress.parse("10.0.0.3/24");
    assertThat(v4.address()).isEqualTo(InetAddress.getByName("10.0.0.3"));
    assertThat(v4.prefixLength()).isEqualTo(24);
    assertThat(v4.family()).isEqualTo(AddressFamily.IPV4);
    assertThat(v4).hasToString("10.0.0.3/24");

    CidrAddress v6 = CidrAddress.parse("fd00:0:0:1:0:0:0:3/64");
    assertThat(v6.family()).isEqualTo(AddressFamily.IPV6);
    assertThat(v6).hasToString("fd00:0:0:1::3/64").isEqualTo(CidrAddress.parse("fd00:0:0:1::3/64"));
  }

  @Test
  void knowsItsNetwork() throws Exception {
    CidrAddress v4 = CidrAddress.parse("10.0.0.3/24");
    assertThat(v4.network()).isEqualTo(CidrAddress.parse("10.0.0.0/24"));
    assertThat(v4.contains(InetAddress.getByName("10.0.0.200"))).isTrue();
    assertThat(v4.contains(InetAddress.getByName("10.0.1.1"))).isFalse();
    assertThat(v4.contains(InetAddress.getByName("fd00::1"))).isFalse();
    assertThat(CidrAddress.parse("fd00:0:0:1::3/64").network()).hasToString("fd00:0:0:1::/64");
  }

  @Test
  void refusesWhatIsNoAddressWithPrefix() throws Exception {
    assertThatThrownBy(() -> CidrAddress.parse("10.0.0.3"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "'10.0.0.3' has no prefix length; write it as address/prefix, for example 10.1.1.1/24");
    assertThatThrownBy(() -> CidrAddress.parse("n3/24"))
        .hasMessage("'n3' is not an IPv4 or IPv6 address");
    assertThatThrownBy(() -> CidrAddress.parse("10.0.0.3/33"))
        .hasMessage("'10.0.0.3/33' has prefix length 33; it must be 0..32");
    assertThatThrownBy(() -> new CidrAddress(InetAddress.getByName("fd00::1"), 129))
        .hasMessage("prefix length 129 is outside 0..128 for fd00:0:0:0:0:0:0:1");
  }
}
