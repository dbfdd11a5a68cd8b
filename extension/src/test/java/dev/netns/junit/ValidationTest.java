package dev.netns.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netns.kernel.Addresses;
import dev.netns.kernel.Cidr;
import dev.netns.kernel.Links;
import dev.netns.kernel.NetworkNamespace;
import dev.netns.testing.Oracle;
import dev.netns.testing.Requirements;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ParameterResolutionException;

/**
 * Every way to declare a network wrongly gets a message naming the test class, the annotation and
 * the attribute, before anything is created. Fixtures run through the engine; checks are exact.
 */
class ValidationTest {
  private static final String PREFIX =
      "Invalid network declared on dev.netns.junit.ValidationTest$";

  private static void assertConfigurationError(Class<?> fixture, String expected) {
    Throwable failure = Fixtures.onlyFailure(Fixtures.run(fixture));
    assertThat(failure).isInstanceOf(ExtensionConfigurationException.class);
    assertThat(failure.getMessage())
        .isEqualTo(PREFIX + fixture.getSimpleName() + ":\n- " + expected);
  }

  @NetNamespace("blue")
  @VethLink(a = "blue", b = "green")
  static class UnknownEnd {
    @Test
    void test() {}
  }

  @Test
  void linkToAnUndeclaredNamespace() {
    assertConfigurationError(
        UnknownEnd.class,
        "@VethLink(a = \"blue\", b = \"green\") on UnknownEnd: b = \"green\" names no declared"
            + " namespace (declared: blue; \"host\" is the machine's own)");
  }

  @NetNamespace("blue")
  @NetNamespace("blue")
  static class DuplicateNamespace {
    @Test
    void test() {}
  }

  @Test
  void namespaceDeclaredTwice() {
    assertConfigurationError(
        DuplicateNamespace.class,
        "@NetNamespace(\"blue\") on DuplicateNamespace: namespace 'blue' is declared twice");
  }

  @NetNamespace("blue")
  @NetNamespace("red")
  @VethLink(a = "blue", b = "red")
  @VethLink(a = "blue", b = "red", bName = "blue2")
  static class DuplicateInterface {
    @Test
    void test() {}
  }

  @Test
  void interfaceNameTwiceInOneNamespace() {
    assertConfigurationError(
        DuplicateInterface.class,
        "@VethLink(a = \"blue\", b = \"red\") on DuplicateInterface: interface 'red' already exists"
            + " in namespace 'blue'; give this end another name with aName");
  }

  @NetNamespace("blue")
  @NetNamespace("red")
  @VethLink(a = "blue", aAddress = "10.1.1.1", b = "red")
  static class AddressWithoutPrefix {
    @Test
    void test() {}
  }

  @Test
  void addressWithoutPrefix() {
    assertConfigurationError(
        AddressWithoutPrefix.class,
        "@VethLink(a = \"blue\", b = \"red\") on AddressWithoutPrefix: aAddress '10.1.1.1' has no"
            + " prefix length; write it as address/prefix, for example 10.1.1.1/24");
  }

  @NetNamespace("blue")
  @NetNamespace("red")
  @VethLink(a = "blue", aAddress = "10.1.1.1/24", b = "red", bAddress = "10.1.1.1/33")
  static class PrefixTooLong {
    @Test
    void test() {}
  }

  @Test
  void prefixOutOfRange() {
    assertConfigurationError(
        PrefixTooLong.class,
        "@VethLink(a = \"blue\", b = \"red\") on PrefixTooLong: bAddress '10.1.1.1/33' has prefix"
            + " length 33; it must be 0..32");
  }

  @NetNamespace("blue")
  @NetNamespace("red")
  @VethLink(a = "blue", aAddress = "10.1.1.1/24", b = "red", bAddress = "10.1.1.1/24")
  static class SameAddressTwice {
    @Test
    void test() {}
  }

  @Test
  void sameAddressTwice() {
    assertConfigurationError(
        SameAddressTwice.class,
        "@VethLink(a = \"blue\", b = \"red\") on SameAddressTwice: address 10.1.1.1 is declared"
            + " twice, as bAddress and as aAddress");
  }

  @NetNamespace("blue")
  @VethLink(a = "blue", b = "blue")
  static class LinkToItself {
    @Test
    void test() {}
  }

  @Test
  void linkFromANamespaceToItself() {
    assertConfigurationError(
        LinkToItself.class,
        "@VethLink(a = \"blue\", b = \"blue\") on LinkToItself: a and b are both 'blue'; a veth"
            + " link joins two different namespaces");
  }

  @NetNamespace("blue")
  @NetNamespace("red")
  @VethLink(a = "blue", aName = "a-very-long-name0", b = "red")
  static class NameTooLong {
    @Test
    void test() {}
  }

  @Test
  void interfaceNameOver15Bytes() {
    assertConfigurationError(
        NameTooLong.class,
        "@VethLink(a = \"blue\", b = \"red\") on NameTooLong: aName 'a-very-long-name0' is 17 bytes"
            + " long; interface names are at most 15 bytes");
  }

  @NetNamespace("blue")
  static class InUndeclaredNamespace {
    @Test
    @InNamespace("green")
    void body() {}
  }

  @Test
  void inNamespaceNamingAnUndeclaredNamespace() {
    assertConfigurationError(
        InUndeclaredNamespace.class,
        "@InNamespace(\"green\") on method body(): \"green\" names no declared namespace"
            + " (declared: blue)");
  }

  @NetNamespace("blue")
  static class FieldForUndeclaredNamespace {
    @Ns("green")
    NetNs green;

    @Test
    void test() {}
  }

  @Test
  void fieldForAnUndeclaredNamespace() {
    assertConfigurationError(
        FieldForUndeclaredNamespace.class,
        "@Ns(\"green\") on field FieldForUndeclaredNamespace.green: \"green\" names no declared"
            + " namespace (declared: blue)");
  }

  @Tag("privileged")
  @NetNamespace("blue")
  static class ParameterForUndeclaredNamespace {
    @Test
    void test(@Ns("green") NetNs green) {}
  }

  @Test
  @Tag("privileged")
  void parameterForAnUndeclaredNamespace() {
    Requirements.requireNamespaces();
    Throwable failure = Fixtures.onlyFailure(Fixtures.run(ParameterForUndeclaredNamespace.class));
    assertThat(failure)
        .isInstanceOf(ParameterResolutionException.class)
        .hasMessage(
            "@Ns(\"green\") on parameter 0 of test() names no declared namespace (declared: blue)");
  }

  @NetNamespace("blue")
  static class ParameterOfWrongType {
    @Test
    void test(@Ns("blue") String blue) {}
  }

  @Test
  @Tag("privileged")
  void parameterOfTheWrongType() {
    Requirements.requireNamespaces();
    Throwable failure = Fixtures.onlyFailure(Fixtures.run(ParameterOfWrongType.class));
    assertThat(failure)
        .isInstanceOf(ParameterResolutionException.class)
        .hasMessage("@Ns on parameter 0 of test() needs type NetNs, but it is java.lang.String");
  }

  @NetNamespace("blue")
  @VethLink(a = "blue", b = VethLink.HOST, bName = "njvalhost0", bAddress = "10.66.0.5/24")
  static class HostAddressOverlapsAMachineRoute {
    @Test
    void test() {}
  }

  @Test
  @Tag("privileged")
  void hostSideAddressOverlappingAnExistingRoute() {
    Requirements.requireNamespaces();
    // Give the machine a route to 10.66.0.0/24 (over a link of this test's own), then declare a
    // host-side address inside it: the declaration is refused before anything is made.
    try (NetworkNamespace host = NetworkNamespace.host();
        NetworkNamespace other = NetworkNamespace.create("other")) {
      Links.createVeth(host, "njvalroute0", other, "eth0");
      try {
        Addresses.add(host, "njvalroute0", Cidr.parse("10.66.0.1/24"));
        Links.setUp(host, "njvalroute0", true);
        Links.setUp(other, "eth0", true);
        assertConfigurationError(
            HostAddressOverlapsAMachineRoute.class,
            "@VethLink(a = \"blue\", b = \"host\") on HostAddressOverlapsAMachineRoute: host-side"
                + " address 10.66.0.5/24 overlaps the machine's route to 10.66.0.0/24 on"
                + " njvalroute0; pick a subnet the machine does not use");
        assertThat(Oracle.hostIp("-o", "link", "show")).doesNotContain("njvalhost0");
      } finally {
        Links.delete(host, "njvalroute0");
      }
    }
  }

  @NetNamespace("blue")
  @VethLink(a = "blue", b = VethLink.HOST, bName = "njvaltaken0", bAddress = "10.67.0.5/24")
  static class HostNameTaken {
    @Test
    void test() {}
  }

  @Test
  @Tag("privileged")
  void hostSideNameThatTheMachineAlreadyHasIsRefusedAndLeftAlone() {
    Requirements.requireNamespaces();
    try (NetworkNamespace host = NetworkNamespace.host();
        NetworkNamespace other = NetworkNamespace.create("other")) {
      Links.createVeth(host, "njvaltaken0", other, "eth0");
      try {
        assertConfigurationError(
            HostNameTaken.class,
            "@VethLink(a = \"blue\", b = \"host\") on HostNameTaken: the machine already has an"
                + " interface named 'njvaltaken0'; name the host-side end differently, or leave its"
                + " name to the extension");
        assertThat(Links.find(host, "njvaltaken0")).as("the machine's interface").isPresent();
      } finally {
        Links.delete(host, "njvaltaken0");
      }
    }
  }

  // ---- names too long for netns.bind, and name problems reported with the topology's

  static final String NAME_OF_230 =
      "abcdefghij"
          + "abcdefghij"
          + "abcdefghij"
          + "abcdefghij"
          + "abcdefghij"
          + "abcdefghij"
          + "abcdefghij"
          + "abcdefghij"
          + "abcdefghij"
          + "abcdefghij"
          + "abcdefghij"
          + "abcdefghij"
          + "abcdefghij"
          + "abcdefghij"
          + "abcdefghij"
          + "abcdefghij"
          + "abcdefghij"
          + "abcdefghij"
          + "abcdefghij"
          + "abcdefghij"
          + "abcdefghij"
          + "abcdefghij"
          + "abcdefghij";

  @NetNamespace(NAME_OF_230)
  static class BindNameTooLong {
    @Test
    void test() {}
  }

  @Test
  void nameTooLongForABindingIsRefusedUpFront() {
    Throwable failure =
        Fixtures.onlyFailure(
            Fixtures.run(BindNameTooLong.class, java.util.Map.of("netns.bind", "true")));
    assertThat(failure).isInstanceOf(ExtensionConfigurationException.class);
    assertThat(failure.getMessage())
        .isEqualTo(
            PREFIX
                + "BindNameTooLong:\n- namespace \"abcdefghijabcdefghijabcdefghijabcdefghij…\" has"
                + " a name of 230 characters, too long for netns.bind=true, which binds it as"
                + " /run/netns/nj-PID-N-NAME: use a name of at most 224 characters, or leave"
                + " netns.bind unset");
  }

  @NetNamespace("blue")
  @VethLink(a = "blue", b = "green")
  static class NameAndTopologyProblems {
    @Ns("purple")
    NetNs purple;

    @Test
    @InNamespace("purple")
    void body() {}
  }

  @Test
  void namesAreCheckedTogetherWithTheTopology() {
    assertConfigurationError(
        NameAndTopologyProblems.class,
        "@VethLink(a = \"blue\", b = \"green\") on NameAndTopologyProblems: b = \"green\" names"
            + " no declared namespace (declared: blue; \"host\" is the machine's own)\n"
            + "- @InNamespace(\"purple\") on method body(): \"purple\" names no declared"
            + " namespace (declared: blue)\n"
            + "- @Ns(\"purple\") on field NameAndTopologyProblems.purple: \"purple\" names no"
            + " declared namespace (declared: blue)");
  }

  @NetNamespace("blue")
  @NetNamespace("red")
  @NetNamespace("green")
  @VethLink(a = "blue", aAddress = "10.1.1.1/24", b = "red", bAddress = "10.1.1.2/24")
  @VethLink(a = "red", aAddress = "10.1.2.1/24", b = "green", bAddress = "10.1.1.1/24")
  static class SameAddressOnTwoLinks {
    @Test
    void test() {}
  }

  @Test
  void anAddressOnTwoLinksNamesBoth() {
    assertConfigurationError(
        SameAddressOnTwoLinks.class,
        "@VethLink(a = \"red\", b = \"green\") on SameAddressOnTwoLinks: address 10.1.1.1 is"
            + " declared twice, as bAddress and as aAddress of @VethLink(a = \"blue\", b ="
            + " \"red\") on SameAddressOnTwoLinks\n- @VethLink(a = \"red\", b = \"green\") on"
            + " SameAddressOnTwoLinks: subnet 10.1.1.0/24 overlaps 10.1.1.0/24 of @VethLink(a ="
            + " \"blue\", b = \"red\") on SameAddressOnTwoLinks");
  }

  @NetNamespace("blue")
  @NetNamespace("my host")
  @VethLink(a = "blue", aAddress = "10.1.1.1/24", b = "my host", bAddress = "10.1.1.2/24")
  static class DefaultNameFromANamespaceName {
    @Test
    void test() {}
  }

  @Test
  void aDefaultInterfaceNameThatIsInvalidSaysItCameFromTheNamespaceName() {
    assertConfigurationError(
        DefaultNameFromANamespaceName.class,
        "@VethLink(a = \"blue\", b = \"my host\") on DefaultNameFromANamespaceName: aName is not"
            + " set, so the end in 'blue' is named after namespace 'my host', but as an interface"
            + " name 'my host' contains 'whitespace'; set aName to name the end explicitly");
  }

  @NetNamespace("blue")
  @VethLink(a = "blue", aAddress = "1.0.0.1/1", b = VethLink.HOST, bAddress = "10.5.0.2/32")
  static class HalfTheInternetOverATestLink {
    @Test
    void test() {}
  }

  @Test
  void aPeerSubnetTooWideToRouteOnTheMachineIsRefusedBeforeAnythingIsMade() {
    assertConfigurationError(
        HalfTheInternetOverATestLink.class,
        "@VethLink(a = \"blue\", b = \"host\") on HalfTheInternetOverATestLink: aAddress"
            + " 1.0.0.1/1 would make the machine route 0.0.0.0/1 over this link; a test may route"
            + " at most a /8 of IPv4 on the machine");
  }

  @NetNamespace("blue")
  @VethLink(a = "blue", aAddress = "10.5.0.1/24", b = VethLink.HOST, bAddress = "0.0.0.0/1")
  static class UnspecifiedHostSideAddress {
    @Test
    void test() {}
  }

  @Test
  void anUnspecifiedHostSideAddressIsRefused() {
    assertConfigurationError(
        UnspecifiedHostSideAddress.class,
        "@VethLink(a = \"blue\", b = \"host\") on UnspecifiedHostSideAddress: bAddress 0.0.0.0/1"
            + " is an unspecified address (0.0.0.0/8); the machine's end of a link needs a unicast"
            + " address of a subnet the machine does not use");
  }

  @NetNamespace("blue")
  @VethLink(a = "blue", aAddress = "fd00:5::1/64", b = VethLink.HOST, bAddress = "fe80::5/64")
  static class LinkLocalHostSideAddress {
    @Test
    void test() {}
  }

  @Test
  void aLinkLocalHostSideAddressIsRefused() {
    assertConfigurationError(
        LinkLocalHostSideAddress.class,
        "@VethLink(a = \"blue\", b = \"host\") on LinkLocalHostSideAddress: bAddress fe80::5/64 is"
            + " a link-local address (fe80::/10); the machine's end of a link needs a unicast"
            + " address of a subnet the machine does not use");
  }
}
