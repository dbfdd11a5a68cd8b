/**
 * The public API: annotations that declare a test's network ({@link dev.netns.junit.NetNamespace},
 * {@link dev.netns.junit.VethLink}, {@link dev.netns.junit.Lan}, {@link dev.netns.junit.Router},
 * {@link dev.netns.junit.Route}, {@link dev.netns.junit.TopologyFactory}), run code inside it
 * ({@link dev.netns.junit.InNamespace}, {@link dev.netns.junit.Ns}) and record it ({@link
 * dev.netns.junit.Capture}); handles on it ({@link dev.netns.junit.NetNs}, {@link
 * dev.netns.junit.Network}, {@link dev.netns.junit.Link}); faults and impairments ({@link
 * dev.netns.junit.Fault}, {@link dev.netns.junit.Impairment}); assertions ({@link
 * dev.netns.junit.NetAssertions}).
 *
 * <p>What {@code NetNs} reports about a namespace comes as the plain records of {@code
 * dev.netns.kernel} ({@code LinkInfo}, {@code LinkStats}, {@code AddressInfo}, {@code RouteInfo},
 * {@code NeighbourInfo}, {@code Cidr}), which are part of this API too.
 *
 * <pre>{@code
 * @NetNamespace("blue") @NetNamespace("red")
 * @VethLink(a = "blue", aAddress = "10.1.1.1/24", b = "red", bAddress = "10.1.1.2/24")
 * class EchoTest { @Test void echo(@Ns("red") NetNs red) { ... } }
 * }</pre>
 */
package dev.netns.junit;
