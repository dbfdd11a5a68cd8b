package dev.netns.junit;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The whole network of a test: its namespaces and links. Inject it as a parameter or field.
 *
 * <pre>{@code
 * @Test
 * void blueSeesRed(Network network) throws Exception {
 *   NetNs blue = network.namespace("blue");
 *   String toRed = network.link("blue", "red").interfaceIn("blue");   // "red"
 * }
 * }</pre>
 */
public interface Network {
  /** The declared namespaces, in declaration order. */
  List<NetNs> namespaces();

  /** The namespace of that name, or {@link VethLink#HOST} for the machine's own. */
  NetNs namespace(String name);

  /**
   * The first IPv4 address of a host (its first address of any family if it has no IPv4 one), as
   * declared or assigned: what the host's name stands for in a test, ready to pass to a socket. The
   * same as {@code addresses(host).get(0).address()} when the host's first address is IPv4.
   */
  InetAddress address(String host);

  /**
   * Every address of a host, with prefix, links first then LANs, in declaration order: {@code
   * [10.0.0.3/24, fd00:0:0:1::3/64]}.
   */
  List<CidrAddress> addresses(String host);

  /** Every declared link. */
  List<Link> links();

  /** The link between {@code a} and {@code b} (either order); fails if there is none or several. */
  Link link(String a, String b);

  /** Every declared LAN by name with its hosts, both in declaration order. */
  Map<String, List<String>> lans();

  /**
   * Splits the hosts into two sides that cannot reach each other, silently: packets vanish and
   * connections time out, as in a real partition. Hosts on neither side keep reaching everyone.
   */
  Fault partition(Set<String> side, Set<String> otherSide);

  /** Splits the hosts into any number of groups that cannot reach each other, silently. */
  Fault partition(List<Set<String>> groups);

  /** As {@link #partition(List)}, but senders fail fast: EHOSTUNREACH, "No route to host". */
  Fault partitionRejecting(List<Set<String>> groups);

  /**
   * Packets from {@code from} to {@code to} vanish; packets from {@code to} to {@code from} flow.
   */
  Fault cut(String from, String to);

  /** As {@link #cut}, but {@code from} fails fast: EHOSTUNREACH, "No route to host". */
  Fault cutRejecting(String from, String to);

  /** Unplugs {@code host} from LAN {@code lan}: its port goes down, carrier lost both ways. */
  Fault disconnect(String host, String lan);

  /** An impairment on traffic leaving {@code host} through its interface on LAN {@code lan}. */
  Fault impair(String host, String lan, Impairment impairment);

  /** The faults in force, oldest first. */
  List<Fault> faults();

  /** Heals every fault in force, newest first. */
  void healAll();

  /**
   * Starts {@code schedule} in the background with the seed of the configuration parameter {@code
   * netns.seed}, or one drawn for this network; see {@link FaultSchedule}. Close it to stop it and
   * heal what it applied; teardown does so if the test does not.
   *
   * @throws IllegalArgumentException before anything runs, when the schedule does not fit this
   *     network (see {@link FaultSchedule#plan})
   */
  Nemesis nemesis(FaultSchedule schedule);

  /** As {@link #nemesis(FaultSchedule)}, with the seed given. */
  Nemesis nemesis(FaultSchedule schedule, long seed);
}
