package dev.netns.kernel;

import dev.netns.nativeaccess.Errno;
import dev.netns.nativeaccess.KernelException;
import dev.netns.nativeaccess.LibC;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A packet socket bound to one link whose received frames land in a receive ring mapped into this
 * process (PACKET_RX_RING, TPACKET_V2), and whose sent frames leave in batches (sendmmsg(2)): the
 * forwarder's fast port. A frame costs no system call while frames keep coming; the reader polls
 * only when the ring is empty, and the sender makes one call per batch.
 *
 * <p>Why TPACKET_V2 and not V3: a V3 ring hands frames over a block at a time, when the block is
 * full or its retire timer fires (a millisecond at best, a jiffy in practice). At test rates that
 * timer, not the frames, would set the delay. V2 hands over each frame as it arrives.
 *
 * <p>Frames longer than a ring slot (links with a large MTU) are truncated in the ring, but with
 * PACKET_COPY_THRESH the kernel also queues them whole on the socket, where they are read from.
 *
 * <pre>{@code
 * try (PacketRing ring = PacketRing.open(ns, "a")) {
 *   byte[] frame = ring.receive();
 * }
 * }</pre>
 */
public final class PacketRing implements FramePort {
  static final int PACKET_RX_RING = 5;
  static final int PACKET_COPY_THRESH = 7;
  static final int PACKET_VERSION = 10;
  static final int PACKET_QDISC_BYPASS = 20;
  static final int TPACKET_V2 = 1;
  static final int TP_STATUS_KERNEL = 0;
  static final int TP_STATUS_USER = 1;
  static final int TP_STATUS_COPY = 1 << 1;

  /** TPACKET_ALIGN(sizeof(struct tpacket2_hdr)): where the struct sockaddr_ll of a slot starts. */
  private static final int SOCKADDR_LL_OFFSET = 32;

  /** Slots of 2 KiB hold a frame of up to 1,982 bytes (an MTU of 1,968): more than veths use. */
  static final int FRAME_SIZE = 2048;

  private static final int BLOCK_SIZE = 256 << 10;
  private static final int BLOCKS = 8;
  private static final int FRAMES = BLOCKS * (BLOCK_SIZE / FRAME_SIZE);
  private static final int SEND_ROOM = 512 << 10;
  private static final int SEND_BATCH = 256;
  private static final int POLL_MILLIS = 100;

  private static final VarHandle STATUS =
      MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());

  private final LibC libc;
  private final int fd;
  private final String name;
  private final ByteBuffer rx;
  private final ReentrantLock receiving = new ReentrantLock();
  private volatile boolean closed;

  // The reader's state.
  private int slot;
  private long arrival;
  private int length;
  private final SpareFrames spares = new SpareFrames(FRAME_SIZE, FRAMES);
  private long clockOffset;
  private long clockOffsetAt = Long.MIN_VALUE;
  private final byte[] pollfd;
  private final byte[] whole = new byte[65536];
  private final byte[] from = new byte[20];

  // The sender's state.
  private final ByteBuffer outgoing = ByteBuffer.allocateDirect(SEND_ROOM);
  private final int[] offsets = new int[SEND_BATCH];
  private final int[] lengths = new int[SEND_BATCH];
  private int queued;

  private PacketRing(LibC libc, int fd, String name, ByteBuffer rx) {
    this.libc = libc;
    this.fd = fd;
    this.name = name;
    this.rx = rx;
    // struct pollfd: int fd, short events, short revents
    this.pollfd =
        ByteBuffer.allocate(8)
            .order(ByteOrder.nativeOrder())
            .putInt(fd)
            .putShort((short) LibC.POLLIN)
            .array();
  }

  /**
   * Opens a socket in {@code ns} bound to {@code link} with its rings; throws {@link
   * KernelException} when the kernel refuses a ring, so that the caller can fall back to a {@link
   * PacketSocket}.
   */
  public static PacketRing open(NetworkNamespace ns, String link) {
    LibC libc = LibC.instance();
    int fd = PacketSocket.openBound(ns, link);
    try {
      try {
        libc.setsockopt(fd, LibC.SOL_PACKET, LibC.PACKET_IGNORE_OUTGOING, 1);
      } catch (KernelException e) {
        // before Linux 4.20: outgoing frames are told apart by their packet type instead
      }
      libc.setsockopt(fd, LibC.SOL_PACKET, PACKET_VERSION, TPACKET_V2);
      libc.setsockopt(fd, LibC.SOL_PACKET, PACKET_COPY_THRESH, 1);
      // Sent frames go straight to the driver: a veth has no queue worth passing through.
      libc.setsockopt(fd, LibC.SOL_PACKET, PACKET_QDISC_BYPASS, 1);
      libc.setsockopt(fd, LibC.SOL_SOCKET, LibC.SO_RCVBUF, 4 << 20);
      libc.setsockopt(fd, LibC.SOL_SOCKET, LibC.SO_SNDBUF, 4 << 20);
      // struct tpacket_req: block_size, block_nr, frame_size, frame_nr
      libc.setsockopt(
          fd,
          LibC.SOL_PACKET,
          PACKET_RX_RING,
          ByteBuffer.allocate(16)
              .order(ByteOrder.nativeOrder())
              .putInt(BLOCK_SIZE)
              .putInt(BLOCKS)
              .putInt(FRAME_SIZE)
              .putInt(FRAMES)
              .array());
      ByteBuffer rx =
          libc.mmap(
              (long) BLOCK_SIZE * BLOCKS, LibC.PROT_READ | LibC.PROT_WRITE, LibC.MAP_SHARED, fd, 0);
      return new PacketRing(libc, fd, ns.name() + ":" + link, rx);
    } catch (RuntimeException e) {
      libc.close(fd);
      throw e;
    }
  }

  /**
   * {@inheritDoc} A close meanwhile waits for this call to return (within the poll timeout) before
   * it unmaps the ring: reading an unmapped ring would crash the JVM, not throw.
   */
  @Override
  public byte[] receive() {
    return receiveHoldingLock(true, false);
  }

  @Override
  public byte[] receiveNow() {
    return receiveHoldingLock(false, false);
  }

  @Override
  public byte[] lendNow() {
    return receiveHoldingLock(false, true);
  }

  /** {@link #receiveLocked} under the lock that keeps a close from unmapping the ring meanwhile. */
  private byte[] receiveHoldingLock(boolean wait, boolean lend) {
    receiving.lock();
    try {
      return receiveLocked(wait, lend);
    } finally {
      receiving.unlock();
    }
  }

  @Override
  public int length() {
    return length;
  }

  @Override
  public void recycle(byte[] frame) {
    spares.give(frame);
  }

  @Override
  public void await(long timeoutNanos) {
    receiving.lock();
    try {
      if (!closed && !ready()) {
        libc.ppoll(pollfd, 1, timeoutNanos);
      }
    } catch (KernelException e) {
      if (e.errno() != Errno.EINTR) {
        throw e;
      }
    } finally {
      receiving.unlock();
    }
  }

  private boolean ready() {
    return ((int) STATUS.getAcquire(rx, slot * FRAME_SIZE) & TP_STATUS_USER) != 0;
  }

  /** The next frame, waiting for one or not, in a spare array ({@code lend}) or a new one. */
  private byte[] receiveLocked(boolean wait, boolean lend) {
    while (!closed) {
      int at = slot * FRAME_SIZE;
      int status = (int) STATUS.getAcquire(rx, at);
      if ((status & TP_STATUS_USER) == 0) {
        if (!wait || !awaitFrame()) {
          return null;
        }
        continue;
      }
      // struct tpacket2_hdr: status, len, snaplen, mac (u16), net (u16), sec, nsec, ...
      int length = rx.getInt(at + 4);
      int captured = rx.getInt(at + 8);
      int mac = rx.getShort(at + 12) & 0xffff;
      long sec = rx.getInt(at + 16) & 0xffffffffL;
      long nsec = rx.getInt(at + 20) & 0xffffffffL;
      int type = rx.get(at + SOCKADDR_LL_OFFSET + 10) & 0xff;
      byte[] frame = null;
      if ((status & TP_STATUS_COPY) != 0) {
        frame = wholeFromQueue(length);
        captured = frame == null ? 0 : frame.length;
      } else if (captured < length) {
        // Truncated, and the kernel had no room to queue it whole: lost, as on a full link. The
        // socket's queue is not read here, lest it yield a later frame's copy out of order.
        frame = null;
      } else if (type != LibC.PACKET_OUTGOING) {
        frame = lend ? spares.take(captured) : new byte[captured];
        rx.get(at + mac, frame, 0, captured);
      }
      STATUS.setRelease(rx, at, TP_STATUS_KERNEL);
      slot = slot + 1 == FRAMES ? 0 : slot + 1;
      if (frame == null || type == LibC.PACKET_OUTGOING) {
        continue;
      }
      arrival = onNanoTime(sec * 1_000_000_000L + nsec);
      this.length = captured;
      return frame;
    }
    return null;
  }

  /** A frame too long for its slot, as the kernel queued it whole; null when it could not. */
  private byte[] wholeFromQueue(int length) {
    try {
      int got = libc.recvfrom(fd, whole, LibC.MSG_DONTWAIT, from);
      return got == length ? java.util.Arrays.copyOf(whole, got) : null;
    } catch (KernelException e) {
      // EAGAIN: the kernel had no room to queue the copy; the frame is lost, as on a full link.
      return null;
    }
  }

  /** Waits for the ring's next slot to fill; false after the poll timeout or on close. */
  private boolean awaitFrame() {
    try {
      libc.poll(pollfd, 1, POLL_MILLIS);
    } catch (KernelException e) {
      if (e.errno() != Errno.EINTR) {
        throw e;
      }
    }
    return !closed && ready();
  }

  /**
   * A kernel receive time (CLOCK_REALTIME) on the nanoTime clock. The offset between the two clocks
   * is measured again every 10 ms, which keeps the error of the conversion within microseconds.
   */
  private long onNanoTime(long realtimeNanos) {
    long now = System.nanoTime();
    if (now - clockOffsetAt > 10_000_000L) {
      Instant wall = Instant.now();
      clockOffset = System.nanoTime() - (wall.getEpochSecond() * 1_000_000_000L + wall.getNano());
      clockOffsetAt = now;
    }
    long converted = realtimeNanos + clockOffset;
    // A step of the wall clock must not send a frame into the past or the future.
    return converted > now || converted < now - 1_000_000_000L ? now : converted;
  }

  @Override
  public long arrivalNanos() {
    return arrival;
  }

  @Override
  public void enqueue(byte[] frame, int length) {
    if (queued == SEND_BATCH || outgoing.remaining() < length) {
      flushQueued();
    }
    if (length > outgoing.remaining()) {
      return; // longer than the whole staging area: no link here sends such a frame
    }
    offsets[queued] = outgoing.position();
    lengths[queued] = length;
    outgoing.put(frame, 0, length);
    queued++;
  }

  private int sentBeforeFlush;

  @Override
  public int flush() {
    flushQueued();
    int sent = sentBeforeFlush;
    sentBeforeFlush = 0;
    return sent;
  }

  private void flushQueued() {
    int from = 0;
    while (from < queued && !closed) {
      try {
        // After a refused frame (rare), the rest goes from copies of the arrays' tails.
        int[] at = from == 0 ? offsets : java.util.Arrays.copyOfRange(offsets, from, queued);
        int[] length = from == 0 ? lengths : java.util.Arrays.copyOfRange(lengths, from, queued);
        int sent = libc.sendmmsg(fd, outgoing, at, length, queued - from, 0);
        sentBeforeFlush += Math.max(sent, 0);
        from += Math.max(sent, 1);
      } catch (KernelException e) {
        from++; // the link refused this frame: lost, as on a real wire
      }
    }
    queued = 0;
    outgoing.clear();
  }

  @Override
  public String toString() {
    return "PacketRing[" + name + "]";
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    receiving.lock();
    try {
      libc.munmap(rx);
      libc.close(fd);
    } finally {
      receiving.unlock();
    }
  }
}
