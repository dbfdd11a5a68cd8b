package dev.netns.topology;

import java.util.List;

/**
 * A veth pair as the user wrote it, before validation: names may be empty (defaults apply) and
 * addresses are still text.
 *
 * @param a one end's namespace ({@link Topology#HOST} for the machine's own)
 * @param aInterface the interface name in {@code a}; empty for the default (the peer's name)
 * @param aAddresses addresses with prefix, such as {@code 10.1.1.1/24}
 * @param b the other end's namespace
 * @param bInterface the interface name in {@code b}; empty for the default
 * @param bAddresses addresses of that end
 * @param mtu MTU of both ends, 0 for the default
 * @param origin how it was declared, quoted in error messages
 * @param impairable true to route the link through a hidden wire namespace, where the userspace
 *     impairment path can work on it
 */
public record VethDeclaration(
    String a,
    String aInterface,
    List<String> aAddresses,
    String b,
    String bInterface,
    List<String> bAddresses,
    int mtu,
    String origin,
    boolean impairable) {

  /** A declaration of a plain link (not impairable in userspace). */
  public VethDeclaration(
      String a,
      String aInterface,
      List<String> aAddresses,
      String b,
      String bInterface,
      List<String> bAddresses,
      int mtu,
      String origin) {
    this(a, aInterface, aAddresses, b, bInterface, bAddresses, mtu, origin, false);
  }
}
