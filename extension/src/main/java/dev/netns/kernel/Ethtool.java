package dev.netns.kernel;

import dev.netns.nativeaccess.LibC;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Offload settings of a link, through the SIOCETHTOOL ioctl ({@code linux/ethtool.h}).
 *
 * <p>Frames read from a veth with a packet socket carry what the offloads left undone: a checksum
 * still to be filled in, or a segment larger than the MTU. Forwarded as they are, the receiver
 * drops them. With checksum offload and segmentation off on the sending side, and receive
 * coalescing off on the forwarding side, every frame on the wire is complete.
 *
 * <pre>{@code
 * Ethtool.set(blue, "red", Ethtool.ETHTOOL_STXCSUM, false);
 * }</pre>
 */
public final class Ethtool {
  public static final int ETHTOOL_STXCSUM = 0x00000017;
  public static final int ETHTOOL_SSG = 0x00000019;
  public static final int ETHTOOL_STSO = 0x0000001f;
  public static final int ETHTOOL_SGSO = 0x00000024;
  public static final int ETHTOOL_SGRO = 0x0000002c;

  private Ethtool() {}

  /** Turns one offload of {@code link} in {@code ns} on or off. */
  public static void set(NetworkNamespace ns, String link, int command, boolean on) {
    setAll(ns, link, new int[] {command}, on);
  }

  /** Checksum offload, segmentation offloads and receive coalescing off: whole frames only. */
  public static void wholeFramesOnly(NetworkNamespace ns, String link) {
    setAll(ns, link, new int[] {ETHTOOL_STSO, ETHTOOL_SGSO, ETHTOOL_SGRO, ETHTOOL_STXCSUM}, false);
  }

  /** Sets each of {@code commands} to {@code on}, through one socket opened in {@code ns}. */
  private static void setAll(NetworkNamespace ns, String link, int[] commands, boolean on) {
    LibC libc = LibC.instance();
    int socket = ns.openSocket(LibC.AF_INET, LibC.SOCK_DGRAM | LibC.SOCK_CLOEXEC, 0);
    try {
      for (int command : commands) {
        // struct ethtool_value { __u32 cmd; __u32 data; }
        byte[] value =
            ByteBuffer.allocate(8)
                .order(ByteOrder.nativeOrder())
                .putInt(command)
                .putInt(on ? 1 : 0)
                .array();
        libc.ifreqDataIoctl(socket, LibC.SIOCETHTOOL, link, value);
      }
    } finally {
      libc.close(socket);
    }
  }
}
