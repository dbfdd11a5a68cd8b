package dev.netns.topology;

import java.util.List;

/**
 * A LAN as the user wrote it, before validation.
 *
 * @param name the LAN's name (also the default interface name in each host)
 * @param subnets subnets such as {@code 10.0.0.0/24} and {@code fd00:0:0:1::/64}
 * @param hosts the attached hosts, in order; automatic addresses go .1, .2, ... in this order
 * @param addresses empty for automatic addressing, or one entry per host: an address (or several,
 *     comma-separated) inside the subnets, or an empty string for that host's automatic address
 * @param origin how it was declared, quoted in error messages
 */
public record LanDeclaration(
    String name, List<String> subnets, List<String> hosts, List<String> addresses, String origin) {}
