package dev.netns.junit.internal;

import dev.netns.junit.Capture;
import dev.netns.junit.NotLinearizableError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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
 * ({@link NetworkReport}, placed as {@link ReportLayout} says), the packets that crossed it ({@link
 * CaptureSession}), and, under {@code netns.pauseOnFailure}, the network itself ({@link
 * PauseOnFailure}). One per {@link NetworkResource}, made right after the network is built, so
 * capture starts before any {@code @BeforeEach} method or test body runs.
 *
 * <p>Nothing here may hide the test's own failure: trouble writing a report or capturing is
 * attached to the failure as a suppressed exception or logged, never thrown instead. With capture
 * off ({@code never}) no socket, thread or file is made until a test fails.
 */
final class Diagnostics {
  private static final Logger LOG = Logger.getLogger(Diagnostics.class.getName());

  private final DefaultNetwork network;
  private final Plan plan;
  private final CaptureSession capture;
  private final Set<String> reported = ConcurrentHashMap.newKeySet();
  private final List<Path> reports = new CopyOnWriteArrayList<>();
  private final Map<Path, ReportPage> pages = new ConcurrentHashMap<>();
  private volatile boolean failed;

  private Diagnostics(DefaultNetwork network, Plan plan, CaptureSession capture) {
    this.network = network;
    this.plan = plan;
    this.capture = capture;
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

    /** Starts capturing on the freshly built network when the mode asks for it. */
    Diagnostics start(DefaultNetwork network) {
      CaptureSession capture =
          mode == Capture.Mode.NEVER
              ? CaptureSession.none()
              : CaptureSession.start(
                  network.running(),
                  ReportLayout.testDirectory(reportDir, owner),
                  maxBytes,
                  "netns-capture "
                      + owner.getRequiredTestClass().getSimpleName()
                      + owner.getTestMethod().map(m -> "." + m.getName() + "()").orElse(""),
                  owner.getUniqueId());
      return new Diagnostics(network, this, capture);
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
      writePage(context, report, failure, "when the test failed");
      writeHistory(context, report, failure);
      context.publishReportEntry(
          "netns.network", NetworkReport.summary(network, capture.interfaces()));
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
    Optional<Throwable> failure = plan.owner().getExecutionException();
    if (failure.isPresent() && !(failure.get() instanceof TestAbortedException)) {
      failed = true;
      if (!reported.contains(plan.owner().getUniqueId())) {
        failed(plan.owner(), failure.get());
      }
    }
  }

  /** True when the test (or, for a shared network, one of the class's tests) failed. */
  boolean failed() {
    return failed;
  }

  /** True when the test failed and {@code netns.pauseOnFailure} asks to keep its network. */
  boolean pauseRequested() {
    return failed && plan.pauseSeconds() >= 0;
  }

  /**
   * Stops the capture (sockets closed, thread joined) before the namespaces go, then keeps or
   * deletes its files as the mode says; kept files are listed in the test's reports. Idempotent.
   */
  void stopCapture() {
    List<String> kept = capture.stop(plan.mode() == Capture.Mode.ALWAYS || failed);
    if (kept.isEmpty()) {
      return;
    }
    // The pages link the files again, now complete, with their final sizes.
    pages.forEach((file, page) -> writePage(file, page));
    for (Path report : reports) {
      try {
        Files.writeString(
            report,
            "\n== packet captures at teardown\n  " + String.join("\n  ", kept) + "\n",
            StandardOpenOption.APPEND);
      } catch (IOException e) {
        LOG.warning(() -> "netns: cannot append capture summary to " + report + ": " + e);
      }
    }
    try {
      plan.owner()
          .publishReportEntry(
              "netns.capture",
              capture.directory().orElseThrow() + " (" + kept.size() + " pcap files)");
    } catch (RuntimeException e) {
      // a report entry is a courtesy; the files are there
    }
  }

  /**
   * Keeps the network of a failed test until the JVM exits (see {@link PauseOnFailure}), with
   * {@code teardown} registered to run at exit.
   */
  void pause(String ownerName, List<Path> bindings, Runnable teardown) {
    PauseOnFailure.pause(
        ownerName,
        network.running().allNamespaces(),
        bindings,
        reports,
        plan.pauseSeconds(),
        teardown);
  }

  private Path writeReport(ExtensionContext context, Throwable failure, String moment)
      throws IOException {
    Path dir = ReportLayout.testDirectory(plan.reportDir(), context);
    ReportLayout.createDirectories(dir);
    Path file = dir.resolve(ReportLayout.REPORT_FILE);
    Files.writeString(
        file,
        NetworkReport.describe(
            network, testName(context), failure, moment, network.seedsUsed(), capture.lines()));
    reports.add(file);
    return file;
  }

  /**
   * Writes {@code report.html} beside {@code report}. A page that cannot be written is said on the
   * failure; the text report stands without it.
   */
  private void writePage(ExtensionContext context, Path report, Throwable failure, String moment) {
    try {
      ReportPage page =
          new ReportPage(
              network.running().topology(),
              network.running().faults().active().stream().map(ReportPage.Fault::of).toList(),
              testName(context),
              failure.toString().lines().findFirst().orElse(""),
              NetworkReport.trace(failure),
              moment + ", " + java.time.Instant.now(),
              FaultEffects.lines(network.running().faults().applied()));
      Path file = report.resolveSibling(ReportLayout.PAGE_FILE);
      Files.writeString(file, page.render(file.getParent(), capture.links()));
      pages.put(file, page);
      context.publishReportEntry("netns.reportPage", file.toAbsolutePath().toString());
    } catch (IOException | RuntimeException e) {
      failure.addSuppressed(new FailureNote("netns: could not write the report page: " + e, e));
    }
  }

  /**
   * Writes {@code history.html} and {@code history.edn} beside {@code report} when the failure is
   * (or was caused by) a {@link NotLinearizableError}, whose result carries the history checked.
   */
  private static void writeHistory(ExtensionContext context, Path report, Throwable failure) {
    Optional<NotLinearizableError> found = notLinearizable(failure);
    if (found.isEmpty()) {
      return;
    }
    try {
      Path page = report.resolveSibling(ReportLayout.HISTORY_PAGE_FILE);
      found.get().result().writeHtml(page);
      found.get().result().writeEdn(report.resolveSibling(ReportLayout.HISTORY_EDN_FILE));
      context.publishReportEntry("netns.history", page.toAbsolutePath().toString());
      failure.addSuppressed(
          new FailureNote(
              "netns: the history that was checked: "
                  + page.toAbsolutePath()
                  + " (Jepsen EDN: "
                  + ReportLayout.HISTORY_EDN_FILE
                  + " beside it)",
              null));
    } catch (IOException | RuntimeException e) {
      failure.addSuppressed(new FailureNote("netns: could not write the history page: " + e, e));
    }
  }

  /** The failure itself or one of its causes, when it is a linearizability failure. */
  private static Optional<NotLinearizableError> notLinearizable(Throwable failure) {
    Set<Throwable> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    for (Throwable t = failure; t != null && seen.add(t); t = t.getCause()) {
      if (t instanceof NotLinearizableError e && e.result() != null) {
        return Optional.of(e);
      }
    }
    return Optional.empty();
  }

  private void writePage(Path file, ReportPage page) {
    try {
      Files.writeString(file, page.render(file.getParent(), capture.links()));
    } catch (IOException | RuntimeException e) {
      LOG.warning(() -> "netns: cannot rewrite " + file + ": " + e);
    }
  }

  private String note(Path report) {
    StringBuilder note =
        new StringBuilder("netns: the network as this failure left it: ")
            .append(report.toAbsolutePath());
    capture
        .directory()
        .ifPresent(
            dir -> note.append("; packets: ").append(dir).append("/*.pcap (tcpdump -nn -r FILE)"));
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

  /** Points a failure at its report; it carries no stack of its own. */
  static final class FailureNote extends RuntimeException {
    private static final long serialVersionUID = 1L;

    FailureNote(String message, Throwable cause) {
      super(message, cause, false, false);
    }
  }
}
