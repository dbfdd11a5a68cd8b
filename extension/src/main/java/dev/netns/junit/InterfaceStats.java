package dev.netns.junit;

/**
 * The counters of an interface since it was created ({@code IFLA_STATS64}), as {@code ip -s link}
 * shows them. Dropped packets here are the kernel's own drops (a full queue, a qdisc), not the
 * losses of an {@link Impairment} applied in userspace.
 *
 * <pre>{@code
 * long sent = blue.interfaces().get(1).stats().txPackets();
 * }</pre>
 *
 * @param rxPackets packets received
 * @param txPackets packets sent
 * @param rxBytes bytes received
 * @param txBytes bytes sent
 * @param rxErrors receive errors
 * @param txErrors send errors
 * @param rxDropped received packets dropped
 * @param txDropped packets dropped on the way out
 */
public record InterfaceStats(
    long rxPackets,
    long txPackets,
    long rxBytes,
    long txBytes,
    long rxErrors,
    long txErrors,
    long rxDropped,
    long txDropped) {}
