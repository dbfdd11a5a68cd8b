/**
 * The public API: annotations that declare a test's network ({@link dev.netns.junit.NetNamespace},
 * {@link dev.netns.junit.VethLink}, {@link dev.netns.junit.Lan}, {@link dev.netns.junit.Router},
 * {@link dev.netns.junit.Route}, {@link dev.netns.junit.TopologyFactory}), run code inside it
 * ({@link dev.netns.junit.InNamespace}, {@link dev.netns.junit.Ns}) and record it ({@link
 * dev.netns.junit.Capture}); handles on it ({@link dev.netns.junit.NetNs}, {@link
 * dev.netns.junit.Network}, {@link dev.netns.junit.Link}); faults and impairments ({@link
 * dev.netns.junit.Fault}, {@link dev.netns.junit.Impairment}); assertions ({@link
 * dev.netns.junit.NetAssertions}); fault schedules drawn from a seed and run in the background
 * ({@link dev.netns.junit.FaultSchedule}, {@link dev.netns.junit.FaultKind}, {@link
 * dev.netns.junit.Nemesis}); histories of client operations and their linearizability check ({@link
 * dev.netns.junit.History}, {@link dev.netns.junit.Linearizability}).
 *
 * <p>The API owns its value types. Addresses are {@link dev.netns.junit.CidrAddress} everywhere (an
 * address with its prefix length), except {@link dev.netns.junit.Network#address}, which gives the
 * plain {@link java.net.InetAddress} a socket wants. What {@code NetNs} reads from the kernel comes
 * as records of this package: {@link dev.netns.junit.NetInterface} with {@link
 * dev.netns.junit.InterfaceStats}, {@link dev.netns.junit.AssignedAddress}, {@link
 * dev.netns.junit.RouteEntry}, {@link dev.netns.junit.NeighbourEntry}, with enums for the kernel's
 * numbers ({@link dev.netns.junit.AddressScope}, {@link dev.netns.junit.RouteType}, {@link
 * dev.netns.junit.RouteProtocol}, {@link dev.netns.junit.NeighbourState}, {@link
 * dev.netns.junit.AddressFamily}).
 *
 * <p>Besides this package, the API is the part of {@code dev.netns.topology} that a {@link
 * dev.netns.junit.TopologyFactory} method uses to describe a network: {@code Topology.builder()},
 * {@code Topology.Builder}, {@code Topologies}, the declaration records the builder takes and
 * {@code TopologyException}. Everything else, {@code dev.netns.junit.internal} and the lower
 * packages ({@code dev.netns.kernel}, {@code dev.netns.netlink}, {@code dev.netns.nativeaccess})
 * included, is the library's own and may change in any release. On the module path the jar is the
 * automatic module {@code dev.netns.junit}.
 *
 * <pre>{@code
 * @NetNamespace("blue") @NetNamespace("red")
 * @VethLink(a = "blue", aAddress = "10.1.1.1/24", b = "red", bAddress = "10.1.1.2/24")
 * class EchoTest { @Test void echo(@Ns("red") NetNs red) { ... } }
 * }</pre>
 */
package dev.netns.junit;
