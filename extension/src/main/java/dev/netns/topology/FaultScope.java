package dev.netns.topology;

import java.util.List;
import java.util.Set;

/**
 * Which hosts, links and ports a fault in force acts on, and how: what a picture of the network
 * needs to draw the fault where it is (the fault's {@link ActiveFault#description() description}
 * says the same in words).
 */
public sealed interface FaultScope {

  /**
   * Hosts split into groups that cannot reach each other; hosts in no group reach everyone.
   *
   * @param groups the sides, as the fault was asked for
   * @param mode what senders see
   */
  record Partition(List<Set<String>> groups, DropMode mode) implements FaultScope {
    public Partition {
      groups = groups.stream().map(Set::copyOf).toList();
    }
  }

  /**
   * Packets from one host to another vanish or are refused; the other way still works.
   *
   * @param from the host whose packets are dropped
   * @param to the host they were meant for
   * @param mode what the sender sees
   */
  record Cut(String from, String to, DropMode mode) implements FaultScope {}

  /** Both ends of a veth pair held down. */
  record LinkDown(VethPair link) implements FaultScope {}

  /** A host's port on a LAN held down (its interface and the switch's port). */
  record Unplugged(String host, String lan) implements FaultScope {}

  /**
   * Traffic leaving a host through one of its interfaces (a veth end or a LAN port) is impaired.
   *
   * @param host the host whose outgoing traffic is impaired
   * @param interfaceName its interface there
   * @param effect the impairment in short, for example {@code rate 1000000 bit/s}
   */
  record Impaired(String host, String interfaceName, String effect) implements FaultScope {}

  /**
   * A process node of a host paused or crashed: the network is whole, the node is not.
   *
   * @param host the namespace the node runs in
   * @param node the node's name
   * @param effect what was done to it, for example {@code paused}
   */
  record NodeState(String host, String node, String effect) implements FaultScope {}
}
