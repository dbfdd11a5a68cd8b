package dev.netns.junit;

import java.util.OptionalInt;

/**
 * An interface of a namespace as the kernel reports it: what {@code ip -s link} shows. One of
 * {@link NetNs#interfaces()}.
 *
 * <pre>{@code
 * NetInterface eth0 = blue.interfaces().stream().filter(i -> i.name().equals("eth0")).findFirst().orElseThrow();
 * assertTrue(eth0.up() && eth0.lowerUp());
 * assertEquals(0, eth0.stats().txDropped());
 * }</pre>
 *
 * @param index the interface index (ifindex), unique inside the namespace
 * @param name the interface name
 * @param kind the kernel's link kind, such as {@code veth} or {@code bridge}; empty for loopback
 *     and physical devices
 * @param up administratively up ({@code IFF_UP}): what {@link Link#down()} changes
 * @param lowerUp with carrier ({@code IFF_LOWER_UP}): false when the other end of a veth is down
 * @param mtu the MTU in bytes
 * @param mac the hardware address, lower-case colon-separated hex; empty when there is none
 * @param masterIndex the index of the interface it is enslaved to (a bridge), if any
 * @param stats packet, byte, error and drop counters
 */
public record NetInterface(
    int index,
    String name,
    String kind,
    boolean up,
    boolean lowerUp,
    int mtu,
    String mac,
    OptionalInt masterIndex,
    InterfaceStats stats) {}
