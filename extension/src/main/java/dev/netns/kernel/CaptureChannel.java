package dev.netns.kernel;

import dev.netns.nativeaccess.Errno;
import dev.netns.nativeaccess.KernelException;
import dev.netns.nativeaccess.LibC;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;

/**
 * One link of a {@link PacketCapture}: its packet socket and its pcap file. Read by the capture
 * thread only; opened and closed by the capture's owner before the thread starts and after it
 * ended.
 */
final class CaptureChannel {
  final PacketCapture.Target target;
  final int fd;
  final PcapWriter pcap;
  final LibC libc;
  volatile long frames;
  volatile String failure;
  private boolean closed;

  private CaptureChannel(LibC libc, PacketCapture.Target target, int fd, PcapWriter pcap) {
    this.libc = libc;
    this.target = target;
    this.fd = fd;
    this.pcap = pcap;
  }

  static CaptureChannel open(LibC libc, PacketCapture.Target target, long maxBytes)
      throws IOException {
    int fd = PacketSocket.openBound(target.namespace(), target.link());
    try {
      try {
        libc.setsockopt(fd, LibC.SOL_SOCKET, LibC.SO_RCVBUFFORCE, PacketCapture.RECEIVE_BUFFER);
      } catch (KernelException e) {
        // without CAP_NET_ADMIN over the namespace's owner: as much as net.core.rmem_max allows
        libc.setsockopt(fd, LibC.SOL_SOCKET, LibC.SO_RCVBUF, PacketCapture.RECEIVE_BUFFER);
      }
      // The first SIOCGSTAMP turns on kernel timestamps for this socket; no frame has a stamp
      // yet, hence ENOENT.
      try {
        libc.ioctl(fd, LibC.SIOCGSTAMP, new byte[16]);
      } catch (KernelException e) {
        // expected
      }
      return new CaptureChannel(
          libc, target, fd, PcapWriter.create(target.file(), PacketCapture.SNAPLEN, maxBytes));
    } catch (IOException | RuntimeException e) {
      libc.close(fd);
      throw e;
    }
  }

  /** The descriptor to poll, or -1 (which poll skips) once this link failed. */
  int fdOrDisabled() {
    return failure == null ? fd : -1;
  }

  /**
   * Reads up to a batch of frames into the file without waiting; returns true when the batch was
   * full (more may be waiting).
   */
  boolean readBatch(LibC libc, ByteBuffer received, byte[] frame, byte[] stamp) {
    for (int n = 0; n < PacketCapture.BATCH; n++) {
      int length;
      try {
        length = libc.recv(fd, received, LibC.MSG_DONTWAIT | LibC.MSG_TRUNC);
      } catch (KernelException e) {
        if (e.errno() == Errno.EAGAIN || e.errno() == Errno.EINTR) {
          return false;
        }
        if (e.errno() == Errno.ENETDOWN) {
          // The link went down (a fault): the socket stays bound and resumes when it comes up.
          continue;
        }
        failure = e.getMessage();
        return false;
      }
      int kept = Math.min(length, frame.length);
      received.get(0, frame, 0, kept);
      try {
        pcap.write(timestamp(stamp), frame, kept, length);
        frames = pcap.frames();
      } catch (IOException e) {
        failure = "writing " + target.file() + ": " + e;
        return false;
      }
    }
    return true;
  }

  /** When the frame just read passed the link, from the kernel; now, if it has no stamp. */
  private long timestamp(byte[] stamp) {
    try {
      libc.ioctl(fd, LibC.SIOCGSTAMP, stamp);
      // struct timeval: long tv_sec, long tv_usec (64-bit longs on the 64-bit ABIs)
      ByteBuffer tv = ByteBuffer.wrap(stamp).order(ByteOrder.nativeOrder());
      return tv.getLong(0) * 1_000_000L + tv.getLong(8);
    } catch (KernelException e) {
      Instant now = Instant.now();
      return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }
  }

  void flush() {
    try {
      pcap.flush();
    } catch (IOException e) {
      if (failure == null) {
        failure = "writing " + target.file() + ": " + e;
      }
    }
  }

  /** Frames the kernel dropped for a full socket buffer (struct tpacket_stats.tp_drops). */
  long kernelDrops() {
    try {
      byte[] stats = libc.getsockopt(fd, LibC.SOL_PACKET, LibC.PACKET_STATISTICS, 8);
      return stats.length < 8
          ? 0
          : Integer.toUnsignedLong(ByteBuffer.wrap(stats).order(ByteOrder.nativeOrder()).getInt(4));
    } catch (KernelException e) {
      return 0;
    }
  }

  void closeQuietly(Throwable failure) {
    if (closed) {
      return;
    }
    closed = true;
    try {
      pcap.close();
    } catch (IOException e) {
      if (failure != null) {
        failure.addSuppressed(e);
      } else if (this.failure == null) {
        this.failure = "closing " + target.file() + ": " + e;
      }
    }
    try {
      libc.close(fd);
    } catch (RuntimeException e) {
      if (failure != null) {
        failure.addSuppressed(e);
      }
    }
  }
}
