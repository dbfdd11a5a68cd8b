package dev.netns.junit;

/**
 * An address assigned to an interface of a namespace, as {@code ip addr} shows it. One of {@link
 * NetNs#addresses()}.
 *
 * <pre>{@code
 * List<CidrAddress> global = blue.addresses().stream()
 *     .filter(a -> a.scope() == AddressScope.GLOBAL)
 *     .map(AssignedAddress::address)
 *     .toList();                                     // [10.1.1.1/24, fd00:1::1/64]
 * }</pre>
 *
 * @param interfaceIndex the index of the interface
 * @param interfaceName the name of the interface
 * @param address the address with its prefix length
 * @param scope how far the address is valid: {@link AddressScope#HOST} for loopback, {@link
 *     AddressScope#LINK} for IPv6 {@code fe80::}
 * @param tentative true while IPv6 duplicate address detection runs: the address cannot be bound
 *     yet
 */
public record AssignedAddress(
    int interfaceIndex,
    String interfaceName,
    CidrAddress address,
    AddressScope scope,
    boolean tentative) {

  /** IPv4 or IPv6. */
  public AddressFamily family() {
    return address.family();
  }
}
