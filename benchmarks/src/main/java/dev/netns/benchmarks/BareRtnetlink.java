package dev.netns.benchmarks;

import static dev.netns.netlink.IfAddr.IFA_ADDRESS;
import static dev.netns.netlink.IfAddr.IFA_LOCAL;
import static dev.netns.netlink.IfLink.IFF_UP;
import static dev.netns.netlink.IfLink.IFLA_IFNAME;
import static dev.netns.netlink.IfLink.IFLA_INFO_DATA;
import static dev.netns.netlink.IfLink.IFLA_INFO_KIND;
import static dev.netns.netlink.IfLink.IFLA_LINKINFO;
import static dev.netns.netlink.IfLink.IFLA_NET_NS_FD;
import static dev.netns.netlink.IfLink.VETH_INFO_PEER;
import static dev.netns.netlink.Netlink.NETLINK_ROUTE;
import static dev.netns.netlink.Netlink.NLMSG_ERROR;
import static dev.netns.netlink.Netlink.NLM_F_ACK;
import static dev.netns.netlink.Netlink.NLM_F_CREATE;
import static dev.netns.netlink.Netlink.NLM_F_EXCL;
import static dev.netns.netlink.Netlink.NLM_F_REQUEST;
import static dev.netns.netlink.Rtnetlink.RTM_DELADDR;
import static dev.netns.netlink.Rtnetlink.RTM_DELLINK;
import static dev.netns.netlink.Rtnetlink.RTM_NEWADDR;
import static dev.netns.netlink.Rtnetlink.RTM_NEWLINK;

import dev.netns.nativeaccess.LibC;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The least rtnetlink a floor benchmark needs: one socket, requests written straight into one
 * buffer, sent as one datagram, and the kernel's ACKs counted.
 *
 * <p>It shares the kernel constants with the library but none of its encoding, batching or error
 * handling, so that a floor measured with it is the kernel's cost plus one JNA call per syscall and
 * nothing of the library. Requests carry the ifindex they want, as the library's topology builder
 * does, so no lookup is ever needed.
 *
 * <pre>{@code
 * try (BareRtnetlink nl = BareRtnetlink.open(libc)) {          // in the namespace to configure
 *   nl.up(1).veth("b", aFd, 100, "a", bFd, 100).address(100, new byte[] {10, 0, 0, 1}, 24);
 *   nl.commit("pair");                                         // one send, three ACKs
 * }
 * }</pre>
 */
final class BareRtnetlink implements AutoCloseable {
  private static final int CREATE = NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL;
  private static final int CHANGE = NLM_F_REQUEST | NLM_F_ACK;
  private static final int NLMSG_HDRLEN = 16;

  private final LibC libc;
  private final int fd;
  private final ByteBuffer out = ByteBuffer.allocate(8192).order(ByteOrder.nativeOrder());
  private final byte[] in = new byte[16384];
  private final byte[] sender = new byte[12];
  private int seq;
  private int unanswered;

  private BareRtnetlink(LibC libc, int fd) {
    this.libc = libc;
    this.fd = fd;
  }

  /**
   * Opens a socket in the calling thread's namespace. It is not bound: the kernel binds it on the
   * first send, which is all a client of the kernel needs.
   */
  static BareRtnetlink open(LibC libc) {
    return new BareRtnetlink(
        libc, libc.socket(LibC.AF_NETLINK, LibC.SOCK_RAW | LibC.SOCK_CLOEXEC, NETLINK_ROUTE));
  }

  /**
   * A veth pair: {@code name} (index {@code index}, up) in the namespace of {@code nsFd}, its peer
   * in the namespace of {@code peerNsFd}; a negative fd leaves that end in the socket's namespace,
   * an index of 0 lets the kernel choose. The peer cannot come up in the same request.
   */
  BareRtnetlink veth(String name, int nsFd, int index, String peer, int peerNsFd, int peerIndex) {
    int message = begin(RTM_NEWLINK, CREATE);
    ifinfomsg(index, IFF_UP, IFF_UP);
    if (nsFd >= 0) {
      u32(IFLA_NET_NS_FD, nsFd);
    }
    string(IFLA_IFNAME, name);
    int linkInfo = beginNested(IFLA_LINKINFO);
    string(IFLA_INFO_KIND, "veth");
    int data = beginNested(IFLA_INFO_DATA);
    int peerInfo = beginNested(VETH_INFO_PEER);
    ifinfomsg(peerIndex, 0, 0);
    if (peerNsFd >= 0) {
      u32(IFLA_NET_NS_FD, peerNsFd);
    }
    string(IFLA_IFNAME, peer);
    endNested(peerInfo);
    endNested(data);
    endNested(linkInfo);
    end(message);
    return this;
  }

  /** Sets link {@code index} up. */
  BareRtnetlink up(int index) {
    int message = begin(RTM_NEWLINK, CHANGE);
    ifinfomsg(index, IFF_UP, IFF_UP);
    end(message);
    return this;
  }

  /** Sets link {@code index} down. */
  BareRtnetlink down(int index) {
    int message = begin(RTM_NEWLINK, CHANGE);
    ifinfomsg(index, 0, IFF_UP);
    end(message);
    return this;
  }

  /** Removes an IPv4 address (and its prefix route) from link {@code index}. */
  BareRtnetlink deleteAddress(int index, byte[] ipv4, int prefixLength) {
    int message = begin(RTM_DELADDR, CHANGE);
    ifaddrmsg(index, prefixLength);
    bytes(IFA_LOCAL, ipv4);
    bytes(IFA_ADDRESS, ipv4);
    end(message);
    return this;
  }

  /** Adds an IPv4 address with its prefix (and so its prefix route) to link {@code index}. */
  BareRtnetlink address(int index, byte[] ipv4, int prefixLength) {
    int message = begin(RTM_NEWADDR, CREATE);
    ifaddrmsg(index, prefixLength);
    bytes(IFA_LOCAL, ipv4);
    bytes(IFA_ADDRESS, ipv4);
    end(message);
    return this;
  }

  /** Deletes link {@code index} (a veth: both ends). */
  BareRtnetlink deleteLink(int index) {
    int message = begin(RTM_DELLINK, CHANGE);
    ifinfomsg(index, 0, 0);
    end(message);
    return this;
  }

  /**
   * Sends every request written since the last commit in one datagram and reads until each has been
   * answered; throws the first error, named by {@code what}. Returns the number of answers.
   */
  int commit(String what) {
    int answers = unanswered;
    int length = out.position();
    int sent = libc.send(fd, out.array(), length, 0);
    out.clear();
    if (sent != length) {
      throw new IllegalStateException(what + ": sent " + sent + " of " + length + " bytes");
    }
    int firstError = 0;
    while (unanswered > 0) {
      int received = libc.recvfrom(fd, in, 0, sender);
      ByteBuffer reply = ByteBuffer.wrap(in, 0, received).order(ByteOrder.nativeOrder());
      int offset = 0;
      while (offset + NLMSG_HDRLEN <= received) {
        int messageLength = reply.getInt(offset);
        if (reply.getShort(offset + 4) == NLMSG_ERROR) {
          unanswered--;
          int error = reply.getInt(offset + NLMSG_HDRLEN);
          if (error != 0 && firstError == 0) {
            firstError = error;
          }
        }
        offset += align(Math.max(messageLength, NLMSG_HDRLEN));
      }
    }
    if (firstError != 0) {
      throw libc.failure(what, -firstError, null);
    }
    return answers;
  }

  @Override
  public void close() {
    libc.close(fd);
  }

  private int begin(int type, int flags) {
    int start = out.position();
    out.putInt(0).putShort((short) type).putShort((short) flags).putInt(++seq).putInt(0);
    unanswered++;
    return start;
  }

  private void end(int start) {
    out.putInt(start, out.position() - start);
  }

  private void ifinfomsg(int index, int flags, int change) {
    out.put((byte) LibC.AF_UNSPEC).put((byte) 0).putShort((short) 0);
    out.putInt(index).putInt(flags).putInt(change);
  }

  private void ifaddrmsg(int index, int prefixLength) {
    out.put((byte) LibC.AF_INET).put((byte) prefixLength).put((byte) 0).put((byte) 0);
    out.putInt(index);
  }

  private void u32(int type, int value) {
    out.putShort((short) 8).putShort((short) type).putInt(value);
  }

  private void string(int type, String value) {
    byte[] raw = value.getBytes(StandardCharsets.US_ASCII);
    byte[] terminated = new byte[raw.length + 1];
    System.arraycopy(raw, 0, terminated, 0, raw.length);
    bytes(type, terminated);
  }

  private void bytes(int type, byte[] value) {
    out.putShort((short) (4 + value.length)).putShort((short) type).put(value);
    pad();
  }

  private int beginNested(int type) {
    int start = out.position();
    out.putShort((short) 0).putShort((short) type);
    return start;
  }

  private void endNested(int start) {
    out.putShort(start, (short) (out.position() - start));
  }

  private void pad() {
    while ((out.position() & 3) != 0) {
      out.put((byte) 0);
    }
  }

  private static int align(int length) {
    return (length + 3) & ~3;
  }
}
