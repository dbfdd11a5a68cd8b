package dev.netns.kernel;

import dev.netns.nativeaccess.KernelException;
import dev.netns.netlink.AddressRequests;
import dev.netns.netlink.LinkRequests;
import dev.netns.netlink.Request;
import dev.netns.netlink.RouteRequests;
import dev.netns.netlink.Rtnetlink;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Link, address and route changes to one namespace, sent together on its netlink socket: one round
 * trip for the lot (as few datagrams as fit), every answer read, the first failure thrown with the
 * others suppressed. Links are named by the ifindex the caller knows; names only describe them in
 * errors. New links may be placed in any namespace (the request carries its descriptor), so all of
 * a network's links can be made in one batch.
 *
 * <pre>{@code
 * Changes.in(blue)
 *     .createVeth(blue, "eth0", 100, red, "eth0", 100)
 *     .addAddress("eth0", 100, Cidr.parse("10.1.1.1/24"))
 *     .execute();
 * }</pre>
 */
public final class Changes {
  private final NetworkNamespace ns;
  private final List<Request> requests = new ArrayList<>();

  private Changes(NetworkNamespace ns) {
    this.ns = ns;
  }

  /** An empty batch for {@code ns}, sent on its socket. */
  public static Changes in(NetworkNamespace ns) {
    return new Changes(ns);
  }

  /** A bridge, up, made in {@code where} with ifindex {@code index} (0: the kernel chooses). */
  public Changes createBridge(NetworkNamespace where, String name, int index) {
    InterfaceName.validate(name);
    requests.add(
        LinkRequests.newLink(name, "bridge", where.descriptor(), index, true)
            .describedAs("RTM_NEWLINK bridge " + where.name() + ":" + name));
    return this;
  }

  /**
   * A veth pair with each end placed directly in its namespace, the {@code a} end up (the {@code b}
   * end goes up with a {@link #setUp} in its own namespace's batch). Ifindex 0: the kernel chooses.
   */
  public Changes createVeth(
      NetworkNamespace a, String aName, int aIndex, NetworkNamespace b, String bName, int bIndex) {
    InterfaceName.validate(aName);
    InterfaceName.validate(bName);
    requests.add(
        LinkRequests.newVeth(aName, a.descriptor(), aIndex, bName, b.descriptor(), bIndex, true)
            .describedAs(
                "RTM_NEWLINK veth " + a.name() + ":" + aName + "<->" + b.name() + ":" + bName));
    return this;
  }

  /**
   * A veth pair as {@link #createVeth}, whose {@code a} end is made a port of the bridge {@code
   * bridge} (ifindex {@code bridgeIndex}) in {@code a}'s namespace as it is created. The bridge
   * must exist by the time the kernel reads this request: earlier in the same batch, or made by an
   * earlier batch.
   */
  public Changes createPort(
      NetworkNamespace a,
      String aName,
      int aIndex,
      String bridge,
      int bridgeIndex,
      NetworkNamespace b,
      String bName,
      int bIndex) {
    InterfaceName.validate(aName);
    InterfaceName.validate(bName);
    requests.add(
        LinkRequests.newVethPort(
                aName, a.descriptor(), aIndex, bridgeIndex, bName, b.descriptor(), bIndex)
            .describedAs(
                "RTM_NEWLINK veth "
                    + a.name()
                    + ":"
                    + aName
                    + " (port of "
                    + bridge
                    + ")<->"
                    + b.name()
                    + ":"
                    + bName));
    return this;
  }

  /** Sets a link of this namespace up or down. */
  public Changes setUp(String name, int index, boolean up) {
    requests.add(
        LinkRequests.setUp(index, up).describedAs(describe(name, index, up ? "up" : "down")));
    return this;
  }

  /** Makes a link of this namespace a port of a bridge here ({@code bridgeIndex} 0: of none). */
  public Changes setMaster(String port, int index, String bridge, int bridgeIndex) {
    requests.add(
        LinkRequests.setMaster(index, bridgeIndex)
            .describedAs(
                describe(port, index, bridgeIndex == 0 ? "nomaster" : "master " + bridge)));
    return this;
  }

  /** No IPv6 address generated for a link of this namespace: see {@link LinkRequests}. */
  public Changes setNoIpv6Addresses(String name, int index) {
    requests.add(
        LinkRequests.setIpv6AddrGenModeNone(index)
            .describedAs(describe(name, index, "addrgenmode none")));
    return this;
  }

  /** Sets the MTU of a link of this namespace. */
  public Changes setMtu(String name, int index, int mtu) {
    requests.add(LinkRequests.setMtu(index, mtu).describedAs(describe(name, index, "mtu " + mtu)));
    return this;
  }

  /** Adds an address (and with it the route to its prefix) to a link of this namespace. */
  public Changes addAddress(String name, int index, Cidr address) {
    requests.add(
        AddressRequests.add(index, address.address(), address.prefixLength())
            .describedAs("RTM_NEWADDR " + address + " on " + ns.name() + ":" + name));
    return this;
  }

  /** Removes an address from a link of this namespace. */
  public Changes deleteAddress(String name, int index, Cidr address) {
    requests.add(
        AddressRequests.delete(index, address.address(), address.prefixLength())
            .describedAs("RTM_DELADDR " + address + " on " + ns.name() + ":" + name));
    return this;
  }

  /**
   * A unicast route of this namespace to {@code to} (a {@code /0}: the default route), through a
   * gateway or out of a link (ifindex 0: found by the gateway); {@code replace} overwrites one
   * there already. {@code description} names it in errors.
   */
  public Changes addRoute(
      Cidr to, InetAddress via, int index, boolean replace, String description) {
    requests.add(
        RouteRequests.addUnicast(
                to.prefixLength() == 0 ? null : to.address(),
                to.prefixLength(),
                via,
                index,
                replace)
            .describedAs(description));
    return this;
  }

  /** A route of this namespace that refuses traffic to {@code to} ({@code unreachable}, ...). */
  public Changes addRefusingRoute(Cidr to, RouteType type) {
    Cidr network = to.network();
    requests.add(
        RouteRequests.addRefusing(network.address(), network.prefixLength(), type.rtnType())
            .describedAs(refusing("RTM_NEWROUTE", type, network)));
    return this;
  }

  /** Deletes the unicast route of this namespace to {@code to} (any gateway or interface). */
  public Changes deleteRoute(Cidr to) {
    Cidr network = to.network();
    requests.add(
        RouteRequests.delete(
                network.address(), network.prefixLength(), Rtnetlink.RTN_UNICAST, null, 0)
            .describedAs("RTM_DELROUTE " + network + " in " + ns.name()));
    return this;
  }

  /** Deletes a refusing route of this namespace added by {@link #addRefusingRoute}. */
  public Changes deleteRefusingRoute(Cidr to, RouteType type) {
    Cidr network = to.network();
    requests.add(
        RouteRequests.delete(network.address(), network.prefixLength(), type.rtnType(), null, 0)
            .describedAs(refusing("RTM_DELROUTE", type, network)));
    return this;
  }

  private String refusing(String message, RouteType type, Cidr network) {
    return message
        + " "
        + type.name().toLowerCase(Locale.ROOT)
        + " "
        + network
        + " in "
        + ns.name();
  }

  /** The number of changes added. */
  public int size() {
    return requests.size();
  }

  /** True when nothing was added. */
  public boolean isEmpty() {
    return requests.isEmpty();
  }

  /** Sends every change and waits for every answer; nothing is sent when empty. */
  public void execute() {
    if (!requests.isEmpty()) {
      ns.netlink().executeAll(requests);
    }
  }

  /**
   * Sends every change and waits for every answer, without throwing for the kernel's refusals: at
   * each change's position (in the order they were added), null when it was done and its failure
   * otherwise. Nothing is sent when empty.
   */
  public List<KernelException> executeEach() {
    return requests.isEmpty() ? List.of() : ns.netlink().executeEach(requests);
  }

  private String describe(String name, int index, String what) {
    return "RTM_NEWLINK " + ns.name() + ":" + name + " " + what;
  }
}
