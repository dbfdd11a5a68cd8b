package dev.netns.topology;

/**
 * How the userspace forwarders of a running topology read and write frames.
 *
 * <pre>{@code
 * RunningTopology network = topology.start();
 * network.forwardThrough(ForwarderPorts.SOCKET); // before the first impairment
 * }</pre>
 */
public enum ForwarderPorts {
  /**
   * Memory-mapped receive rings and batched sends; a port whose ring the kernel refuses falls back
   * to {@link #SOCKET}, with a warning saying why.
   */
  RING,

  /**
   * One system call per frame: for comparison in benchmarks, and as a way out should the rings
   * misbehave on some kernel.
   */
  SOCKET
}
