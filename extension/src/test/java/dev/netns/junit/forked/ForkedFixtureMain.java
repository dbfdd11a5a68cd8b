package dev.netns.junit.forked;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * The main class of the JVMs that the forked tests start: runs fixture classes (named by the
 * arguments) through the JUnit Platform launcher and prints what happened as lines a parent can
 * parse, with fields separated by tabs:
 *
 * <pre>
 * INFO    CapEff     0000000000000000
 * RESULT  TEST       [engine:junit-jupiter]/[class:...]/[method:test()]
 *                    ABORTED   org.opentest4j.TestAbortedException   skipped: ...
 * RESULT  CONTAINER  [engine:junit-jupiter]   SUCCESSFUL   -   -
 * DONE
 * </pre>
 *
 * <p>(A {@code RESULT} line is one line; it is wrapped above to fit.) There is one per finished or
 * skipped test and container: type, unique id, status, exception class and message, which is {@link
 * #escape escaped} onto one line ({@code -} when there is no throwable). {@code DONE} comes last,
 * after which the JVM exits with status 0 (2 if the launcher itself failed).
 */
final class ForkedFixtureMain {
  static final String INFO = "INFO";
  static final String RESULT = "RESULT";
  static final String DONE = "DONE";
  static final String NONE = "-";

  private ForkedFixtureMain() {}

  public static void main(String[] args) {
    PrintStream out = System.out;
    int status = 0;
    try {
      out.println(INFO + "\tCapEff\t" + capability("CapEff"));
      List<DiscoverySelector> selectors = new ArrayList<>();
      for (String className : args) {
        selectors.add(DiscoverySelectors.selectClass(className));
      }
      LauncherDiscoveryRequest request =
          LauncherDiscoveryRequestBuilder.request()
              .selectors(selectors)
              // One fixture at a time: the parent reads the outcome, not a race between fixtures.
              .configurationParameter("junit.jupiter.execution.parallel.enabled", "false")
              .build();
      Launcher launcher = LauncherFactory.create();
      launcher.execute(request, new Reporter(out));
    } catch (Throwable t) {
      out.println("ERROR\t" + escape(t.toString()));
      t.printStackTrace();
      status = 2;
    }
    out.println(DONE);
    out.flush();
    System.exit(status);
  }

  private static String capability(String field) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith(field + ":")) {
        return line.substring(field.length() + 1).trim();
      }
    }
    return NONE;
  }

  /** Puts a message on one line: backslash, tab, CR and LF become {@code \\ \t \r \n}. */
  static String escape(String text) {
    return text.replace("\\", "\\\\")
        .replace("\t", "\\t")
        .replace("\r", "\\r")
        .replace("\n", "\\n");
  }

  /** The inverse of {@link #escape}. */
  static String unescape(String text) {
    StringBuilder plain = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c != '\\' || i + 1 == text.length()) {
        plain.append(c);
        continue;
      }
      char next = text.charAt(++i);
      switch (next) {
        case 't' -> plain.append('\t');
        case 'r' -> plain.append('\r');
        case 'n' -> plain.append('\n');
        default -> plain.append(next);
      }
    }
    return plain.toString();
  }

  private static final class Reporter implements TestExecutionListener {
    private final PrintStream out;

    Reporter(PrintStream out) {
      this.out = out;
    }

    @Override
    public void executionSkipped(TestIdentifier identifier, String reason) {
      print(identifier, "SKIPPED", NONE, reason == null ? NONE : reason);
    }

    @Override
    public void executionFinished(TestIdentifier identifier, TestExecutionResult result) {
      String type = result.getThrowable().map(t -> t.getClass().getName()).orElse(NONE);
      String message = result.getThrowable().map(t -> String.valueOf(t.getMessage())).orElse(NONE);
      print(identifier, result.getStatus().name(), type, message);
    }

    private synchronized void print(
        TestIdentifier identifier, String status, String type, String message) {
      out.println(
          String.join(
              "\t",
              RESULT,
              identifier.isTest() ? "TEST" : "CONTAINER",
              identifier.getUniqueId(),
              status,
              type,
              escape(message)));
      out.flush();
    }
  }
}
