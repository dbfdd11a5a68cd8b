package dev.netns.kernel;

import java.util.HexFormat;

/** MAC addresses written as six colon-separated hex bytes. */
public final class Mac {
  private Mac() {}

  /** Parses {@code 02:00:00:00:00:01}. */
  public static byte[] parse(String text) {
    String[] parts = text.split(":");
    if (parts.length != 6) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a MAC address like 02:00:00:00:00:01");
    }
    byte[] mac = new byte[6];
    for (int i = 0; i < 6; i++) {
      if (parts[i].length() != 2) {
        throw new IllegalArgumentException(
            "'" + text + "' is not a MAC address like 02:00:00:00:00:01");
      }
      try {
        mac[i] = (byte) Integer.parseInt(parts[i], 16);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "'" + text + "' is not a MAC address like 02:00:00:00:00:01");
      }
    }
    return mac;
  }

  /** Formats six bytes (or any hardware address) as colon-separated hex. */
  public static String format(byte[] mac) {
    return HexFormat.ofDelimiter(":").formatHex(mac);
  }
}
