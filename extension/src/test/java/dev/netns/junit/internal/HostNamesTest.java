package dev.netns.junit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netns.topology.Topology;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The hosts file each namespace's threads see, and which names get a machine view at all. */
class HostNamesTest {
  private static final Topology NETWORK =
      Topology.builder()
          .host("n1")
          .host("n2")
          .host("lonely")
          .lan("lan", "10.0.0.0/24", "n1", "n2")
          .veth("n1", List.of("fd00:0:0:2::1/64"), "n2", List.of("fd00:0:0:2::2/64"))
          .build();

  @Test
  void everyHostIsListedWithItsAddressesIpv4First() {
    assertThat(HostNames.hostsFile(NETWORK, "n1"))
        .isEqualTo(
            "# Written by netns-junit: the hosts of this test's network\n"
                + "127.0.0.1\tlocalhost\n"
                + "::1\tlocalhost ip6-localhost ip6-loopback\n"
                + "10.0.0.1\tn1\n"
                + "fd00:0:0:2:0:0:0:1\tn1\n"
                + "10.0.0.2\tn2\n"
                + "fd00:0:0:2:0:0:0:2\tn2\n");
  }

  @Test
  void aHostWithoutAddressesResolvesItsOwnNameOnlyInItsOwnFile() {
    assertThat(HostNames.hostsFile(NETWORK, "lonely")).endsWith("127.0.1.1\tlonely\n");
    assertThat(HostNames.hostsFile(NETWORK, "n1")).doesNotContain("lonely");
  }

  @Test
  void namesThatCannotBeHostNamesGetNoView() {
    assertThat(HostNames.isHostName("n1")).isTrue();
    assertThat(HostNames.isHostName("db-1.test")).isTrue();
    assertThat(HostNames.isHostName("two words")).isFalse();
    assertThat(HostNames.isHostName("-dash")).isFalse();
    assertThat(HostNames.isHostName("x".repeat(64))).isFalse();
  }
}
