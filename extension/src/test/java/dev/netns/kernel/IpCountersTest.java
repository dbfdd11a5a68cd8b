package dev.netns.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Reading fields of /proc/net/snmp (pairs of lines) and snmp6 (a name and a value a line). */
class IpCountersTest {
  private static final List<String> SNMP =
      List.of(
          "Ip: Forwarding DefaultTTL InReceives InHdrErrors InAddrErrors ForwDatagrams"
              + " InUnknownProtos InDiscards InDelivers OutRequests OutDiscards OutNoRoutes"
              + " ReasmTimeout",
          "Ip: 2 64 10 0 0 0 0 0 10 12 0 7 0",
          "Icmp: InMsgs OutNoRoutes",
          "Icmp: 99 98");

  @Test
  void aFieldOfItsGroup() {
    assertThat(IpCounters.snmpField(SNMP, "Ip:", "OutNoRoutes")).isEqualTo(7);
    assertThat(IpCounters.snmpField(SNMP, "Icmp:", "OutNoRoutes")).isEqualTo(98);
    assertThat(
            IpCounters.snmp6Field(
                List.of(
                    "Ip6InReceives                   \t5", "Ip6OutNoRoutes                  \t3"),
                "Ip6OutNoRoutes"))
        .isEqualTo(3);
  }

  @Test
  void aMissingFieldSaysWhich() {
    assertThatThrownBy(() -> IpCounters.snmpField(SNMP, "Ip:", "Nope"))
        .hasMessage("no Ip: Nope in /proc/net/snmp");
    assertThatThrownBy(() -> IpCounters.snmp6Field(List.of(), "Ip6OutNoRoutes"))
        .hasMessage("no Ip6OutNoRoutes in /proc/net/snmp6");
  }
}
