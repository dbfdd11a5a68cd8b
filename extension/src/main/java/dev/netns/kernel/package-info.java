/**
 * What Linux does, one small class per concept: network namespaces ({@link
 * dev.netns.kernel.NetworkNamespace}), links, addresses, routes, neighbours, qdiscs, sysctls,
 * offloads, packet sockets, inspection and capability probes, over syscalls and rtnetlink. Knows
 * nothing of JUnit, and is not public API: the records it returns ({@link
 * dev.netns.kernel.LinkInfo}, {@link dev.netns.kernel.AddressInfo}, {@link
 * dev.netns.kernel.RouteInfo}, {@link dev.netns.kernel.NeighbourInfo}, {@link
 * dev.netns.kernel.LinkStats}, {@link dev.netns.kernel.Cidr}) reach tests only as the value types
 * of {@code dev.netns.junit}, into which the extension turns them.
 */
package dev.netns.kernel;
