/**
 * A network model and its builder, usable without JUnit: hosts, routers, veth links, LANs, routes,
 * validated as a whole ({@link dev.netns.topology.Topology}), built in the kernel and torn down as
 * a unit ({@link dev.netns.topology.RunningTopology}), and made to misbehave ({@link
 * dev.netns.topology.FaultInjector}). The benchmarks drive the library through this layer.
 *
 * <pre>{@code
 * try (RunningTopology net = Topologies.lan("lan", "10.0.0.0/24", 3).build().start()) { ... }
 * }</pre>
 */
package dev.netns.topology;
