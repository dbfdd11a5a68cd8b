package dev.netns.kernel;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes Ethernet frames as a classic libpcap file, which tcpdump, tshark and Wireshark open: a
 * 24-byte global header (magic {@code 0xa1b2c3d4}, version 2.4, microsecond timestamps, link type
 * 1, Ethernet), then per frame a 16-byte record header (seconds, microseconds, captured length,
 * original length) and the captured bytes. Little-endian throughout; readers tell the order from
 * the magic.
 *
 * <p>The file is bounded: a frame that would take it past {@code maxBytes} is not written, nor is
 * any after it, and {@link #framesNotWritten()} counts them, so that a chatty test cannot fill the
 * disk. Pure Java, no native calls; not thread-safe.
 *
 * <pre>{@code
 * try (PcapWriter pcap = PcapWriter.create(Path.of("blue-eth0.pcap"), 262_144, 8 << 20)) {
 *   pcap.write(epochMicros, frame, frameLength, frameLength);
 * }
 * }</pre>
 */
public final class PcapWriter implements AutoCloseable {
  /** The magic of microsecond-resolution files, as written in the file's own byte order. */
  public static final int MAGIC = 0xa1b2c3d4;

  public static final short VERSION_MAJOR = 2;
  public static final short VERSION_MINOR = 4;

  /** {@code LINKTYPE_ETHERNET} of the tcpdump.org link-type registry (DLT_EN10MB). */
  public static final int LINKTYPE_ETHERNET = 1;

  public static final int GLOBAL_HEADER_SIZE = 24;
  public static final int RECORD_HEADER_SIZE = 16;

  private final OutputStream out;
  private final int snaplen;
  private final long maxBytes;
  private final ByteBuffer header =
      ByteBuffer.allocate(RECORD_HEADER_SIZE).order(ByteOrder.LITTLE_ENDIAN);
  private long bytes;
  private long frames;
  private long framesNotWritten;
  private boolean closed;

  /**
   * Starts a pcap stream on {@code out} by writing its global header.
   *
   * @param snaplen the largest number of bytes kept of one frame (longer frames are cut)
   * @param maxBytes the most bytes the whole stream may take, headers included
   */
  public PcapWriter(OutputStream out, int snaplen, long maxBytes) throws IOException {
    if (snaplen <= 0) {
      throw new IllegalArgumentException("snaplen must be positive, but was " + snaplen);
    }
    if (maxBytes < GLOBAL_HEADER_SIZE) {
      throw new IllegalArgumentException(
          "maxBytes must leave room for the " + GLOBAL_HEADER_SIZE + "-byte header: " + maxBytes);
    }
    this.out = out;
    this.snaplen = snaplen;
    this.maxBytes = maxBytes;
    ByteBuffer global =
        ByteBuffer.allocate(GLOBAL_HEADER_SIZE)
            .order(ByteOrder.LITTLE_ENDIAN)
            .putInt(MAGIC)
            .putShort(VERSION_MAJOR)
            .putShort(VERSION_MINOR)
            .putInt(0) // thiszone: timestamps are UTC
            .putInt(0) // sigfigs: always 0
            .putInt(snaplen)
            .putInt(LINKTYPE_ETHERNET);
    out.write(global.array());
    bytes = GLOBAL_HEADER_SIZE;
  }

  /** Creates (or truncates) {@code file} and starts a pcap stream in it. */
  public static PcapWriter create(Path file, int snaplen, long maxBytes) throws IOException {
    OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
    try {
      return new PcapWriter(out, snaplen, maxBytes);
    } catch (IOException | RuntimeException e) {
      out.close();
      throw e;
    }
  }

  /**
   * Appends one frame; returns false, writing nothing, once the size bound is reached.
   *
   * @param epochMicros when the frame was seen, in microseconds since 1970-01-01T00:00Z
   * @param frame the frame's bytes, from the Ethernet header on
   * @param capturedLength how many bytes of {@code frame} were captured
   * @param originalLength how long the frame was on the wire (at least {@code capturedLength})
   */
  public boolean write(long epochMicros, byte[] frame, int capturedLength, int originalLength)
      throws IOException {
    int kept = Math.min(Math.min(capturedLength, snaplen), frame.length);
    if (framesNotWritten > 0 || bytes + RECORD_HEADER_SIZE + kept > maxBytes) {
      framesNotWritten++;
      return false;
    }
    header
        .clear()
        .putInt((int) Math.floorDiv(epochMicros, 1_000_000L))
        .putInt((int) Math.floorMod(epochMicros, 1_000_000L))
        .putInt(kept)
        .putInt(Math.max(originalLength, kept));
    out.write(header.array());
    out.write(frame, 0, kept);
    bytes += RECORD_HEADER_SIZE + kept;
    frames++;
    return true;
  }

  /** Frames written so far. */
  public long frames() {
    return frames;
  }

  /** Bytes written so far, headers included. */
  public long bytes() {
    return bytes;
  }

  /** Frames left out because the file reached its size bound. */
  public long framesNotWritten() {
    return framesNotWritten;
  }

  /** True once a frame was left out for the size bound. */
  public boolean isFull() {
    return framesNotWritten > 0;
  }

  /** Pushes buffered records to the file, so that a reader sees every frame written so far. */
  public void flush() throws IOException {
    out.flush();
  }

  @Override
  public void close() throws IOException {
    if (!closed) {
      closed = true;
      out.close();
    }
  }
}
