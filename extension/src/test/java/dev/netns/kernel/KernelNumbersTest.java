package dev.netns.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The kernel's scope, protocol and neighbour-state numbers become the kernel layer's enums. */
class KernelNumbersTest {
  @Test
  void scopesByTheirHeaderValues() {
    assertThat(RtScope.of(0)).isEqualTo(RtScope.UNIVERSE);
    assertThat(RtScope.of(200)).isEqualTo(RtScope.SITE);
    assertThat(RtScope.of(253)).isEqualTo(RtScope.LINK);
    assertThat(RtScope.of(254)).isEqualTo(RtScope.HOST);
    assertThat(RtScope.of(255)).isEqualTo(RtScope.NOWHERE);
    assertThat(RtScope.of(100)).isEqualTo(RtScope.OTHER);
    assertThat(RtScope.LINK.label()).isEqualTo("link");
  }

  @Test
  void protocolsByTheirHeaderValues() {
    assertThat(RtProtocol.of(0)).isEqualTo(RtProtocol.UNSPEC);
    assertThat(RtProtocol.of(2)).isEqualTo(RtProtocol.KERNEL);
    assertThat(RtProtocol.of(3)).isEqualTo(RtProtocol.BOOT);
    assertThat(RtProtocol.of(4)).isEqualTo(RtProtocol.STATIC);
    assertThat(RtProtocol.of(9)).isEqualTo(RtProtocol.RA);
    assertThat(RtProtocol.of(16)).isEqualTo(RtProtocol.DHCP);
    assertThat(RtProtocol.of(186)).isEqualTo(RtProtocol.OTHER);
    assertThat(RtProtocol.KERNEL.label()).isEqualTo("kernel");
  }

  @Test
  void neighbourStatesByTheirBits() {
    assertThat(NudState.of(0)).isEqualTo(NudState.NONE);
    assertThat(NudState.of(0x02)).isEqualTo(NudState.REACHABLE);
    assertThat(NudState.of(0x04)).isEqualTo(NudState.STALE);
    assertThat(NudState.of(0x80)).isEqualTo(NudState.PERMANENT);
    assertThat(NudState.of(0x06)).isEqualTo(NudState.OTHER);
    assertThat(NudState.REACHABLE.toString()).isEqualTo("REACHABLE");
  }
}
