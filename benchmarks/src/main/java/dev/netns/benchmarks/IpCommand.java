package dev.netns.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs iproute2's {@code ip} as a child process, the way a test suite without this library sets up
 * its namespaces: one process per step, waited for, its exit status checked.
 *
 * <pre>{@code
 * IpCommand.run("netns", "add", "njb-123-1-a");
 * IpCommand.runQuietly("netns", "del", "njb-123-1-a");   // cleanup: failures ignored
 * }</pre>
 */
final class IpCommand {
  private IpCommand() {}

  /** Runs {@code ip args...}; throws with its stderr unless it exits with 0. */
  static String run(String... args) {
    List<String> command = new ArrayList<>(args.length + 1);
    command.add("ip");
    command.addAll(List.of(args));
    try {
      Process process = new ProcessBuilder(command).start();
      String out;
      String err;
      try (InputStream stdout = process.getInputStream();
          InputStream stderr = process.getErrorStream()) {
        out = new String(stdout.readAllBytes(), StandardCharsets.UTF_8);
        err = new String(stderr.readAllBytes(), StandardCharsets.UTF_8);
      }
      int status = process.waitFor();
      if (status != 0) {
        throw new IllegalStateException(
            String.join(" ", command) + " exited with " + status + ": " + err.trim());
      }
      return out;
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + String.join(" ", command), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted: " + String.join(" ", command), e);
    }
  }

  /** Runs {@code ip args...} for cleanup: a failure is added to {@code failure}, if given. */
  static void runQuietly(Throwable failure, String... args) {
    try {
      run(args);
    } catch (RuntimeException e) {
      if (failure != null) {
        failure.addSuppressed(e);
      }
    }
  }

  /**
   * Deletes every namespace under {@code /run/netns} whose name starts with {@code namespacePrefix}
   * and every link in the machine's namespace whose name starts with {@code linkPrefix}: what a
   * benchmark that failed half-way would leave behind.
   */
  static void sweep(String namespacePrefix, String linkPrefix) {
    for (String line : run("netns", "list").split("\n")) {
      String name = line.trim().split("\\s+")[0];
      if (!name.isEmpty() && name.startsWith(namespacePrefix)) {
        runQuietly(null, "netns", "del", name);
      }
    }
    for (String line : run("-o", "link", "show").split("\n")) {
      String[] fields = line.split(":\\s+");
      if (fields.length > 1) {
        String name = fields[1].split("@")[0].trim();
        if (name.startsWith(linkPrefix)) {
          runQuietly(null, "link", "del", name);
        }
      }
    }
  }
}
