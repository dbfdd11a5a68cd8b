/**
 * A network model and its builder, usable without JUnit: hosts, routers, veth links, LANs, routes,
 * validated as a whole ({@link dev.netns.topology.Topology}), built in the kernel and torn down as
 * a unit ({@link dev.netns.topology.RunningTopology}), and made to misbehave ({@link
 * dev.netns.topology.FaultInjector}). The benchmarks drive the library through this layer.
 *
 * <p><b>What of this package is public API.</b> A {@code @TopologyFactory} method (of {@code
 * dev.netns.junit}) returns a {@link dev.netns.topology.Topology}, so the way to describe one is
 * API, kept compatible like {@code dev.netns.junit}: {@link dev.netns.topology.Topology#builder()}
 * and {@link dev.netns.topology.Topology.Builder}, the constants {@link
 * dev.netns.topology.Topology#HOST} and {@link dev.netns.topology.Topology#DEFAULT_ADDRESS_POOL},
 * {@link dev.netns.topology.Topologies}, the declaration records the builder takes ({@link
 * dev.netns.topology.VethDeclaration}, {@link dev.netns.topology.LanDeclaration}, {@link
 * dev.netns.topology.RouteDeclaration}) and {@link dev.netns.topology.TopologyException}, which
 * {@code build()} throws. The rest (reading a built topology, {@code start()}, {@link
 * dev.netns.topology.RunningTopology}, faults) is public for the extension and the benchmarks, and
 * may change in any release; tests use the handles of {@code dev.netns.junit} instead.
 *
 * <pre>{@code
 * try (RunningTopology net = Topologies.lan("lan", "10.0.0.0/24", 3).build().start()) { ... }
 * }</pre>
 */
package dev.netns.topology;
