package dev.netns.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netns.nativeaccess.KernelException;
import dev.netns.testing.Oracle;
import dev.netns.testing.Requirements;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Misuse of the kernel layer gets a clear error naming what was wrong, and changes nothing. */
class BadInputTest {

  @Test
  void interfaceNamesFollowTheKernelsRules() {
    assertThatThrownBy(() -> InterfaceName.validate("a-very-long-name0"))
        .hasMessage(
            "interface name 'a-very-long-name0' is 17 bytes long; interface names are at most 15"
                + " bytes");
    assertThatThrownBy(() -> InterfaceName.validate("eth/0"))
        .hasMessage("interface name 'eth/0' contains '/'");
    assertThatThrownBy(() -> InterfaceName.validate("eth 0"))
        .hasMessage("interface name 'eth 0' contains 'whitespace'");
    assertThatThrownBy(() -> InterfaceName.validate("")).hasMessage("interface name '' is empty");
    assertThat(InterfaceName.validate("fifteen-bytes-x")).isEqualTo("fifteen-bytes-x");
    assertThat(InterfaceName.truncate("a-very-long-name0")).isEqualTo("a-very-long-nam");
  }

  @Test
  void addressesNeedAPrefixAndALiteral() {
    assertThatThrownBy(() -> Cidr.parse("10.1.1.1"))
        .hasMessage(
            "'10.1.1.1' has no prefix length; write it as address/prefix, for example 10.1.1.1/24");
    assertThatThrownBy(() -> Cidr.parse("10.1.1.1/33"))
        .hasMessage("'10.1.1.1/33' has prefix length 33; it must be 0..32");
    assertThatThrownBy(() -> Cidr.parse("example.com/24"))
        .hasMessage("'example.com' is not an IPv4 or IPv6 address");
    assertThatThrownBy(() -> Cidr.parse("10.1.1.300/24"))
        .hasMessage("'10.1.1.300' is not an IPv4 or IPv6 address");
    assertThat(Cidr.parse("fd00::1/64").network()).isEqualTo(Cidr.parse("fd00::/64"));
    assertThat(Cidr.parse("fd00:0:0:1:0:0:0:3/64")).hasToString("fd00:0:0:1::3/64");
    assertThat(Cidr.parse("2001:db8:0:0:1:0:0:1/128")).hasToString("2001:db8::1:0:0:1/128");
    assertThat(Cidr.parse("::/0")).hasToString("::/0");
    assertThat(Cidr.parse("fe80::1/64")).hasToString("fe80::1/64");
    assertThat(Cidr.parse("1:0:2:3:4:5:6:7/64")).hasToString("1:0:2:3:4:5:6:7/64");
    assertThat(Cidr.parse("10.1.1.0/24").host(2)).isEqualTo(Cidr.parseAddress("10.1.1.2"));
    assertThat(Cidr.parse("10.1.0.0/16").overlaps(Cidr.parse("10.1.1.0/24"))).isTrue();
    assertThat(Cidr.parse("10.1.0.0/24").overlaps(Cidr.parse("10.1.1.0/24"))).isFalse();
  }

  @Test
  @Tag("privileged")
  void duplicateInterfaceFailsWithTheKernelsWordsAndLeavesTheFirst() {
    Requirements.requireNamespaces();
    try (NetworkNamespace blue = NetworkNamespace.create("blue");
        NetworkNamespace red = NetworkNamespace.create("red");
        NetworkNamespace green = NetworkNamespace.create("green")) {
      Links.createVeth(blue, "x", red, "y");
      assertThatThrownBy(() -> Links.createVeth(blue, "x", green, "z"))
          .isInstanceOf(KernelException.class)
          .hasMessageStartingWith("RTM_NEWLINK veth blue:x<->green:z failed: EEXIST (File exists)")
          .extracting(e -> ((KernelException) e).errnoName())
          .isEqualTo("EEXIST");
      assertThat(Oracle.ip(green, "-o", "link", "show")).doesNotContain("z@");
      assertThat(Oracle.ip(blue, "-o", "link", "show")).contains("x@");
    }
  }

  @Test
  @Tag("privileged")
  void unknownInterfaceAndUnknownNamespaceAreNamed() {
    Requirements.requireNamespaces();
    try (NetworkNamespace blue = NetworkNamespace.create("blue")) {
      assertThatThrownBy(() -> Addresses.add(blue, "eth9", Cidr.parse("10.1.1.1/24")))
          .hasMessage("namespace blue has no interface named 'eth9'");
    }
    assertThatThrownBy(() -> NetworkNamespace.named("netns-junit-no-such-namespace"))
        .isInstanceOf(KernelException.class)
        .hasMessage(
            "open(/run/netns/netns-junit-no-such-namespace) failed: ENOENT (No such file or"
                + " directory)");
  }

  @Test
  @Tag("privileged")
  void closedNamespaceRefusesWork() {
    Requirements.requireNamespaces();
    NetworkNamespace blue = NetworkNamespace.create("blue");
    blue.close();
    blue.close(); // idempotent
    assertThatThrownBy(() -> blue.call(() -> 1)).hasMessage("namespace blue is closed");
    assertThatThrownBy(() -> Links.createBridge(blue, "br0"))
        .hasMessage("namespace blue is closed");
  }

  @Test
  @Tag("privileged")
  void kernelErrorsCarryTheExtendedAck() {
    Requirements.requireNamespaces();
    try (NetworkNamespace blue = NetworkNamespace.create("blue")) {
      // A route via a gateway that no link reaches: the kernel explains in its extended ack.
      assertThatThrownBy(
              () -> Routes.addVia(blue, Cidr.parse("10.9.0.0/16"), Cidr.parseAddress("10.8.0.1")))
          .isInstanceOf(KernelException.class)
          .hasMessageStartingWith(
              "RTM_NEWROUTE 10.9.0.0/16 via 10.8.0.1 in blue failed: ENETUNREACH")
          .satisfies(e -> assertThat(((KernelException) e).extAck()).isPresent());
    }
  }
}
