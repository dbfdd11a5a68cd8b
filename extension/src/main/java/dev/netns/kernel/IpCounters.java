package dev.netns.kernel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * A namespace's IP counters from {@code /proc/thread-self/net/snmp} and {@code snmp6} (what {@code
 * nstat} reads), read on the namespace's own thread since the files show the reader's namespace.
 *
 * <pre>{@code
 * long before = IpCounters.outNoRoutes(blue);
 * // ... blue sends to an address it has no route to: ENETUNREACH
 * long refused = IpCounters.outNoRoutes(blue) - before;
 * }</pre>
 */
public final class IpCounters {
  private static final Path SNMP = Path.of("/proc/thread-self/net/snmp");
  private static final Path SNMP6 = Path.of("/proc/thread-self/net/snmp6");

  private IpCounters() {}

  /**
   * {@code Ip: OutNoRoutes} plus {@code Ip6OutNoRoutes}: packets the namespace wanted to send and
   * found no route for (ENETUNREACH), such as every send over a link that is down, whose routes the
   * kernel removed. IPv6's counter is absent (0) when the kernel has no IPv6.
   */
  public static long outNoRoutes(NetworkNamespace ns) {
    try {
      return ns.call(
          () -> {
            long v4 = snmpField(Files.readAllLines(SNMP), "Ip:", "OutNoRoutes");
            long v6 = 0;
            try {
              v6 = snmp6Field(Files.readAllLines(SNMP6), "Ip6OutNoRoutes");
            } catch (NoSuchFileException noIpv6) {
              // no IPv6 in this kernel
            }
            return v4 + v6;
          });
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the IP counters of " + ns.name(), e);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("cannot read the IP counters of " + ns.name(), e);
    }
  }

  /**
   * A field of {@code /proc/net/snmp}, whose groups are pairs of lines: names, then values, both
   * starting with the group ({@code Ip:}).
   */
  static long snmpField(List<String> lines, String group, String field) {
    for (int i = 0; i + 1 < lines.size(); i++) {
      String[] names = lines.get(i).trim().split("\\s+");
      String[] values = lines.get(i + 1).trim().split("\\s+");
      if (names[0].equals(group) && values[0].equals(group)) {
        for (int f = 1; f < names.length && f < values.length; f++) {
          if (names[f].equals(field)) {
            return Long.parseLong(values[f]);
          }
        }
      }
    }
    throw new IllegalStateException("no " + group + " " + field + " in /proc/net/snmp");
  }

  /** A field of {@code /proc/net/snmp6}: one {@code name value} per line. */
  static long snmp6Field(List<String> lines, String field) {
    for (String line : lines) {
      String[] parts = line.trim().split("\\s+");
      if (parts.length == 2 && parts[0].equals(field)) {
        return Long.parseLong(parts[1]);
      }
    }
    throw new IllegalStateException("no " + field + " in /proc/net/snmp6");
  }
}
