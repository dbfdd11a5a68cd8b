package dev.netns.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netns.kernel.Inspection;
import dev.netns.kernel.LinkInfo;
import dev.netns.kernel.Links;
import dev.netns.kernel.NetworkNamespace;
import dev.netns.testing.Oracle;
import dev.netns.testing.Requirements;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Teardown takes down the machine-side end that this network made, found by the ifindex it had at
 * creation, and never a link that has its name by then: another JVM's, when two use the same
 * explicit name one after the other.
 */
@Tag("privileged")
class HostEndTeardownTest {
  private static final String NAME = "njh1own0";
  private static final String MOVED = "njh1mov0";
  private static final String FOREIGN_PEER = "eth0";

  @Test
  void teardownLeavesAnotherLinkThatTookTheNameAlone() throws Exception {
    Requirements.requireNamespaces();
    Topology topology =
        Topology.builder()
            .host("blue")
            .veth(
                new VethDeclaration(
                    "blue",
                    "eth0",
                    List.of("10.142.0.1/24"),
                    Topology.HOST,
                    NAME,
                    List.of("10.142.0.2/24"),
                    0,
                    "link"))
            .build();
    try (NetworkNamespace host = NetworkNamespace.host();
        NetworkNamespace other = NetworkNamespace.create("other")) {
      RunningTopology network = topology.start();
      try {
        // The network's end is renamed behind its back, and a link of someone else's takes the
        // name (the kernel renames only links that are down).
        Oracle.hostIp("link", "set", NAME, "down");
        Oracle.hostIp("link", "set", NAME, "name", MOVED);
        Oracle.hostIp("link", "set", MOVED, "up");
        Links.createVeth(host, NAME, other, FOREIGN_PEER);
      } finally {
        try {
          Links.setUp(host, NAME, true);
        } finally {
          network.close();
        }
      }
      try {
        LinkInfo foreign =
            Inspection.links(host).stream()
                .filter(l -> l.name().equals(NAME))
                .findFirst()
                .orElseThrow();
        assertThat(foreign.up())
            .as("%s, which the network did not make, is still up", NAME)
            .isTrue();
      } finally {
        Links.delete(host, NAME);
      }
    }
  }
}
