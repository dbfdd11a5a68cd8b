package dev.netns.kernel;

/**
 * An address on a link, as {@code ip addr} shows it.
 *
 * @param linkIndex the ifindex of the link
 * @param linkName the link's name
 * @param address the address with its prefix
 * @param scope the kernel's {@code RT_SCOPE_*} value
 * @param tentative true while IPv6 duplicate address detection is still running
 */
public record AddressInfo(
    int linkIndex, String linkName, Cidr address, int scope, boolean tentative) {}
