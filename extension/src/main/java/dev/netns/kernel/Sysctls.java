package dev.netns.kernel;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Per-namespace sysctls under {@code /proc/sys/net}. The kernel picks the namespace of the thread
 * that opens the file, so reads and writes run on the namespace's own thread.
 *
 * <pre>{@code
 * Sysctls.enableForwarding(router);   // net.ipv4.ip_forward=1, net.ipv6.conf.all.forwarding=1
 * }</pre>
 */
public final class Sysctls {
  private Sysctls() {}

  /** Writes {@code value} to a sysctl given with dots, such as {@code net.ipv4.ip_forward}. */
  public static void write(NetworkNamespace ns, String key, String value) {
    Path path = path(key);
    try {
      ns.call(
          () -> {
            Files.writeString(path, value);
            return null;
          });
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + key + "=" + value + " in " + ns.name(), e);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("cannot write " + key + " in " + ns.name(), e);
    }
  }

  /** Reads a sysctl, trimmed. */
  public static String read(NetworkNamespace ns, String key) {
    Path path = path(key);
    try {
      return ns.call(() -> readAtOnce(path));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + key + " in " + ns.name(), e);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("cannot read " + key + " in " + ns.name(), e);
    }
  }

  /**
   * The value in one read from offset 0. A sysctl answers only a read that starts at offset 0: a
   * file reported as empty makes {@code Files.readString} read one byte first, then get end of file
   * at offset 1, so "11" came back as "1".
   */
  private static String readAtOnce(Path path) throws IOException {
    try (InputStream in = Files.newInputStream(path)) {
      byte[] buffer = new byte[4096];
      int n = in.read(buffer);
      return n <= 0 ? "" : new String(buffer, 0, n, StandardCharsets.US_ASCII).trim();
    }
  }

  /** Turns IPv4 and IPv6 forwarding on or off, as a router needs. */
  public static void setForwarding(NetworkNamespace ns, boolean on) {
    String value = on ? "1" : "0";
    write(ns, "net.ipv4.ip_forward", value);
    write(ns, "net.ipv6.conf.all.forwarding", value);
  }

  private static Path path(String key) {
    if (!key.startsWith("net.") || key.contains("/") || key.contains("..")) {
      throw new IllegalArgumentException(
          "'" + key + "' is not a per-namespace network sysctl (net.*, written with dots)");
    }
    return Path.of("/proc/sys", key.replace('.', '/'));
  }
}
