package dev.netns.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.awaitility.Awaitility;

/**
 * Pids that a shell writes to a file. A daemon's pid cannot come through the output of the process
 * that started it: {@code setsid -f} exits before its child writes, and the JDK drains and closes a
 * process's output pipe as soon as the process exits, so later writes are lost.
 */
public final class PidFiles {
  private PidFiles() {}

  /** Waits until a whole line is in {@code file}, deletes the file, and returns the pid. */
  public static long awaitPid(Path file) throws Exception {
    String[] line = new String[1];
    Awaitility.await("a pid in " + file)
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(10))
        .until(() -> (line[0] = Files.readString(file)).endsWith("\n"));
    Files.delete(file);
    return Long.parseLong(line[0].trim());
  }
}
