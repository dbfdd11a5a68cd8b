package dev.netns.netlink;

import static dev.netns.netlink.Netlink.*;
import static dev.netns.netlink.Rtnetlink.*;

import java.net.InetAddress;

/** Encoders for neighbour (ARP/NDP) table requests. */
public final class NeighbourRequests {
  private NeighbourRequests() {}

  /** A permanent neighbour entry: {@code address} is at {@code mac} on link {@code index}. */
  public static Request addPermanent(int index, InetAddress address, byte[] mac) {
    return new Request(
        RTM_NEWNEIGH,
        NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_REPLACE,
        "RTM_NEWNEIGH " + address.getHostAddress() + " permanent",
        w -> {
          new NdMsg(AddressRequests.family(address), index, NUD_PERMANENT, 0, 0).writeTo(w);
          w.putAttribute(NDA_DST, address.getAddress());
          w.putAttribute(NDA_LLADDR, mac.clone());
        });
  }

  /** Dumps the neighbour tables of both families. */
  public static Request dump() {
    return new Request(
        RTM_GETNEIGH,
        NLM_F_REQUEST | NLM_F_DUMP,
        "RTM_GETNEIGH dump",
        w -> new NdMsg(0, 0, 0, 0, 0).writeTo(w));
  }
}
