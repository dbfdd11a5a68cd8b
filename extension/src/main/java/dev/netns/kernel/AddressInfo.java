package dev.netns.kernel;

/**
 * An address on a link, as {@code ip addr} shows it.
 *
 * @param linkIndex the ifindex of the link
 * @param linkName the link's name
 * @param address the address with its prefix
 * @param scope how far the address reaches
 * @param tentative true while IPv6 duplicate address detection is still running
 */
public record AddressInfo(
    int linkIndex, String linkName, Cidr address, RtScope scope, boolean tentative) {}
