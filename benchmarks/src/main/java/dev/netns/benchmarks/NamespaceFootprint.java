package dev.netns.benchmarks;

import dev.netns.kernel.NetworkNamespace;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.management.ObjectName;

/**
 * What a live namespace costs in memory: heap, native memory of this process, and (machine-wide, so
 * only roughly) kernel memory. Holds {@code N} handles from {@code NetworkNamespace.create} with no
 * thread, measures, then starts each one's thread with one {@code call} and measures again.
 *
 * <p>Heap is measured after full collections. Native memory is the growth of the resident set
 * ({@code VmRSS} in {@code /proc/self/status}); run with {@code -Xms} equal to {@code -Xmx} and
 * {@code -XX:+AlwaysPreTouch} so that the heap is resident from the start and the growth is native
 * only (QuickReport does). Kernel memory is the growth of {@code Slab} and {@code Percpu} in {@code
 * /proc/meminfo}, which any other process on the machine moves too.
 *
 * <pre>
 * java -Xms1g -Xmx1g -XX:+AlwaysPreTouch -cp benchmarks/target/benchmarks.jar \
 *     dev.netns.benchmarks.NamespaceFootprint 1000
 * </pre>
 *
 * <p>The last line is for QuickReport: {@code footprint heap=... native=... kernel=... thread=...},
 * bytes per namespace.
 */
public final class NamespaceFootprint {
  private NamespaceFootprint() {}

  public static void main(String[] args) throws Exception {
    int count = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    for (int i = 0; i < 20; i++) {
      NetworkNamespace.create("warm").close();
    }
    Snapshot empty = Snapshot.take();
    Map<String, long[]> histogramBefore = histogram();
    List<NetworkNamespace> held = new ArrayList<>(count);
    try {
      for (int i = 0; i < count; i++) {
        held.add(NetworkNamespace.create("n" + i));
      }
      Snapshot handles = Snapshot.take();
      Map<String, long[]> histogramHeld = histogram();
      for (NetworkNamespace ns : held) {
        ns.call(() -> null);
      }
      Snapshot threads = Snapshot.take();

      System.out.printf("%d live namespaces, no threads:%n", count);
      print(empty, handles, count);
      System.out.println("Largest heap growth by class while held:");
      printTopGrowth(histogramBefore, histogramHeld, count);
      System.out.printf("%nThe same %d namespaces, each with its thread started:%n", count);
      print(handles, threads, count);
      System.out.printf(
          "footprint heap=%d native=%d kernel=%d thread=%d fds=%.1f%n",
          (handles.heap - empty.heap) / count,
          (handles.rss - empty.rss) / count,
          (handles.kernel - empty.kernel) / count,
          (threads.rss - handles.rss + threads.heap - handles.heap) / count,
          (handles.fds - empty.fds) / (double) count);
    } finally {
      for (NetworkNamespace ns : held) {
        ns.close();
      }
    }
  }

  private static void print(Snapshot from, Snapshot to, int count) {
    System.out.printf(
        "  heap     %,10d bytes per namespace (%,d in all)%n",
        (to.heap - from.heap) / count, to.heap - from.heap);
    System.out.printf(
        "  native   %,10d bytes per namespace (resident set grew by %,d)%n",
        (to.rss - from.rss) / count, to.rss - from.rss);
    System.out.printf(
        "  kernel   %,10d bytes per namespace (Slab + Percpu, machine-wide)%n",
        (to.kernel - from.kernel) / count);
    System.out.printf(
        "  fds      %10.1f per namespace; threads %d -> %d%n",
        (to.fds - from.fds) / (double) count, from.threads, to.threads);
  }

  private static void printTopGrowth(
      Map<String, long[]> before, Map<String, long[]> after, int count) {
    after.entrySet().stream()
        .map(
            e -> {
              long[] old = before.getOrDefault(e.getKey(), new long[2]);
              return Map.entry(
                  e.getKey(), new long[] {e.getValue()[0] - old[0], e.getValue()[1] - old[1]});
            })
        .filter(e -> e.getValue()[1] > 0)
        .sorted((x, y) -> Long.compare(y.getValue()[1], x.getValue()[1]))
        .limit(8)
        .forEach(
            e ->
                System.out.printf(
                    "  %,10d bytes %6.1f objects per namespace  %s%n",
                    e.getValue()[1] / count, e.getValue()[0] / (double) count, e.getKey()));
  }

  /** Class name to {instances, bytes}, from the {@code GC.class_histogram} diagnostic command. */
  private static Map<String, long[]> histogram() throws Exception {
    String text =
        (String)
            ManagementFactory.getPlatformMBeanServer()
                .invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"),
                    "gcClassHistogram",
                    new Object[] {new String[0]},
                    new String[] {String[].class.getName()});
    Map<String, long[]> classes = new HashMap<>();
    for (String line : text.split("\n")) {
      String[] fields = line.trim().split("\\s+");
      if (fields.length >= 4 && fields[0].endsWith(":")) {
        classes.put(fields[3], new long[] {Long.parseLong(fields[1]), Long.parseLong(fields[2])});
      }
    }
    return classes;
  }

  /** Memory and descriptors of this process (and the machine's kernel) at one moment. */
  private record Snapshot(long heap, long rss, long kernel, long fds, long threads) {
    static Snapshot take() throws IOException, InterruptedException {
      for (int i = 0; i < 3; i++) {
        System.gc();
        Thread.sleep(50);
      }
      long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
      long fds;
      try (Stream<Path> open = Files.list(Path.of("/proc/self/fd"))) {
        fds = open.count();
      }
      return new Snapshot(
          heap,
          kiB(Path.of("/proc/self/status"), "VmRSS:"),
          kiB(Path.of("/proc/meminfo"), "Slab:") + kiB(Path.of("/proc/meminfo"), "Percpu:"),
          fds,
          kiB(Path.of("/proc/self/status"), "Threads:") / 1024);
    }

    /** The number after {@code key} in a {@code /proc} file, times 1024 (0 if absent). */
    private static long kiB(Path file, String key) throws IOException {
      for (String line : Files.readAllLines(file)) {
        if (line.startsWith(key)) {
          return Long.parseLong(line.substring(key.length()).trim().split("\\s+")[0]) * 1024;
        }
      }
      return 0;
    }
  }
}
