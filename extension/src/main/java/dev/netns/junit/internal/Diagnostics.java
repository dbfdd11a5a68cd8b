package dev.netns.junit.internal;

import dev.netns.junit.Capture;
import dev.netns.junit.NetNamespace;
import dev.netns.kernel.Inspection;
import dev.netns.kernel.LinkInfo;
import dev.netns.kernel.NetworkNamespace;
import dev.netns.kernel.PacketCapture;
import dev.netns.topology.RunningTopology;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Logger;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.opentest4j.TestAbortedException;

/**
 * What a network leaves behind when its test fails: a report of the network's state at the failure
 * ({@link NetworkReport}), the packets that crossed it ({@link PacketCapture}, one pcap file per
 * interface of each declared namespace), and, under {@code netns.pauseOnFailure}, the network
 * itself. One per {@link NetworkResource}, made right after the network is built, so capture starts
 * before any {@code @BeforeEach} method or test body runs.
 *
 * <p>Nothing here may hide the test's own failure: trouble writing a report or capturing is
 * attached to the failure as a suppressed exception or logged, never thrown instead. With capture
 * off ({@code never}) no socket, thread or file is made until a test fails.
 */
final class Diagnostics {
  private static final Logger LOG = Logger.getLogger(Diagnostics.class.getName());
  static final String REPORT_FILE = "report.txt";
  static final String SHARED_NETWORK_DIR = "shared-network";

  private final DefaultNetwork network;
  private final ExtensionContext owner;
  private final Path reportDir;
  private final Capture.Mode mode;
  private final long maxBytes;
  private final long pauseSeconds;
  private final PacketCapture capture;
  private final String captureProblem;
  private final Set<String> reported = ConcurrentHashMap.newKeySet();
  private final List<Path> reports = new CopyOnWriteArrayList<>();
  private volatile boolean failed;
  private List<PacketCapture.Summary> captured;

  private Diagnostics(
      DefaultNetwork network, Plan settings, PacketCapture capture, String captureProblem) {
    this.network = network;
    this.owner = settings.owner();
    this.reportDir = settings.reportDir();
    this.mode = settings.mode();
    this.maxBytes = settings.maxBytes();
    this.pauseSeconds = settings.pauseSeconds();
    this.capture = capture;
    this.captureProblem = captureProblem;
  }

  /**
   * The diagnostics configuration of the network {@code owner} is about to build, from the run's
   * settings and the {@code @Capture} annotations that apply.
   */
  static Plan plan(ExtensionContext owner, Settings run) {
    Capture.Mode mode =
        Annotations.find(owner.getTestMethod(), owner.getRequiredTestClass(), Capture.class)
            .map(Capture::mode)
            .orElse(run.capture());
    return new Plan(owner, run.reportDir(), mode, run.captureMaxBytes(), run.pauseSeconds());
  }

  /**
   * The diagnostics configuration of one network.
   *
   * @param owner the context that builds the network (a test method's, or a class's when shared)
   * @param reportDir the base directory of reports and captures
   * @param mode when packets are captured and kept
   * @param maxBytes the size bound of each capture file
   * @param pauseSeconds -1: no pause; 0: keep a failed test's network until the JVM exits; n: also
   *     hold the failed test n seconds
   */
  record Plan(
      ExtensionContext owner, Path reportDir, Capture.Mode mode, long maxBytes, long pauseSeconds) {

    /**
     * Starts capturing on the freshly built network when the mode asks for it. A capture that
     * cannot start is noted in later reports and logged, not thrown: the test runs without it.
     */
    Diagnostics start(DefaultNetwork network) {
      PacketCapture capture = null;
      String problem = null;
      if (mode != Capture.Mode.NEVER) {
        try {
          String thread =
              "netns-capture "
                  + owner.getRequiredTestClass().getSimpleName()
                  + owner.getTestMethod().map(m -> "." + m.getName() + "()").orElse("");
          capture =
              startCapture(network.running(), testDirectory(reportDir, owner), maxBytes, thread);
        } catch (IOException | RuntimeException e) {
          problem = "capture could not start: " + e;
          LOG.warning(() -> "netns: " + owner.getUniqueId() + " runs without packet capture: " + e);
        }
      }
      return new Diagnostics(network, this, capture, problem);
    }
  }

  /**
   * Where a test's report and captures go: {@code <reportDir>/<class>/<method>}, with the
   * invocation's index for repeated and parameterized tests, or {@code <class>/shared-network} for
   * a class's network.
   */
  static Path testDirectory(Path reportDir, ExtensionContext context) {
    Path classDir = reportDir.resolve(safe(context.getRequiredTestClass().getName()));
    Optional<Method> method = context.getTestMethod();
    if (method.isEmpty()) {
      return classDir.resolve(SHARED_NETWORK_DIR);
    }
    String name = method.get().getName();
    String id = context.getUniqueId();
    int last = id.lastIndexOf("/[");
    if (last >= 0 && !id.startsWith("/[method:", last)) {
      String segment = id.substring(last + 2, id.length() - 1);
      name += "-" + segment.substring(segment.indexOf(':') + 1).replace("#", "");
    }
    return classDir.resolve(safe(name));
  }

  private static String safe(String name) {
    return name.replaceAll("[^A-Za-z0-9._$-]", "_");
  }

  /** One socket per interface (loopback aside) of every declared namespace. */
  private static PacketCapture startCapture(
      RunningTopology running, Path dir, long maxBytes, String threadName) throws IOException {
    List<PacketCapture.Target> targets = new ArrayList<>();
    for (Map.Entry<String, NetworkNamespace> host : running.namespaces().entrySet()) {
      for (LinkInfo link : Inspection.links(host.getValue())) {
        if (!link.name().equals("lo")) {
          targets.add(
              new PacketCapture.Target(
                  host.getValue(),
                  link.name(),
                  dir.resolve(safe(host.getKey() + "-" + link.name()) + ".pcap")));
        }
      }
    }
    if (targets.isEmpty()) {
      return null;
    }
    createDirectories(dir);
    deleteStale(dir);
    return PacketCapture.start(targets, threadName, maxBytes);
  }

  /**
   * Creates a test's directory. A test of the same class that passes at the same moment removes the
   * class's directory once empty, which can fall between the two steps of creating it.
   */
  private static void createDirectories(Path dir) throws IOException {
    for (int attempt = 1; ; attempt++) {
      try {
        Files.createDirectories(dir);
        return;
      } catch (java.nio.file.NoSuchFileException e) {
        if (attempt == 3) {
          throw e;
        }
      }
    }
  }

  /** Files an earlier run of the same test left, which would otherwise pass for this run's. */
  private static void deleteStale(Path dir) throws IOException {
    try (DirectoryStream<Path> old =
        Files.newDirectoryStream(dir, "{*.pcap," + REPORT_FILE + "}")) {
      for (Path file : old) {
        Files.deleteIfExists(file);
      }
    }
  }

  /**
   * Called where a test or lifecycle method failed, with the network still as the failure left it:
   * writes the report, publishes its path, and points the failure at it. Once per test; aborted
   * tests are not failures.
   */
  void failed(ExtensionContext context, Throwable failure) {
    if (failure instanceof TestAbortedException) {
      return;
    }
    failed = true;
    if (!reported.add(context.getUniqueId())) {
      return;
    }
    try {
      Path report = writeReport(context, failure, "when the test failed");
      context.publishReportEntry("netns.report", report.toAbsolutePath().toString());
      context.publishReportEntry(
          "netns.network",
          NetworkReport.summary(network, capture == null ? 0 : capture.targets().size()));
      failure.addSuppressed(new FailureNote(note(report), null));
    } catch (IOException | RuntimeException e) {
      failure.addSuppressed(new FailureNote("netns: could not write the network report: " + e, e));
    }
  }

  /**
   * Called first thing at teardown, with the network still up: reports a failure that happened
   * where no handler saw it (an extension's callback, say). Then decides the pause.
   */
  void beforeTeardown() {
    Optional<Throwable> failure = owner.getExecutionException();
    if (failure.isPresent() && !(failure.get() instanceof TestAbortedException)) {
      failed = true;
      if (!reported.contains(owner.getUniqueId())) {
        failed(owner, failure.get());
      }
    }
  }

  /** True when the test failed and {@code netns.pauseOnFailure} asks to keep its network. */
  boolean pauseRequested() {
    return failed && pauseSeconds >= 0;
  }

  /**
   * Stops the capture (sockets closed, thread joined) before the namespaces go, then keeps or
   * deletes its files as the mode says; kept files are listed in the test's reports. Idempotent.
   */
  synchronized void stopCapture() {
    if (capture == null || captured != null) {
      return;
    }
    captured = capture.stop();
    boolean keep = mode == Capture.Mode.ALWAYS || failed;
    if (!keep) {
      deleteCaptures();
      return;
    }
    List<String> lines = new ArrayList<>();
    for (PacketCapture.Summary s : captured) {
      lines.add(describe(s));
    }
    for (Path report : reports) {
      try {
        Files.writeString(
            report,
            "\n== packet captures at teardown\n  " + String.join("\n  ", lines) + "\n",
            java.nio.file.StandardOpenOption.APPEND);
      } catch (IOException e) {
        LOG.warning(() -> "netns: cannot append capture summary to " + report + ": " + e);
      }
    }
    try {
      owner.publishReportEntry(
          "netns.capture",
          captured.get(0).target().file().toAbsolutePath().getParent()
              + " ("
              + captured.size()
              + " pcap files)");
    } catch (RuntimeException e) {
      // a report entry is a courtesy; the files are there
    }
  }

  private String describe(PacketCapture.Summary s) {
    StringBuilder line =
        new StringBuilder(s.target().file().toAbsolutePath().toString())
            .append(": ")
            .append(s.frames())
            .append(" frames, ")
            .append(s.bytes())
            .append(" bytes");
    if (s.framesNotWritten() > 0) {
      line.append("; ")
          .append(s.framesNotWritten())
          .append(" later frames NOT written: the file reached ")
          .append(NetNamespace.CAPTURE_MAX_BYTES_PROPERTY_NAME)
          .append('=')
          .append(maxBytes);
    }
    if (s.kernelDrops() > 0) {
      line.append("; ")
          .append(s.kernelDrops())
          .append(" frames dropped by the kernel (capture socket buffer full)");
    }
    if (s.failure() != null) {
      line.append("; capture stopped early: ").append(s.failure());
    }
    return line.toString();
  }

  private void deleteCaptures() {
    Path dir = null;
    for (PacketCapture.Summary s : captured) {
      dir = s.target().file().getParent();
      try {
        Files.deleteIfExists(s.target().file());
      } catch (IOException e) {
        LOG.warning(() -> "netns: cannot delete " + s.target().file() + ": " + e);
      }
    }
    // The test's directory and its class's, when nothing else is in them.
    for (int up = 0; dir != null && up < 2; up++, dir = dir.getParent()) {
      try {
        Files.deleteIfExists(dir);
      } catch (IOException e) {
        return; // not empty
      }
    }
  }

  private Path writeReport(ExtensionContext context, Throwable failure, String moment)
      throws IOException {
    Path dir = testDirectory(reportDir, context);
    createDirectories(dir);
    Path file = dir.resolve(REPORT_FILE);
    Files.writeString(
        file,
        NetworkReport.describe(
            network, testName(context), failure, moment, network.seedsUsed(), captureLines()));
    reports.add(file);
    return file;
  }

  private List<String> captureLines() {
    List<String> lines = new ArrayList<>();
    if (captureProblem != null) {
      lines.add(captureProblem);
    }
    if (capture != null) {
      List<PacketCapture.Target> targets = capture.targets();
      List<Long> frames = capture.framesSoFar();
      for (int i = 0; i < targets.size(); i++) {
        lines.add(
            targets.get(i).file().toAbsolutePath()
                + " ("
                + targets.get(i).namespace().name()
                + ":"
                + targets.get(i).link()
                + ", "
                + frames.get(i)
                + " frames so far; written out at teardown)");
      }
    }
    return lines;
  }

  private String note(Path report) {
    StringBuilder note =
        new StringBuilder("netns: the network as this failure left it: ")
            .append(report.toAbsolutePath());
    if (capture != null) {
      note.append("; packets: ")
          .append(capture.targets().get(0).file().toAbsolutePath().getParent())
          .append("/*.pcap (tcpdump -nn -r FILE)");
    }
    return note.toString();
  }

  private static String testName(ExtensionContext context) {
    String name =
        context.getRequiredTestClass().getName()
            + context.getTestMethod().map(m -> "." + m.getName() + "()").orElse("");
    // A repeated or parameterized test's invocation says which one it is in its display name.
    boolean invocation =
        context.getTestMethod().isPresent() && !context.getUniqueId().endsWith(")]");
    return invocation ? name + " [" + context.getDisplayName() + "]" : name;
  }

  /**
   * Keeps the network of a failed test until the JVM exits: prints how to enter each namespace,
   * registers {@code teardown} to run at exit, and holds the test for the configured seconds.
   */
  void pause(String ownerName, List<Path> bindings, Runnable teardown) {
    RunningTopology running = network.running();
    StringBuilder message =
        new StringBuilder("\nnetns: ")
            .append(ownerName)
            .append(" failed; its network stays up until this JVM exits (")
            .append(NetNamespace.PAUSE_ON_FAILURE_PROPERTY_NAME)
            .append("). Enter a namespace with:\n");
    for (NetworkNamespace ns : running.allNamespaces()) {
      message
          .append("  ")
          .append(String.format("%-16s", ns.name()))
          .append(' ')
          .append(NetworkReport.enterCommand(ns))
          .append(" ip -s addr\n");
    }
    for (Path binding : bindings) {
      message.append("  or: ip netns exec ").append(binding.getFileName()).append(" <command>\n");
    }
    reports.forEach(r -> message.append("Report: ").append(r.toAbsolutePath()).append('\n'));
    if (pauseSeconds > 0) {
      message.append("Holding this test for ").append(pauseSeconds).append(" s.\n");
    }
    System.err.print(message);
    System.err.flush();
    Runtime.getRuntime().addShutdownHook(new Thread(teardown, "netns-teardown-at-exit"));
    if (pauseSeconds > 0) {
      try {
        Thread.sleep(pauseSeconds * 1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Points a failure at its report; it carries no stack of its own. */
  static final class FailureNote extends RuntimeException {
    private static final long serialVersionUID = 1L;

    FailureNote(String message, Throwable cause) {
      super(message, cause, false, false);
    }
  }
}
