package dev.netns.junit.forked;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.netns.junit.NetNamespace;
import dev.netns.junit.VethLink;
import dev.netns.kernel.UserNamespaces;
import dev.netns.testing.HostState;
import dev.netns.testing.Oracle;
import dev.netns.testing.Requirements;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code netns.pauseOnFailure}: a failed test's network stays up, the commands printed to standard
 * error enter it, and it is torn down when the JVM exits. The fixture runs in a second JVM, held by
 * the pause, which this test ends with SIGTERM as a person pressing Ctrl-C would.
 */
@Tag("privileged")
class PauseOnFailureTest {
  static final String FORKED_PROPERTY = "netns.test.pause.forked";

  /** Fixed by the annotation; no other test uses it. */
  static final String HOST_INTERFACE = "njpause0";

  @NetNamespace("blue")
  @VethLink(
      a = "blue",
      aAddress = "10.84.0.1/24",
      b = VethLink.HOST,
      bName = HOST_INTERFACE,
      bAddress = "10.84.0.2/24")
  static class FailsAndPauses {
    @org.junit.jupiter.api.Test
    void fails() {
      Assumptions.assumeTrue(
          System.getProperty(FORKED_PROPERTY) != null,
          "runs only in the JVM that PauseOnFailureTest forks");
      throw new AssertionError("fails, so that its network is kept");
    }
  }

  @Test
  void failedTestKeepsItsNetworkUntilTheJvmExits(@TempDir Path dir) throws Exception {
    Requirements.requireNamespaces();
    assertThat(HostState.hostLinks())
        .as("%s before the fork (left by another run that is still going?)", HOST_INTERFACE)
        .doesNotContain(HOST_INTERFACE);
    boolean bind = !UserNamespaces.insideUserNamespace();
    Map<String, String> properties = new HashMap<>();
    properties.put(FORKED_PROPERTY, "true");
    properties.put(NetNamespace.PAUSE_ON_FAILURE_PROPERTY_NAME, "120");
    properties.put(NetNamespace.REPORT_DIR_PROPERTY_NAME, dir.resolve("reports").toString());
    properties.put(NetNamespace.BIND_PROPERTY_NAME, Boolean.toString(bind));
    Path stderr = dir.resolve("stderr.txt");
    try (ForkedJvm child = ForkedJvm.start(dir, List.of(), properties, FailsAndPauses.class)) {
      await("the pause message of the forked JVM")
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(50))
          .until(() -> read(stderr).contains("Holding this test") || !child.process().isAlive());
      String message = read(stderr);
      assertThat(message)
          .as("%s", child)
          .contains(
              "netns: FailsAndPauses.fails() failed; its network stays up until this JVM exits"
                  + " (netns.pauseOnFailure). Enter a namespace with:")
          .contains("Holding this test for 120 s.");
      assertThat(child.printedDone()).as("the run is held").isFalse();

      // The printed command enters blue, where the declared address is.
      Matcher enter = Pattern.compile("\n  blue +(nsenter [^\n]*?) ip -s addr\n").matcher(message);
      assertThat(enter.find()).as("nsenter line for blue in:\n%s", message).isTrue();
      List<String> command = new ArrayList<>(Arrays.asList(enter.group(1).split(" ")));
      // This test runs in the JVM's user namespace already (when rootless), which setns refuses.
      command.removeIf(arg -> arg.startsWith("--user="));
      command.addAll(List.of("ip", "-o", "addr", "show"));
      assertThat(Oracle.run(command)).contains("inet 10.84.0.1/24");
      assertThat(HostState.hostLinks()).contains(HOST_INTERFACE);
      String binding = null;
      if (bind) {
        Matcher exec = Pattern.compile("or: ip netns exec (nj-\\S+) ").matcher(message);
        assertThat(exec.find()).as("ip netns exec line in:\n%s", message).isTrue();
        binding = exec.group(1);
        assertThat(Oracle.hostIp("netns", "exec", binding, "ip", "-o", "addr", "show"))
            .contains("inet 10.84.0.1/24");
      }
      assertThat(message).contains("Report: " + dir.resolve("reports").toAbsolutePath());

      child.process().destroy(); // SIGTERM: shutdown hooks run
      assertThat(child.awaitExit(30)).as("exit status after SIGTERM").isEqualTo(128 + 15);
      assertThat(read(stderr))
          .contains("netns: tore down the network of FailsAndPauses.fails() at exit");
      // The machine's end goes down at teardown and vanishes with its namespace moments later.
      org.awaitility.Awaitility.await()
          .atMost(java.time.Duration.ofSeconds(10))
          .untilAsserted(() -> assertThat(HostState.hostLinks()).doesNotContain(HOST_INTERFACE));
      if (binding != null) {
        assertThat(Oracle.hostIp("netns", "list")).doesNotContain(binding);
      }
    }
  }

  private static String read(Path file) throws IOException {
    return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
  }
}
