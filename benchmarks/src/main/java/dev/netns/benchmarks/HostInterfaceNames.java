package dev.netns.benchmarks;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Names for interfaces that a benchmark puts in the machine's own namespace: never reused, since
 * the kernel frees old ones asynchronously, and marked with this JVM's pid so that a sweep can tell
 * its own leftovers from anyone else's.
 *
 * <pre>{@code
 * String name = HostInterfaceNames.next('s');   // "bn2k5fs1", at most 15 bytes
 * }</pre>
 */
final class HostInterfaceNames {
  private static final AtomicLong COUNTER = new AtomicLong();

  /** The prefix of every name this JVM hands out. */
  static final String PREFIX = "bn" + Long.toString(ProcessHandle.current().pid(), 36);

  private HostInterfaceNames() {}

  /** A fresh name, {@code kind} telling the benchmarks apart in {@code ip link} output. */
  static String next(char kind) {
    String name = PREFIX + kind + Long.toString(COUNTER.incrementAndGet(), 36);
    if (name.length() > 15) {
      throw new IllegalStateException("interface name " + name + " is longer than 15 bytes");
    }
    return name;
  }
}
