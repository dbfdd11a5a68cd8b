package dev.netns.kernel;

/**
 * A link as the kernel reports it: what {@code ip -s link} shows.
 *
 * @param index the ifindex
 * @param name the interface name
 * @param kind the link kind ({@code veth}, {@code bridge}...), or empty for loopback and physical
 * @param up administratively up ({@code IFF_UP})
 * @param lowerUp carrier present ({@code IFF_LOWER_UP})
 * @param mtu the MTU
 * @param mac the hardware address, colon-separated hex
 * @param masterIndex the ifindex of its master (a bridge), or 0
 * @param stats packet and drop counters
 */
public record LinkInfo(
    int index,
    String name,
    String kind,
    boolean up,
    boolean lowerUp,
    int mtu,
    String mac,
    int masterIndex,
    LinkStats stats) {}
