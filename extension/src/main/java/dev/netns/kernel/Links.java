package dev.netns.kernel;

import dev.netns.nativeaccess.Errno;
import dev.netns.nativeaccess.KernelException;
import dev.netns.netlink.IfInfoMsg;
import dev.netns.netlink.IfLink;
import dev.netns.netlink.LinkRequests;
import dev.netns.netlink.Netlink;
import dev.netns.netlink.NetlinkMessage;
import dev.netns.netlink.Request;
import dev.netns.netlink.Rtnetlink;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;

/**
 * Links inside namespaces: veth pairs, bridges, state, MTU, MAC, names, deletion.
 *
 * <pre>{@code
 * Links.createVeth(blue, "red", red, "blue");   // blue:red <-> red:blue, nothing in the host
 * Links.setUp(blue, "red", true);
 * }</pre>
 */
public final class Links {
  private Links() {}

  /**
   * Creates a veth pair with each end placed directly in its namespace, in one request. Nothing
   * appears in any third namespace, even for an instant.
   */
  public static void createVeth(
      NetworkNamespace a, String aName, NetworkNamespace b, String bName) {
    InterfaceName.validate(aName);
    InterfaceName.validate(bName);
    a.netlink().execute(vethRequest(a, aName, b, bName));
  }

  /** The request {@link #createVeth} sends, for callers that batch several. */
  public static Request vethRequest(
      NetworkNamespace a, String aName, NetworkNamespace b, String bName) {
    return LinkRequests.newVeth(aName, a.descriptor(), bName, b.descriptor())
        .describedAs("RTM_NEWLINK veth " + a.name() + ":" + aName + "<->" + b.name() + ":" + bName);
  }

  /** Creates a bridge (a LAN switch) in {@code ns}. */
  public static void createBridge(NetworkNamespace ns, String name) {
    InterfaceName.validate(name);
    ns.netlink()
        .execute(
            LinkRequests.newLink(name, "bridge")
                .describedAs("RTM_NEWLINK bridge " + ns.name() + ":" + name));
  }

  /**
   * Creates a bridge that sends nothing of its own, to swallow what is routed to it: multicast
   * snooping off (no IGMP or MLD reports) and, where the namespace has IPv6, no IPv6 link-local
   * address (no duplicate address detection, router solicitation or MLD). So its transmit counter
   * counts only packets routed to it. Bring it up with {@link #setUpNoArp}.
   */
  public static void createVoid(NetworkNamespace ns, String name) {
    InterfaceName.validate(name);
    ns.netlink()
        .execute(
            LinkRequests.newBridgeWithoutSnooping(name)
                .describedAs("RTM_NEWLINK bridge " + ns.name() + ":" + name + " mcast_snooping 0"));
    if (Files.isDirectory(Path.of("/proc/sys/net/ipv6"))) {
      // IN6_ADDR_GEN_MODE_NONE
      Sysctls.write(ns, "net.ipv6.conf." + name + ".addr_gen_mode", "1");
    }
  }

  /** Sets the link up or down. */
  public static void setUp(NetworkNamespace ns, String name, boolean up) {
    int index = index(ns, name);
    ns.netlink()
        .execute(
            LinkRequests.setUp(index, up)
                .describedAs("RTM_NEWLINK " + ns.name() + ":" + name + (up ? " up" : " down")));
  }

  /**
   * Sets the link up without ARP: for a device that only swallows what is routed to it and must
   * never answer or ask for neighbours.
   */
  public static void setUpNoArp(NetworkNamespace ns, String name) {
    int flags = IfLink.IFF_UP | IfLink.IFF_NOARP;
    ns.netlink()
        .execute(
            LinkRequests.setFlags(index(ns, name), flags, flags)
                .describedAs("RTM_NEWLINK " + ns.name() + ":" + name + " up noarp"));
  }

  /** Takes {@code port} out of whatever bridge it is a port of. */
  public static void setNoMaster(NetworkNamespace ns, String port) {
    ns.netlink()
        .execute(
            LinkRequests.setMaster(index(ns, port), 0)
                .describedAs("RTM_NEWLINK " + ns.name() + ":" + port + " nomaster"));
  }

  /** Makes {@code port} a port of {@code bridge} (both in {@code ns}). */
  public static void setMaster(NetworkNamespace ns, String port, String bridge) {
    ns.netlink()
        .execute(
            LinkRequests.setMaster(index(ns, port), index(ns, bridge))
                .describedAs("RTM_NEWLINK " + ns.name() + ":" + port + " master " + bridge));
  }

  /** Sets the MTU. */
  public static void setMtu(NetworkNamespace ns, String name, int mtu) {
    ns.netlink()
        .execute(
            LinkRequests.setMtu(index(ns, name), mtu)
                .describedAs("RTM_NEWLINK " + ns.name() + ":" + name + " mtu " + mtu));
  }

  /** Sets the MAC address, written as {@code 02:00:00:00:00:01}. */
  public static void setMac(NetworkNamespace ns, String name, String mac) {
    ns.netlink()
        .execute(
            LinkRequests.setAddress(index(ns, name), Mac.parse(mac))
                .describedAs("RTM_NEWLINK " + ns.name() + ":" + name + " address " + mac));
  }

  /** Renames a link; the kernel requires it to be down. */
  public static void rename(NetworkNamespace ns, String name, String newName) {
    InterfaceName.validate(newName);
    ns.netlink()
        .execute(
            LinkRequests.rename(index(ns, name), newName)
                .describedAs("RTM_NEWLINK " + ns.name() + ":" + name + " name " + newName));
  }

  /** Deletes a link; deleting one end of a veth pair deletes both. */
  public static void delete(NetworkNamespace ns, String name) {
    ns.netlink()
        .execute(
            LinkRequests.delete(index(ns, name))
                .describedAs("RTM_DELLINK " + ns.name() + ":" + name));
  }

  /** The ifindex of {@code name} in {@code ns}; fails naming both when there is none. */
  public static int index(NetworkNamespace ns, String name) {
    OptionalInt index = find(ns, name);
    if (index.isEmpty()) {
      throw new IllegalArgumentException(
          "namespace " + ns.name() + " has no interface named '" + name + "'");
    }
    return index.getAsInt();
  }

  /** The ifindex of {@code name} in {@code ns}, if there is such a link. */
  public static OptionalInt find(NetworkNamespace ns, String name) {
    InterfaceName.validate(name);
    Request request =
        new Request(
            Rtnetlink.RTM_GETLINK,
            Netlink.NLM_F_REQUEST,
            "RTM_GETLINK " + ns.name() + ":" + name,
            w -> {
              new IfInfoMsg(0, 0, 0, 0, 0).writeTo(w);
              w.putString(IfLink.IFLA_IFNAME, name);
            });
    try {
      NetlinkMessage reply = ns.netlink().get(request);
      return OptionalInt.of(IfInfoMsg.decode(reply.body()).index());
    } catch (KernelException e) {
      if (e.errno() == Errno.ENODEV) {
        return OptionalInt.empty();
      }
      throw e;
    }
  }
}
