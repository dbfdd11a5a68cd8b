package dev.netns.junit.internal;

import dev.netns.junit.NetNamespace;
import dev.netns.kernel.NetworkNamespace;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code netns.pauseOnFailure}: a failed test's network is kept until the JVM exits, with the
 * commands that enter it printed, so that a person can look inside.
 */
final class PauseOnFailure {
  private PauseOnFailure() {}

  /**
   * Prints how to enter each namespace of {@code namespaces}, registers {@code teardown} to run at
   * exit, and holds the calling test for {@code seconds} (none when 0).
   */
  static void pause(
      String ownerName,
      List<NetworkNamespace> namespaces,
      List<Path> bindings,
      List<Path> reports,
      long seconds,
      Runnable teardown) {
    StringBuilder message =
        new StringBuilder("\nnetns: ")
            .append(ownerName)
            .append(" failed; its network stays up until this JVM exits (")
            .append(NetNamespace.PAUSE_ON_FAILURE_PROPERTY_NAME)
            .append("). Enter a namespace with:\n");
    for (NetworkNamespace ns : namespaces) {
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
    if (seconds > 0) {
      message.append("Holding this test for ").append(seconds).append(" s.\n");
    }
    System.err.print(message);
    System.err.flush();
    Runtime.getRuntime().addShutdownHook(new Thread(teardown, "netns-teardown-at-exit"));
    if (seconds > 0) {
      try {
        Thread.sleep(seconds * 1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
