package dev.netns.kernel;

import dev.netns.nativeaccess.Errno;
import dev.netns.nativeaccess.KernelException;
import dev.netns.nativeaccess.LibC;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A raw packet socket (AF_PACKET) bound to one link: whole Ethernet frames in and out, below IP.
 * What the userspace impairment path reads and writes.
 *
 * <pre>{@code
 * try (PacketSocket wire = PacketSocket.open(ns, "a")) {
 *   int n = wire.receive(frame);   // -1 after the receive timeout
 *   wire.send(frame, n);
 * }
 * }</pre>
 */
public final class PacketSocket implements FramePort {
  private static final int ETH_P_ALL_NETWORK_ORDER =
      Short.reverseBytes((short) LibC.ETH_P_ALL) & 0xffff;

  private final LibC libc;
  private final int fd;
  private final String name;
  private final byte[] from = new byte[20];
  private volatile boolean closed;
  private final byte[] incoming = new byte[65536];
  private long arrival;
  private int length;
  private int sent;

  private PacketSocket(LibC libc, int fd, String name) {
    this.libc = libc;
    this.fd = fd;
    this.name = name;
  }

  /** Opens a socket in {@code ns} bound to {@code link}; receive returns after at most 100 ms. */
  public static PacketSocket open(NetworkNamespace ns, String link) {
    LibC libc = LibC.instance();
    int fd = openBound(ns, link);
    try {
      try {
        libc.setsockopt(fd, LibC.SOL_PACKET, LibC.PACKET_IGNORE_OUTGOING, 1);
      } catch (KernelException e) {
        // before Linux 4.20: outgoing frames are told apart by their packet type instead
      }
      libc.setsockopt(
          fd,
          LibC.SOL_SOCKET,
          LibC.SO_RCVTIMEO,
          ByteBuffer.allocate(16)
              .order(ByteOrder.nativeOrder())
              .putLong(0)
              .putLong(100_000)
              .array());
      libc.setsockopt(fd, LibC.SOL_SOCKET, LibC.SO_RCVBUF, 4 << 20);
      libc.setsockopt(fd, LibC.SOL_SOCKET, LibC.SO_SNDBUF, 4 << 20);
      return new PacketSocket(libc, fd, ns.name() + ":" + link);
    } catch (RuntimeException e) {
      libc.close(fd);
      throw e;
    }
  }

  /**
   * A packet socket in {@code ns} receiving every frame of {@code link} and no other: opened for no
   * protocol, so that nothing arrives before bind(2) names the link and ETH_P_ALL.
   */
  static int openBound(NetworkNamespace ns, String link) {
    LibC libc = LibC.instance();
    int index = Links.index(ns, link);
    int fd = ns.openSocket(LibC.AF_PACKET, LibC.SOCK_RAW | LibC.SOCK_CLOEXEC, 0);
    try {
      // struct sockaddr_ll: family, protocol (network order), ifindex, hatype, pkttype, halen, addr
      libc.bind(
          fd,
          ByteBuffer.allocate(20)
              .order(ByteOrder.nativeOrder())
              .putShort((short) LibC.AF_PACKET)
              .putShort((short) ETH_P_ALL_NETWORK_ORDER)
              .putInt(index)
              .array());
      return fd;
    } catch (RuntimeException e) {
      libc.close(fd);
      throw e;
    }
  }

  /**
   * Receives the next frame that arrived on the link into {@code frame}; returns its length, or -1
   * when none came within the timeout or the socket was closed. Frames the link sent are skipped.
   */
  public int receive(byte[] frame) {
    return receive(frame, 0);
  }

  /** As {@link #receive(byte[])}, with {@code recvfrom} flags ({@code MSG_DONTWAIT}: no wait). */
  private int receive(byte[] frame, int flags) {
    while (!closed) {
      int length;
      try {
        length = libc.recvfrom(fd, frame, flags, from);
      } catch (KernelException e) {
        if (e.errno() == Errno.EAGAIN || e.errno() == Errno.EINTR || closed) {
          return -1;
        }
        throw e;
      }
      if ((from[10] & 0xff) == LibC.PACKET_OUTGOING) {
        continue;
      }
      return length;
    }
    return -1;
  }

  /**
   * {@inheritDoc} One system call per frame: the fallback when a {@link PacketRing} cannot be had.
   */
  @Override
  public byte[] receive() {
    return taken(receive(incoming));
  }

  @Override
  public byte[] receiveNow() {
    return taken(receive(incoming, LibC.MSG_DONTWAIT));
  }

  /** The frame just read into {@code incoming}, stamped with its arrival; null if none was. */
  private byte[] taken(int length) {
    if (length < 0) {
      return null;
    }
    arrival = System.nanoTime();
    this.length = length;
    return java.util.Arrays.copyOf(incoming, length);
  }

  /** {@inheritDoc} Here a new array each time: a system call per frame costs far more. */
  @Override
  public byte[] lendNow() {
    return receiveNow();
  }

  @Override
  public int length() {
    return length;
  }

  @Override
  public void recycle(byte[] frame) {
    // nothing to take back: lendNow gives new arrays
  }

  @Override
  public void await(long timeoutNanos) {
    // struct pollfd: int fd, short events, short revents
    byte[] pollfd =
        ByteBuffer.allocate(8)
            .order(ByteOrder.nativeOrder())
            .putInt(fd)
            .putShort((short) LibC.POLLIN)
            .array();
    libc.ppoll(pollfd, 1, timeoutNanos);
  }

  @Override
  public long arrivalNanos() {
    return arrival;
  }

  /** Sends the frame at once. */
  @Override
  public void enqueue(byte[] frame, int length) {
    try {
      send(frame, length);
      sent++;
    } catch (KernelException e) {
      // refused by the link (for example while it is down): lost, as on a real wire
    }
  }

  @Override
  public int flush() {
    int count = sent;
    sent = 0;
    return count;
  }

  /** Sends one frame out of the link. */
  public void send(byte[] frame, int length) {
    libc.send(fd, frame, length, 0);
  }

  @Override
  public String toString() {
    return "PacketSocket[" + name + "]";
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      libc.close(fd);
    }
  }
}
