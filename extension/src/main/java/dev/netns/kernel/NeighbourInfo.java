package dev.netns.kernel;

import java.net.InetAddress;

/** A neighbour table entry: an IP address, the MAC it resolved to (or null), the NUD state. */
public record NeighbourInfo(String linkName, InetAddress address, String mac, NudState state) {}
