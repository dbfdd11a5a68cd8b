package dev.netns.junit;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * On Java 18 and later, host names resolve inside a test's namespaces to that test's hosts; two
 * networks with the same names each get their own answers.
 */
@Tag("privileged")
class HostNameResolutionTest {
  static final List<String> SEEN = new CopyOnWriteArrayList<>();

  @NetNamespace("n1")
  @NetNamespace("n2")
  @Lan(name = "lan", subnet = {"10.0.0.0/24", "fd00:0:0:7::/64"}, hosts = {"n1", "n2"})
  static class FirstNetwork {
    @Test
    @InNamespace("n1")
    void resolves() throws Exception {
      SEEN.add(InetAddress.getByName("n2").getHostAddress());
      SEEN.add(
          Arrays.stream(InetAddress.getAllByName("n2")).map(InetAddress::getHostAddress).toList()
              .toString());
      SEEN.add(InetAddress.getByName("10.0.0.2").getHostName());
    }
  }

  @NetNamespace("n1")
  @NetNamespace("n2")
  @Lan(name = "lan", subnet = "10.50.0.0/24", hosts = {"n1", "n2"})
  static class SecondNetwork {
    @Test
    @InNamespace("n1")
    void resolves() throws Exception {
      SEEN.add(InetAddress.getByName("n2").getHostAddress());
      SEEN.add(InetAddress.getByName("localhost").getHostAddress());
    }
  }

  @Test
  void hostNamesResolveToTheTestsOwnHosts() {
    Fixtures.run(FirstNetwork.class).testEvents().assertStatistics(s -> s.succeeded(1));
    Fixtures.run(SecondNetwork.class).testEvents().assertStatistics(s -> s.succeeded(1));
    assertThat(SEEN)
        .containsExactly(
            "10.0.0.2",
            "[10.0.0.2, fd00:0:0:7:0:0:0:2]",
            "n2",
            "10.50.0.2",
            "127.0.0.1");
  }
}
