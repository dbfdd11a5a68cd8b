package dev.netns.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netns.nativeaccess.LibC;
import dev.netns.testing.Oracle;
import dev.netns.testing.Requirements;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Bridges, ports, MTU, MAC, names, neighbours and routes, each checked with iproute2. */
@Tag("privileged")
class LinkOperationsTest {
  @BeforeEach
  void requirePrivileges() {
    Requirements.requireNamespaces();
  }

  @Test
  void bridgePortsMtuMacRenameAndDelete() {
    try (NetworkNamespace ns = NetworkNamespace.create("ops");
        NetworkNamespace peer = NetworkNamespace.create("peer")) {
      Links.createBridge(ns, "br0");
      Links.createVeth(ns, "port", peer, "eth0");
      Links.setMaster(ns, "port", "br0");
      Links.setMtu(ns, "port", 1400);
      Links.setMac(ns, "port", "02:00:00:00:00:2a");
      assertThat(Oracle.ip(ns, "-o", "link", "show", "port"))
          .contains("mtu 1400")
          .contains("master br0")
          .contains("link/ether 02:00:00:00:00:2a");
      Links.rename(ns, "port", "renamed");
      assertThat(Oracle.ip(ns, "-o", "link", "show")).contains("renamed@").doesNotContain("port@");
      Links.setUp(ns, "br0", true);
      assertThat(Inspection.links(ns))
          .anySatisfy(
              l -> {
                assertThat(l.name()).isEqualTo("renamed");
                assertThat(l.masterIndex()).isEqualTo(Links.index(ns, "br0"));
                assertThat(l.mtu()).isEqualTo(1400);
              });
      Links.delete(ns, "renamed");
      assertThat(Oracle.ip(peer, "-o", "link", "show")).doesNotContain("eth0@");
    }
  }

  @Test
  void neighboursRoutesAndRefusingRoutes() {
    try (NetworkNamespace ns = NetworkNamespace.create("routes");
        NetworkNamespace peer = NetworkNamespace.create("peer")) {
      Links.createVeth(ns, "eth0", peer, "eth0");
      Links.setUp(ns, "eth0", true);
      Addresses.add(ns, "eth0", Cidr.parse("10.11.0.1/24"));
      Addresses.add(ns, "eth0", Cidr.parse("fd00:11::1/64"));
      Neighbours.addPermanent(ns, "eth0", Cidr.parseAddress("10.11.0.2"), "02:00:00:00:00:02");
      Routes.addVia(ns, Cidr.parse("10.12.0.0/16"), Cidr.parseAddress("10.11.0.2"));
      Routes.addDefault(ns, Cidr.parseAddress("10.11.0.2"));
      Routes.addRefusing(ns, Cidr.parse("10.13.0.0/24"), RouteType.UNREACHABLE);
      Routes.addRefusing(ns, Cidr.parse("10.14.0.0/24"), RouteType.BLACKHOLE);
      Routes.addRefusing(ns, Cidr.parse("10.15.0.0/24"), RouteType.PROHIBIT);

      String routes = Oracle.ip(ns, "route", "show");
      assertThat(routes)
          .contains("default via 10.11.0.2 dev eth0")
          .contains("10.12.0.0/16 via 10.11.0.2 dev eth0")
          .contains("unreachable 10.13.0.0/24")
          .contains("blackhole 10.14.0.0/24")
          .contains("prohibit 10.15.0.0/24");
      assertThat(Oracle.ip(ns, "neigh", "show", "dev", "eth0"))
          .contains("10.11.0.2 lladdr 02:00:00:00:00:02 PERMANENT");
      assertThat(Inspection.neighbours(ns))
          .anySatisfy(n -> assertThat(n.mac()).isEqualTo("02:00:00:00:00:02"));
      assertThat(Inspection.routes(ns))
          .anySatisfy(r -> assertThat(r.type()).isEqualTo(RtType.UNREACHABLE))
          .anySatisfy(r -> assertThat(r.isDefault()).isTrue());

      Routes.deleteRefusing(ns, Cidr.parse("10.13.0.0/24"), RouteType.UNREACHABLE);
      Routes.delete(ns, Cidr.parse("10.12.0.0/16"));
      Addresses.delete(ns, "eth0", Cidr.parse("fd00:11::1/64"));
      assertThat(Oracle.ip(ns, "route", "show"))
          .doesNotContain("10.13.0.0")
          .doesNotContain("10.12.0.0");
      assertThat(Oracle.ip(ns, "-o", "addr", "show", "dev", "eth0")).doesNotContain("fd00:11::1");
    }
  }

  @Test
  void existingNamespacesOpenByFdPidAndName() throws Exception {
    try (NetworkNamespace made = NetworkNamespace.create("made")) {
      String fdPath = "/proc/self/fd/" + made.fd();
      try (NetworkNamespace byFd = NetworkNamespace.open("by fd", Path.of(fdPath))) {
        assertThat(byFd.inode()).isEqualTo(made.inode());
        assertThat(byFd.isCreated()).isFalse();
      }
      int tid = made.call(() -> LibC.instance().gettid());
      try (NetworkNamespace byTask =
          NetworkNamespace.open("by task", Path.of("/proc/self/task/" + tid + "/ns/net"))) {
        assertThat(byTask.inode()).isEqualTo(made.inode());
      }
    }
    try (NetworkNamespace host = NetworkNamespace.host();
        NetworkNamespace self = NetworkNamespace.ofPid((int) ProcessHandle.current().pid())) {
      assertThat(self.inode()).isEqualTo(host.inode());
    }
  }
}
