package dev.netns.topology;

import dev.netns.kernel.Ethtool;
import dev.netns.kernel.FramePort;
import dev.netns.kernel.Links;
import dev.netns.kernel.NetworkNamespace;
import dev.netns.kernel.PacketRing;
import dev.netns.kernel.PacketSocket;
import dev.netns.nativeaccess.KernelException;

/**
 * Where a userspace forwarder can stand in a running topology, and how it is put there and taken
 * away: on an impairable link, or on a host's port of a LAN. The key of the forwarders in force.
 */
sealed interface SplicePoint {
  /** The bridge of every wire and switch namespace (see {@link RunningTopology}). */
  String BRIDGE = "br0";

  /** Takes the bridge out of the path and opens a forwarder in its place; undoes on failure. */
  WireForwarder open(RunningTopology network);

  /** Puts the path back as it was before {@link #open}. */
  void restore(RunningTopology network);

  /** How messages name this place, for example {@code a on @VethLink(a = "a", b = "b")}. */
  String describe(boolean fromA);

  /**
   * An impairable link: in its hidden wire namespace, the two ports leave the bridge and a
   * forwarder moves frames between them. The a side is {@code link.a()}.
   */
  record OfLink(VethPair link) implements SplicePoint {
    @Override
    public WireForwarder open(RunningTopology network) {
      NetworkNamespace wire = network.wire(link);
      // Whole frames only on the wire: see Ethtool.
      Ethtool.wholeFramesOnly(network.namespace(link.a()), link.aInterface());
      Ethtool.wholeFramesOnly(network.namespace(link.b()), link.bInterface());
      Ethtool.wholeFramesOnly(wire, RunningTopology.WIRE_A);
      Ethtool.wholeFramesOnly(wire, RunningTopology.WIRE_B);
      try {
        Links.setNoMaster(wire, RunningTopology.WIRE_A);
        Links.setNoMaster(wire, RunningTopology.WIRE_B);
        return forwarder(
            network.forwarderPorts(),
            wire,
            RunningTopology.WIRE_A,
            RunningTopology.WIRE_B,
            link.a() + "-" + link.b());
      } catch (RuntimeException e) {
        undo(e, () -> restore(network));
        throw e;
      }
    }

    @Override
    public void restore(RunningTopology network) {
      NetworkNamespace wire = network.wire(link);
      for (String port : new String[] {RunningTopology.WIRE_A, RunningTopology.WIRE_B}) {
        if (Links.find(wire, port).isPresent()) {
          Links.setMaster(wire, port, BRIDGE);
        }
      }
    }

    @Override
    public String describe(boolean fromA) {
      return (fromA ? link.a() : link.b()) + " on " + link.origin();
    }
  }

  /**
   * A host's port of a LAN: in the LAN's switch namespace, the host's port leaves the bridge and a
   * forwarder stands between it and a new veth pair whose other end takes its place in the bridge.
   * The a side is the host's.
   */
  record OfLanPort(String lan, String host) implements SplicePoint {
    @Override
    public WireForwarder open(RunningTopology network) {
      Lan declared = network.topology().lan(lan, "impair");
      LanPort port = declared.port(host);
      NetworkNamespace sw = network.lanSwitch(lan);
      // Frames reach the forwarder from every host of the LAN: all must send whole frames.
      for (LanPort other : declared.ports()) {
        Ethtool.wholeFramesOnly(network.namespace(other.host()), other.interfaceName());
      }
      String inner = inner(declared);
      String outer = "fo" + declared.ports().indexOf(port);
      Links.createVeth(sw, inner, sw, outer);
      try {
        Links.setUp(sw, inner, true);
        Links.setUp(sw, outer, true);
        for (String name : new String[] {port.switchPort(), inner, outer}) {
          Ethtool.wholeFramesOnly(sw, name);
        }
        Links.setMaster(sw, outer, BRIDGE);
        Links.setNoMaster(sw, port.switchPort());
        return forwarder(network.forwarderPorts(), sw, port.switchPort(), inner, host + "@" + lan);
      } catch (RuntimeException e) {
        undo(e, () -> restore(network));
        throw e;
      }
    }

    @Override
    public void restore(RunningTopology network) {
      Lan declared = network.topology().lan(lan, "impair");
      NetworkNamespace sw = network.lanSwitch(lan);
      String switchPort = declared.port(host).switchPort();
      if (Links.find(sw, switchPort).isPresent()) {
        Links.setMaster(sw, switchPort, BRIDGE);
      }
      String inner = inner(declared);
      if (Links.find(sw, inner).isPresent()) {
        Links.delete(sw, inner); // and its peer in the bridge with it
      }
    }

    @Override
    public String describe(boolean fromA) {
      return host + "'s port on LAN " + lan;
    }

    private String inner(Lan declared) {
      return "fi" + declared.ports().indexOf(declared.port(host));
    }
  }

  /** A forwarder between two links of {@code ns}. */
  private static WireForwarder forwarder(
      ForwarderPorts ports, NetworkNamespace ns, String sideA, String sideB, String name) {
    FramePort a = port(ports, ns, sideA);
    try {
      FramePort b = port(ports, ns, sideB);
      return new WireForwarder(a, b, name, a instanceof PacketRing && b instanceof PacketRing);
    } catch (RuntimeException e) {
      a.close();
      throw e;
    }
  }

  /** A ring port, or a plain packet socket when rings are switched off or refused (said why). */
  private static FramePort port(ForwarderPorts ports, NetworkNamespace ns, String link) {
    if (ports == ForwarderPorts.SOCKET) {
      return PacketSocket.open(ns, link);
    }
    try {
      return PacketRing.open(ns, link);
    } catch (KernelException e) {
      System.getLogger(SplicePoint.class.getName())
          .log(
              System.Logger.Level.WARNING,
              "forwarder on {0}:{1}: no packet ring ({2}); one system call per frame instead",
              ns.name(),
              link,
              e.getMessage());
      return PacketSocket.open(ns, link);
    }
  }

  private static void undo(RuntimeException failure, Runnable undo) {
    try {
      undo.run();
    } catch (RuntimeException suppressed) {
      failure.addSuppressed(suppressed);
    }
  }
}
