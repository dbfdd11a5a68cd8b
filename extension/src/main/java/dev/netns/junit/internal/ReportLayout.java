package dev.netns.junit.internal;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Where a network's failure report and packet captures go: {@code
 * <reportDir>/<class>/<method>/report.txt}, its page {@code report.html} and {@code
 * .../<host>-<interface>.pcap}, and the output of nodes, {@code .../<host>-<node>.log}.
 */
final class ReportLayout {
  // Compiled once: every test's network names its directory, whether or not it writes there.
  private static final Pattern UNSAFE = Pattern.compile("[^A-Za-z0-9._$-]");
  static final String REPORT_FILE = "report.txt";
  static final String PAGE_FILE = "report.html";
  static final String HISTORY_PAGE_FILE = "history.html";
  static final String HISTORY_EDN_FILE = "history.edn";
  static final String SHARED_NETWORK_DIR = "shared-network";

  private ReportLayout() {}

  /**
   * A test's directory: {@code <reportDir>/<class>/<method>}, with the invocation's index for
   * repeated and parameterized tests, or {@code <class>/shared-network} for a class's network.
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

  /** The capture file of one interface of one host. */
  static Path captureFile(Path dir, String host, String link) {
    return dir.resolve(safe(host + "-" + link) + ".pcap");
  }

  /** The output file of a node started in {@code host}. */
  static Path nodeOutputFile(Path dir, String host, String node) {
    return dir.resolve(safe(host + "-" + node) + ".log");
  }

  private static String safe(String name) {
    return UNSAFE.matcher(name).replaceAll("_");
  }

  /**
   * Creates a test's directory. A test of the same class that passes at the same moment removes the
   * class's directory once empty, which can fall between the two steps of creating it.
   */
  static void createDirectories(Path dir) throws IOException {
    for (int attempt = 1; ; attempt++) {
      try {
        Files.createDirectories(dir);
        return;
      } catch (NoSuchFileException e) {
        if (attempt == 3) {
          throw e;
        }
      }
    }
  }

  /** Deletes files an earlier run of the same test left, which would pass for this run's. */
  static void deleteStale(Path dir) throws IOException {
    try (DirectoryStream<Path> old =
        Files.newDirectoryStream(
            dir,
            "{*.pcap,*.log,"
                + String.join(",", REPORT_FILE, PAGE_FILE, HISTORY_PAGE_FILE, HISTORY_EDN_FILE)
                + "}")) {
      for (Path file : old) {
        Files.deleteIfExists(file);
      }
    }
  }

  /** Deletes a test's directory and its class's, each only when nothing else is in it. */
  static void deleteIfEmpty(Path testDirectory) {
    Path dir = testDirectory;
    for (int up = 0; dir != null && up < 2; up++, dir = dir.getParent()) {
      try {
        Files.deleteIfExists(dir);
      } catch (IOException e) {
        return; // not empty
      }
    }
  }
}
