package dev.netns.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleBinaryOperator;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Runs a quick subset of the benchmarks (a few minutes in all) and prints one table: the library
 * against the syscall floor and the iproute2 baseline, the large topologies, the extension's
 * overhead per test, the kernel's cleanup under churn, and memory per live namespace.
 *
 * <pre>
 * sudo java -cp benchmarks/target/benchmarks.jar dev.netns.benchmarks.QuickReport [-v] [-rounds N] [-focus]
 * </pre>
 *
 * <p>Made for shared, noisy machines. Every operation is timed ({@code SampleTime}) and the median
 * kept, so that a stall of the machine moves no figure; the benchmarks that are compared with each
 * other run in the same JVM session close together, and that session is repeated ({@code -rounds},
 * default 2) so that a ratio is computed within each round and shown with its spread across rounds.
 * {@code -v} shows JMH's own output; {@code -focus} runs only the pair against its C floor, the
 * faults and the LANs. For careful numbers on a quiet machine run the benchmarks with their own
 * settings: {@code java -jar benchmarks/target/benchmarks.jar}.
 */
public final class QuickReport {
  private static final String PACKAGE = "dev\\.netns\\.benchmarks\\.";

  private final boolean verbose;
  private final int rounds;
  private final boolean focus;

  /** Benchmark to its median in milliseconds, one entry per round it ran in. */
  private final Map<String, List<Double>> medians = new LinkedHashMap<>();

  private final List<String> failed = new ArrayList<>();

  private QuickReport(boolean verbose, int rounds, boolean focus) {
    this.verbose = verbose;
    this.rounds = rounds;
    this.focus = focus;
  }

  public static void main(String[] args) throws Exception {
    List<String> options = List.of(args);
    int rounds = 2;
    int at = options.indexOf("-rounds");
    if (at >= 0 && at + 1 < args.length) {
      rounds = Integer.parseInt(args[at + 1]);
    }
    QuickReport report =
        new QuickReport(options.contains("-v"), rounds, options.contains("-focus"));
    long start = System.nanoTime();
    String loadBefore = loadAverage();
    report.run();
    System.out.printf(
        Locale.ROOT,
        "%n(quick run: %.1f minutes; load average (1, 5, 15 min) %s before, %s after, on %d CPUs)%n",
        (System.nanoTime() - start) / 60e9,
        loadBefore,
        loadAverage(),
        Runtime.getRuntime().availableProcessors());
  }

  private void run() throws Exception {
    if (focus) {
      runFocus();
      return;
    }
    for (int round = 1; round <= rounds; round++) {
      measure(
          "round " + round + "/" + rounds + ": namespaces, links, topologies, floors, iproute2",
          "(CallBenchmark|IprouteBaselineBenchmark|NamespaceBenchmark|TopologyBenchmark"
              + "|VethBenchmark)",
          b ->
              b.mode(Mode.SampleTime)
                  .warmupIterations(1)
                  .warmupTime(TimeValue.seconds(1))
                  .measurementIterations(2)
                  .measurementTime(TimeValue.seconds(1)));
      measure(
          "round " + round + "/" + rounds + ": the pair against the C floor (nslimit.c)",
          "CFloorBenchmark",
          b ->
              b.warmupIterations(1)
                  .warmupTime(TimeValue.seconds(2))
                  .measurementIterations(2)
                  .measurementTime(TimeValue.seconds(2)));
      measure(
          "round " + round + "/" + rounds + ": faults applied and healed",
          "FaultBenchmark",
          // The halves partition takes about 100 ms an operation: it needs a longer warm-up than
          // the others before the JIT has compiled its Java side.
          b ->
              b.warmupIterations(2)
                  .warmupTime(TimeValue.seconds(2))
                  .measurementIterations(2)
                  .measurementTime(TimeValue.seconds(2)));
      measure(
          "round " + round + "/" + rounds + ": the extension through the JUnit Platform",
          "ExtensionBenchmark",
          b ->
              b.mode(Mode.SampleTime)
                  .warmupIterations(1)
                  .warmupTime(TimeValue.seconds(2))
                  .measurementIterations(2)
                  .measurementTime(TimeValue.seconds(1)));
    }
    measureLans();
    measure(
        "churn, with the kernel's cleanup",
        "ChurnBenchmark",
        b ->
            b.mode(Mode.SampleTime)
                .warmupIterations(1)
                .warmupTime(TimeValue.seconds(3))
                .measurementIterations(2)
                .measurementTime(TimeValue.seconds(3)));
    Map<String, Double> footprint = footprint(1000);
    printTables(footprint);
  }

  /** {@code -focus}: only the pair against the C floor, the faults and the 100-host LAN. */
  private void runFocus() throws Exception {
    for (int round = 1; round <= rounds; round++) {
      measure(
          "round " + round + "/" + rounds + ": the pair against the C floor (nslimit.c)",
          "CFloorBenchmark",
          b ->
              b.warmupIterations(1)
                  .warmupTime(TimeValue.seconds(2))
                  .measurementIterations(2)
                  .measurementTime(TimeValue.seconds(2)));
      measure(
          "round " + round + "/" + rounds + ": faults applied and healed",
          "FaultBenchmark",
          // The halves partition takes about 100 ms an operation: it needs a longer warm-up than
          // the others before the JIT has compiled its Java side.
          b ->
              b.warmupIterations(2)
                  .warmupTime(TimeValue.seconds(2))
                  .measurementIterations(2)
                  .measurementTime(TimeValue.seconds(2)));
    }
    measureLans();
    printTables(Map.of());
  }

  /**
   * The LANs and the router line, one shot each; the 1,000-host LAN with fewer shots, each a second
   * or so plus the kernel's cleanup of the previous one.
   */
  private void measureLans() throws RunnerException {
    measure(
        "LANs of 10 and 100 hosts and the router line, one shot each",
        "LanBenchmark",
        b ->
            b.param("hosts", "10", "100")
                .exclude("LanBenchmark\\.endToEnd$")
                .warmupIterations(3)
                .measurementIterations(10));
    measure(
        "the LAN of 1,000 hosts, one shot each",
        "LanBenchmark",
        b ->
            b.exclude("LanBenchmark\\.(lan|routerLine20)$")
                .param("hosts", "1000")
                .warmupIterations(1)
                .measurementIterations(5));
  }

  /** The first three fields of /proc/loadavg: how busy the machine was, for the record. */
  private static String loadAverage() {
    try {
      String[] fields = java.nio.file.Files.readString(Path.of("/proc/loadavg")).split("\\s+");
      return fields[0] + " " + fields[1] + " " + fields[2];
    } catch (IOException e) {
      return "unknown";
    }
  }

  private interface Settings {
    ChainedOptionsBuilder apply(ChainedOptionsBuilder builder);
  }

  private void measure(String what, String classes, Settings settings) throws RunnerException {
    System.out.printf("== %s%n", what);
    ChainedOptionsBuilder options =
        new OptionsBuilder()
            .include(PACKAGE + classes + "\\..*")
            .forks(1)
            .verbosity(verbose ? VerboseMode.NORMAL : VerboseMode.SILENT);
    Collection<RunResult> results = new Runner(settings.apply(options).build()).run();
    for (RunResult result : results) {
      String benchmark = result.getParams().getBenchmark();
      String name =
          benchmark.substring(benchmark.lastIndexOf('.', benchmark.lastIndexOf('.') - 1) + 1);
      String hosts = result.getParams().getParam("hosts");
      if (hosts != null) {
        name += "[" + hosts + "]";
      }
      if (result.getSecondaryResults().containsKey("ratio")) {
        interleaved(name, result);
        continue;
      }
      double median = result.getPrimaryResult().getStatistics().getPercentile(50);
      double ms = median * TimeUnit.NANOSECONDS.convert(1, result.getParams().getTimeUnit()) / 1e6;
      medians.computeIfAbsent(name, k -> new ArrayList<>()).add(ms);
      System.out.printf(Locale.ROOT, "   %-45s %12.3f ms/op (median)%n", name, ms);
    }
    if (results.isEmpty()) {
      failed.add(what);
      System.out.println("   (no results: run with -v to see why)");
    }
  }

  /**
   * The medians of each iteration of an interleaved comparison (its secondary results), kept per
   * iteration: each iteration compares the two sides under the same load.
   */
  private void interleaved(String name, RunResult result) {
    for (BenchmarkResult benchmark : result.getBenchmarkResults()) {
      for (IterationResult iteration : benchmark.getIterationResults()) {
        Map<String, Result> secondary = iteration.getSecondaryResults();
        medians
            .computeIfAbsent(name + ".c", k -> new ArrayList<>())
            .add(secondary.get("cMedianMicros").getScore() / 1e3);
        medians
            .computeIfAbsent(name + ".library", k -> new ArrayList<>())
            .add(secondary.get("libraryMedianMicros").getScore() / 1e3);
        medians
            .computeIfAbsent(name + ".ratio", k -> new ArrayList<>())
            .add(secondary.get("ratio").getScore());
        if (secondary.containsKey("librarySetupMedianMicros")) {
          medians
              .computeIfAbsent(name + ".setup", k -> new ArrayList<>())
              .add(secondary.get("librarySetupMedianMicros").getScore() / 1e3);
        }
        if (secondary.containsKey("setupOverWiring")
            && secondary.get("setupOverWiring").getScore() > 0) {
          medians
              .computeIfAbsent(name + ".wiring", k -> new ArrayList<>())
              .add(secondary.get("cWiringMedianMicros").getScore() / 1e3);
          medians
              .computeIfAbsent(name + ".setupOverWiring", k -> new ArrayList<>())
              .add(secondary.get("setupOverWiring").getScore());
        }
      }
    }
    System.out.printf(
        Locale.ROOT,
        "   %-45s %12s (library / C floor, per iteration)%n",
        name,
        spread(medians.getOrDefault(name + ".ratio", List.of())));
  }

  /** Runs NamespaceFootprint in a JVM of its own, with a heap resident from the start. */
  private Map<String, Double> footprint(int count) throws IOException, InterruptedException {
    System.out.printf("== memory of %d live namespaces%n", count);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process process =
        new ProcessBuilder(
                java,
                "-Xms1g",
                "-Xmx1g",
                "-XX:+AlwaysPreTouch",
                "-cp",
                System.getProperty("java.class.path"),
                NamespaceFootprint.class.getName(),
                Integer.toString(count))
            .redirectErrorStream(true)
            .start();
    Map<String, Double> values = new LinkedHashMap<>();
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        if (line.startsWith("footprint ")) {
          for (String pair : line.substring(10).trim().split("\\s+")) {
            String[] kv = pair.split("=");
            values.put(kv[0], Double.parseDouble(kv[1]));
          }
        } else {
          System.out.println("   " + line);
        }
      }
    }
    if (process.waitFor() != 0 || values.isEmpty()) {
      failed.add("memory");
    }
    return values;
  }

  private void printTables(Map<String, Double> footprint) {
    derive(
        "ExtensionBenchmark.overhead",
        "ExtensionBenchmark.withNetwork",
        "ExtensionBenchmark.withoutNetwork",
        (a, b) -> a - b);
    for (String side : new String[] {"library", "floor"}) {
      derive(
          "ChurnBenchmark." + side + "LessCanaries",
          "ChurnBenchmark." + side + "UntilFreed",
          "ChurnBenchmark.canariesOnly",
          (a, b) -> a - b);
    }

    System.out.println();
    System.out.println(
        "| Setup + teardown | Library | Floor | iproute2 | Library / floor | iproute2 / library |");
    System.out.println("|---|---:|---:|---:|---:|---:|");
    row(
        "One namespace; floor: unshare, open, setns home, close",
        "NamespaceBenchmark.library",
        "NamespaceBenchmark.syscallFloor",
        null);
    row(
        "One namespace; floor with the same outcome (+ netlink socket, lo up)",
        "NamespaceBenchmark.library",
        "NamespaceBenchmark.syscallFloorSameOutcome",
        null);
    row(
        "Veth pair between two existing namespaces, kernel layer, with delete",
        "VethBenchmark.kernelLayer",
        "VethBenchmark.bareNetlink",
        null);
    row(
        "Two-namespace pair (Topology)",
        "TopologyBenchmark.pair",
        "TopologyBenchmark.pairFloor",
        "IprouteBaselineBenchmark.pair");
    row(
        "Two-namespace pair (Topology); floor: nslimit.c, the C program, run back to back",
        "CFloorBenchmark.library",
        "CFloorBenchmark.cFloor",
        null);
    row(
        "... the same, the C floor and the library alternating operation by operation",
        "CFloorBenchmark.interleaved.library",
        "CFloorBenchmark.interleaved.c",
        null);
    row(
        "Seed: one namespace + veth to the machine (Topology; its end goes down, the kernel"
            + " deletes it with the namespace)",
        "TopologyBenchmark.seed",
        "TopologyBenchmark.seedFloorAsyncHostEnd",
        "IprouteBaselineBenchmark.seed");
    row(
        "Seed floor with a synchronous RTM_DELLINK of the machine's end (what the library did"
            + " before)",
        null,
        "TopologyBenchmark.seedFloor",
        null);
    row(
        "Pair in a churn of 100, until the kernel has freed it, per pair",
        "ChurnBenchmark.libraryUntilFreed",
        "ChurnBenchmark.floorUntilFreed",
        null);
    row(
        "... less the canaries' own cost ("
            + cell("ChurnBenchmark.canariesOnly")
            + " ms per pair; the measuring device)",
        "ChurnBenchmark.libraryLessCanaries",
        "ChurnBenchmark.floorLessCanaries",
        null);
    row(
        "Pair in a churn of 100, burst only (kernel cleanup behind it), per pair",
        "ChurnBenchmark.libraryBurstOnly",
        null,
        null);
    row(
        "Partition {n1} | {n2, n3} of a 3-host LAN, applied and healed",
        "FaultBenchmark.partition3",
        null,
        null);
    row("One-way cut n1 -> n2, applied and healed", "FaultBenchmark.cut", null, null);
    row("LAN port unplugged and plugged back in", "FaultBenchmark.lanDisconnect", null, null);
    row(
        "Halves partition of a 100-host LAN (400 routes), applied and healed",
        "FaultBenchmark.halves100",
        null,
        null);
    row("LAN of 10 hosts", "LanBenchmark.lan[10]", null, null);
    row("LAN of 100 hosts", "LanBenchmark.lan[100]", null, null);
    row(
        "LAN of 100 hosts, setup alone; floor: the same in C (lanfloor.c)",
        "LanBenchmark.lanSetup[100]",
        "LanBenchmark.cFloorLanSetup[100]",
        null);
    row(
        "LAN of 1,000 hosts, setup alone; floor: the same in C (lanfloor.c)",
        "LanBenchmark.lanSetup[1000]",
        "LanBenchmark.cFloorLanSetup[1000]",
        null);
    row(
        "LAN of 1,000 hosts built, ten pairs talking, torn down",
        "LanBenchmark.endToEnd",
        null,
        null);
    row("Line of 20 routers", "LanBenchmark.routerLine20", null, null);
    row(
        "NetworkNamespace.call round trip; floor: a plain single-thread executor",
        "CallBenchmark.callRoundTrip",
        "CallBenchmark.executorRoundTrip",
        null);
    row(
        "TCP server channel opened and bound in a namespace; floor: on the caller's thread",
        "CallBenchmark.openSocketInNamespace",
        "CallBenchmark.openSocketHere",
        null);
    row(
        "JUnit test with a two-host network, per test",
        "ExtensionBenchmark.withNetwork",
        null,
        null);
    row("The same JUnit test without a network", "ExtensionBenchmark.withoutNetwork", null, null);
    row("Extension overhead per test (the difference)", "ExtensionBenchmark.overhead", null, null);
    System.out.println();
    System.out.println(
        "Milliseconds per operation, medians; with several rounds, the median of the rounds'"
            + " medians, and ratios computed within each round: median [lowest, highest].");

    System.out.println();
    System.out.println("| Target | Measured | Verdict |");
    System.out.println("|---|---:|---|");
    target(
        "Pair within 1.3x of the floor",
        ratios("TopologyBenchmark.pair", "TopologyBenchmark.pairFloor"),
        "x",
        r -> r <= 1.3);
    target(
        "Pair at most 1.15x the C floor, interleaved (per iteration)",
        values("CFloorBenchmark.interleaved.ratio"),
        "x",
        r -> r <= 1.15);
    target(
        "Pair at most 1.15x the C floor, back to back (per round)",
        ratios("CFloorBenchmark.library", "CFloorBenchmark.cFloor"),
        "x",
        r -> r <= 1.15);
    target(
        "Pair from a warm pool, start() alone as a test sees it, at most 0.4 ms (per iteration)",
        values("CFloorBenchmark.interleavedPooled.setup"),
        " ms",
        ms -> ms <= 0.4);
    reported(
        "The C floor's pair without its unshares, what a pool cannot take ahead",
        values("CFloorBenchmark.interleavedPooled.wiring"),
        " ms");
    reported(
        "Pair from a warm pool, start() alone over that C wiring (per iteration)",
        values("CFloorBenchmark.interleavedPooled.setupOverWiring"),
        "x");
    target(
        "Pair from a warm pool below the C floor, which pays the kernel's unshare (per iteration)",
        values("CFloorBenchmark.interleavedPooled.ratio"),
        "x",
        r -> r < 1);
    for (String fault : new String[] {"partition3", "cut", "lanDisconnect"}) {
      target(
          "Fault " + fault + " applied and healed in at most 1 ms",
          values("FaultBenchmark." + fault),
          " ms",
          ms -> ms <= 1);
    }
    target(
        "Halves partition of a 100-host LAN in at most 10 ms",
        values("FaultBenchmark.halves100"),
        " ms",
        ms -> ms <= 10);
    target(
        "Pair at least 20x faster than iproute2",
        ratios("IprouteBaselineBenchmark.pair", "TopologyBenchmark.pair"),
        "x",
        r -> r >= 20);
    target(
        "100-host LAN up and torn down in under 150 ms",
        values("LanBenchmark.lan[100]"),
        " ms",
        ms -> ms < 150);
    target(
        "100-host LAN set up in at most 40 ms on 2 cores",
        values("LanBenchmark.lanSetup[100]"),
        " ms",
        ms -> ms <= 40);
    reported(
        "100-host LAN setup, library / the same in C on one thread",
        ratios("LanBenchmark.lanSetup[100]", "LanBenchmark.cFloorLanSetup[100]"),
        "x");
    target(
        "1,000-host LAN set up in under 1 s",
        values("LanBenchmark.lanSetup[1000]"),
        " ms",
        ms -> ms < 1000);
    reported(
        "1,000-host LAN built, ten pairs talking, torn down",
        values("LanBenchmark.endToEnd"),
        " ms");
    target(
        "Extension overhead at most 1 ms per test (issue 17; 3 ms in round one)",
        values("ExtensionBenchmark.overhead"),
        " ms",
        ms -> ms <= 1);

    if (!footprint.isEmpty()) {
      System.out.println();
      System.out.println("| Memory per live namespace | Bytes |");
      System.out.println("|---|---:|");
      bytes("Heap (handle without a thread)", footprint.get("heap"));
      bytes("Native, this process (handle without a thread)", footprint.get("native"));
      bytes("Kernel: growth of Slab + Percpu, machine-wide (rough)", footprint.get("kernel"));
      bytes("Added by starting the namespace's thread", footprint.get("thread"));
      System.out.printf(Locale.ROOT, "| File descriptors | %.1f |%n", footprint.get("fds"));
    }
    if (!failed.isEmpty()) {
      System.out.println();
      System.out.println("Failed or empty: " + failed + " (run with -v to see JMH's output)");
    }
  }

  /** Per round, {@code name = op(a, b)} wherever both ran. */
  private void derive(String name, String a, String b, DoubleBinaryOperator op) {
    List<Double> values = new ArrayList<>();
    List<Double> as = medians.getOrDefault(a, List.of());
    List<Double> bs = medians.getOrDefault(b, List.of());
    for (int i = 0; i < Math.min(as.size(), bs.size()); i++) {
      values.add(op.applyAsDouble(as.get(i), bs.get(i)));
    }
    if (!values.isEmpty()) {
      medians.put(name, values);
    }
  }

  private List<Double> values(String name) {
    return name == null ? List.of() : medians.getOrDefault(name, List.of());
  }

  /** Per round, {@code numerator / denominator}. */
  private List<Double> ratios(String numerator, String denominator) {
    List<Double> ratios = new ArrayList<>();
    List<Double> ns = values(numerator);
    List<Double> ds = values(denominator);
    for (int i = 0; i < Math.min(ns.size(), ds.size()); i++) {
      ratios.add(ns.get(i) / ds.get(i));
    }
    return ratios;
  }

  private void row(String what, String library, String floor, String iproute) {
    System.out.printf(
        "| %s | %s | %s | %s | %s | %s |%n",
        what,
        cell(library),
        cell(floor),
        cell(iproute),
        spread(ratios(library, floor)),
        spread(ratios(iproute, library)));
  }

  private String cell(String name) {
    List<Double> values = values(name);
    return values.isEmpty() ? "" : millis(median(values));
  }

  private interface Check {
    boolean met(double value);
  }

  /** A figure shown beside the targets without a goal of its own: its verdict is "reported". */
  private static void reported(String what, List<Double> values, String unit) {
    target(what, values, unit, null);
  }

  /** A target's figure and verdict; a null {@code check} has none to judge by: "reported". */
  private static void target(String what, List<Double> values, String unit, Check check) {
    if (values.isEmpty()) {
      System.out.printf("| %s | n/a | not measured |%n", what);
      return;
    }
    long met = check == null ? 0 : values.stream().filter(check::met).count();
    String verdict =
        check == null
            ? "reported"
            : met == values.size()
                ? "met"
                : met == 0
                    ? "missed"
                    : "borderline: met in " + met + " of " + values.size() + " rounds";
    String measured = spread(values).replaceFirst("^(\\S+)", "$1" + unit);
    System.out.printf("| %s | %s | %s |%n", what, measured, verdict);
  }

  private static void bytes(String what, Double value) {
    System.out.printf(Locale.ROOT, "| %s | %,.0f |%n", what, value);
  }

  /** The median, and with more than one value the lowest and highest. */
  private static String spread(List<Double> values) {
    if (values.isEmpty()) {
      return "";
    }
    String median = number(median(values));
    if (values.size() == 1) {
      return median;
    }
    double low = values.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
    double high = values.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
    return median + " [" + number(low) + ", " + number(high) + "]";
  }

  private static double median(List<Double> values) {
    double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    int middle = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  }

  private static String number(double value) {
    return String.format(Locale.ROOT, Math.abs(value) >= 100 ? "%.0f" : "%.2f", value);
  }

  private static String millis(double ms) {
    if (ms >= 100) {
      return String.format(Locale.ROOT, "%.0f", ms);
    }
    if (ms >= 10) {
      return String.format(Locale.ROOT, "%.1f", ms);
    }
    if (ms >= 1) {
      return String.format(Locale.ROOT, "%.2f", ms);
    }
    return String.format(Locale.ROOT, "%.3f", ms);
  }
}
