package dev.netns.kernel;

import dev.netns.nativeaccess.Errno;
import dev.netns.nativeaccess.KernelException;
import dev.netns.nativeaccess.LibC;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Captures what crosses links, in both directions, into one pcap file per link, as {@code tcpdump
 * -i LINK -w FILE} would: one AF_PACKET socket per link, opened inside the link's namespace without
 * a thread of its own there, and one platform thread that polls them all and writes the files.
 *
 * <p>Frames are timestamped by the kernel as they pass the link ({@code SIOCGSTAMP}), not when the
 * thread reads them. Files are flushed when the capture stops; until then they may lag behind.
 * {@link #stop()} wakes the thread at once (an eventfd in its poll set), lets it drain what the
 * sockets still hold, joins it (an interrupt does not cut that wait short), and closes sockets and
 * files: call it before the namespaces close. A thread that does not end within 10 s keeps its
 * descriptors open, never closed under it (see {@link ReaderThreads}). The capture thread never
 * enters a namespace, and costs nothing while the links are quiet.
 *
 * <pre>{@code
 * try (PacketCapture capture = PacketCapture.start(
 *     List.of(new PacketCapture.Target(blue, "eth0", Path.of("blue-eth0.pcap"))),
 *     "netns-capture demo", 8 << 20)) {
 *   ... // traffic
 *   List<PacketCapture.Summary> written = capture.stop();
 * }
 * }</pre>
 */
public final class PacketCapture implements AutoCloseable {
  /** As tcpdump's default: enough for a GSO super-frame handed to the socket whole. */
  public static final int SNAPLEN = 262_144;

  static final int RECEIVE_BUFFER = 4 << 20;

  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

  /** Frames read from one socket before the others get their turn. */
  static final int BATCH = 256;

  /**
   * One link to capture.
   *
   * @param namespace the namespace the link is in
   * @param link the link's name there
   * @param file where its pcap file goes (created or truncated)
   */
  public record Target(NetworkNamespace namespace, String link, Path file) {}

  /**
   * What was captured on one link.
   *
   * @param target the link and its file
   * @param frames frames written to the file
   * @param bytes the file's size
   * @param framesNotWritten frames left out because the file reached its size bound
   * @param kernelDrops frames the kernel dropped because the socket's buffer was full
   * @param failure why capturing this link stopped early, or null
   */
  public record Summary(
      Target target,
      long frames,
      long bytes,
      long framesNotWritten,
      long kernelDrops,
      String failure) {}

  private final LibC libc;
  private final List<CaptureChannel> channels;
  private final int wakeFd;
  private final Thread thread;
  private volatile boolean stopping;
  private volatile Throwable threadFailure;
  private List<Summary> summaries;

  private PacketCapture(LibC libc, List<CaptureChannel> channels, int wakeFd, String threadName) {
    this.libc = libc;
    this.channels = channels;
    this.wakeFd = wakeFd;
    this.thread = new Thread(this::run, threadName);
    thread.setDaemon(true);
  }

  /**
   * Opens a socket on every target link and starts the capture thread. Frames are kept from the
   * moment each socket is bound. If one link cannot be opened, what was opened is closed again.
   *
   * @param maxBytesPerFile the size bound of each file, headers included
   */
  public static PacketCapture start(List<Target> targets, String threadName, long maxBytesPerFile)
      throws IOException {
    LibC libc = LibC.instance();
    List<CaptureChannel> channels = new ArrayList<>();
    int wakeFd = -1;
    try {
      for (Target target : targets) {
        channels.add(CaptureChannel.open(libc, target, maxBytesPerFile));
      }
      wakeFd = libc.eventfd(0, LibC.EFD_CLOEXEC | LibC.EFD_NONBLOCK);
      PacketCapture capture = new PacketCapture(libc, channels, wakeFd, threadName);
      capture.thread.start();
      return capture;
    } catch (IOException | RuntimeException | Error e) {
      for (CaptureChannel channel : channels) {
        channel.closeQuietly(e);
      }
      if (wakeFd >= 0) {
        libc.close(wakeFd);
      }
      throw e;
    }
  }

  /** The files being written, in the order of the targets. */
  public List<Target> targets() {
    return channels.stream().map(c -> c.target).toList();
  }

  /** Frames written so far to each file, in the order of the targets (a snapshot). */
  public List<Long> framesSoFar() {
    return channels.stream().map(c -> c.frames).toList();
  }

  /**
   * Stops capturing: the thread drains what the sockets hold, then is joined; sockets and files are
   * closed. Idempotent; returns the same summaries each time.
   */
  public synchronized List<Summary> stop() {
    if (summaries != null) {
      return summaries;
    }
    stopping = true;
    wake();
    boolean ended = ReaderThreads.awaitEnd(thread, STOP_TIMEOUT);
    List<Summary> result = new ArrayList<>();
    long[] drops = new long[channels.size()];
    for (int i = 0; i < channels.size(); i++) {
      drops[i] = ended ? channels.get(i).kernelDrops() : 0;
    }
    if (ended) {
      closeAll(channels);
      libc.close(wakeFd);
    } else {
      // Never close a descriptor the thread may still poll: its number would be reused at once.
      ReaderThreads.warnLeaked(thread, "its packet sockets, pcap files and eventfd are");
    }
    for (int i = 0; i < channels.size(); i++) {
      CaptureChannel channel = channels.get(i);
      String failure = channel.failure;
      if (failure == null && !ended) {
        failure = "the capture thread did not stop within 10 s; its socket and file were left open";
      } else if (failure == null && threadFailure != null) {
        failure = "the capture thread failed: " + threadFailure;
      }
      result.add(
          new Summary(
              channel.target,
              channel.pcap.frames(),
              channel.pcap.bytes(),
              channel.pcap.framesNotWritten(),
              drops[i],
              failure));
    }
    summaries = List.copyOf(result);
    return summaries;
  }

  @Override
  public void close() {
    stop();
  }

  /**
   * Closes every socket and file, the sockets concurrently: the kernel makes each close of a packet
   * socket wait for an RCU grace period ({@code packet_release} calls {@code synchronize_net}),
   * about 10 ms here, and closes that wait at the same time share one.
   */
  private static void closeAll(List<CaptureChannel> channels) {
    if (channels.size() == 1) {
      channels.get(0).closeQuietly(null);
      return;
    }
    List<Thread> closers = new ArrayList<>();
    for (CaptureChannel channel : channels) {
      Thread closer = new Thread(() -> channel.closeQuietly(null), "netns-capture-close");
      closer.setDaemon(true);
      closer.start();
      closers.add(closer);
    }
    for (Thread closer : closers) {
      ReaderThreads.awaitEnd(closer, STOP_TIMEOUT);
    }
  }

  private void wake() {
    byte[] one = ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putLong(1).array();
    try {
      libc.write(wakeFd, one, one.length);
    } catch (KernelException e) {
      // EAGAIN: the counter is already set, the thread will wake anyway.
    }
  }

  /**
   * The capture thread: waits in poll until a socket has frames or {@link #stop} writes the eventfd
   * (never consumed, so every later poll returns at once), reads ready sockets a batch at a time,
   * and on stop drains every socket and flushes the files. Idle, it costs nothing.
   */
  private void run() {
    // Received into native memory, so that only the frame's own bytes are copied to the heap.
    ByteBuffer received = ByteBuffer.allocateDirect(SNAPLEN);
    byte[] frame = new byte[SNAPLEN];
    byte[] stamp = new byte[16];
    int count = channels.size() + 1;
    byte[] pollfds = new byte[8 * count];
    ByteBuffer layout = ByteBuffer.wrap(pollfds).order(ByteOrder.nativeOrder());
    try {
      while (true) {
        // struct pollfd: int fd, short events, short revents
        for (int i = 0; i < count; i++) {
          int fd = i < channels.size() ? channels.get(i).fdOrDisabled() : wakeFd;
          layout.putInt(8 * i, fd);
          layout.putShort(8 * i + 4, (short) LibC.POLLIN);
          layout.putShort(8 * i + 6, (short) 0);
        }
        try {
          libc.poll(pollfds, count, -1);
        } catch (KernelException e) {
          if (e.errno() != Errno.EINTR) {
            throw e;
          }
          continue;
        }
        // stop() sets the flag before it writes the eventfd, so the poll it ends sees it.
        boolean draining = stopping;
        for (int i = 0; i < channels.size(); i++) {
          CaptureChannel channel = channels.get(i);
          boolean ready = layout.getShort(8 * i + 6) != 0;
          if (channel.failure == null && (ready || draining)) {
            boolean more = channel.readBatch(libc, received, frame, stamp);
            while (draining && more) {
              more = channel.readBatch(libc, received, frame, stamp);
            }
          }
        }
        if (draining) {
          for (CaptureChannel channel : channels) {
            channel.flush();
          }
          return;
        }
      }
    } catch (Throwable t) {
      threadFailure = t;
    }
  }
}
