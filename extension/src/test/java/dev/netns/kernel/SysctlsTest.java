package dev.netns.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netns.testing.Oracle;
import dev.netns.testing.Requirements;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Sysctls read back whole: a value of more than one character came back as its first character
 * ("11" as "1"), since the kernel answers only a read that starts at offset 0.
 */
@Tag("privileged")
class SysctlsTest {
  @Test
  void aValueOfSeveralCharactersReadsBackWhole() throws Exception {
    Requirements.requireNamespaces();
    try (NetworkNamespace ns = NetworkNamespace.create("sysctl")) {
      Sysctls.write(ns, "net.ipv4.tcp_syn_retries", "11");
      assertThat(Sysctls.read(ns, "net.ipv4.tcp_syn_retries")).isEqualTo("11");
      // The same value as iproute2's world sees it, through nsenter into the namespace.
      assertThat(
              Oracle.run(
                      java.util.List.of(
                          "nsenter",
                          "--net=/proc/" + ProcessHandle.current().pid() + "/fd/" + ns.fd(),
                          "cat",
                          "/proc/sys/net/ipv4/tcp_syn_retries"))
                  .trim())
          .isEqualTo("11");
      // Two fields, as the kernel prints them: "1\t0", or "65534\t65534" in a user namespace
      // that maps neither group.
      assertThat(Sysctls.read(ns, "net.ipv4.ping_group_range"))
          .matches("\\d+\t\\d+")
          .isEqualTo(
              Oracle.run(
                      java.util.List.of(
                          "nsenter",
                          "--net=/proc/" + ProcessHandle.current().pid() + "/fd/" + ns.fd(),
                          "cat",
                          "/proc/sys/net/ipv4/ping_group_range"))
                  .strip());
    }
  }
}
