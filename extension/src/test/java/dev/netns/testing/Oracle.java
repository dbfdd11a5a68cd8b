package dev.netns.testing;

import dev.netns.kernel.NetworkNamespace;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * iproute2 as an independent oracle: what the library did, as {@code ip} sees it. Tests only; the
 * library itself never starts a process.
 */
public final class Oracle {
  private Oracle() {}

  /**
   * Runs {@code ip args...} inside {@code ns} (through the fd this JVM holds) and returns stdout.
   */
  public static String ip(NetworkNamespace ns, String... args) {
    List<String> command = new ArrayList<>();
    if (ns.isCreated()) {
      command.add("nsenter");
      command.add("--net=/proc/" + ProcessHandle.current().pid() + "/fd/" + ns.fd());
    }
    command.add("ip");
    command.addAll(List.of(args));
    return run(command);
  }

  /**
   * Runs {@code ip args...} inside the namespace of a test's {@link dev.netns.junit.NetNs}, entered
   * by nsenter through its thread's {@code /proc} entry.
   */
  public static String ip(dev.netns.junit.NetNs ns, String... args) {
    int tid;
    try {
      tid = ns.call(() -> dev.netns.nativeaccess.LibC.instance().gettid());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    List<String> command = new ArrayList<>();
    command.add("nsenter");
    command.add("--net=/proc/" + ProcessHandle.current().pid() + "/task/" + tid + "/ns/net");
    command.add("ip");
    command.addAll(List.of(args));
    return run(command);
  }

  /** Runs {@code ip args...} in the machine's own namespace. */
  public static String hostIp(String... args) {
    List<String> command = new ArrayList<>();
    command.add("ip");
    command.addAll(List.of(args));
    return run(command);
  }

  /** Runs a command, failing with its output if it exits non-zero. */
  public static String run(List<String> command) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      process.getOutputStream().close();
      String output;
      try (var stdout = process.getInputStream()) {
        output = new String(stdout.readAllBytes(), StandardCharsets.UTF_8);
      }
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("timed out: " + command);
      }
      if (process.exitValue() != 0) {
        throw new AssertionError(command + " exited " + process.exitValue() + ": " + output);
      }
      return output;
    } catch (IOException e) {
      throw new AssertionError("cannot run " + command + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted: " + command, e);
    }
  }
}
