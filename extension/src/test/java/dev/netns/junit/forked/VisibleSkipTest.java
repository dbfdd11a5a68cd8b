package dev.netns.junit.forked;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netns.junit.NetNamespace;
import dev.netns.junit.NetNs;
import dev.netns.junit.Ns;
import dev.netns.junit.forked.ForkedJvm.FixtureResult;
import dev.netns.testing.Requirements;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * Skips are visible, and CI cannot pass by skipping by default: a skipped test prints one line with
 * its reason on standard error (build tools show only a count), and where the environment variable
 * {@code CI} is {@code true}, {@code netns.require} is on unless set to false (that an explicit
 * value wins is {@code internal.SettingsTest}'s). The fixture runs in a JVM without capabilities,
 * as {@link MissingPrivilegesTest} starts it, with {@code CI} set or removed by {@code env}.
 */
@Tag("privileged")
@Execution(ExecutionMode.SAME_THREAD) // three JVMs at once on a busy machine outlast any timeout
class VisibleSkipTest {
  @NetNamespace("blue")
  static class NeedsANamespace {
    @Test
    void test(@Ns("blue") NetNs blue) {}
  }

  private static final List<String> NO_CAPABILITIES =
      List.of("setpriv", "--bounding-set=-all", "--inh-caps=-all", "--ambient-caps=-all", "--");

  @Test
  void aSkipPrintsOneLineWithItsReason(@TempDir Path dir) throws Exception {
    Run run = run(dir, List.of("env", "-u", "CI"), Map.of());
    assertThat(run.result().status()).as("%s", run).isEqualTo("ABORTED");
    assertThat(run.result().message()).startsWith("skipped: creating a network namespace");
    assertThat(run.netnsLines())
        .containsExactly("netns: NeedsANamespace.test() " + run.result().message());
  }

  @Test
  void onCiTheTestFailsInstead(@TempDir Path dir) throws Exception {
    Run run = run(dir, List.of("env", "CI=true"), Map.of());
    assertThat(run.result().status()).as("%s", run).isEqualTo("FAILED");
    assertThat(run.result().message())
        .startsWith(
            "netns.require=true (its default where the environment variable CI is true), so this"
                + " test fails instead of being skipped: creating a network namespace was refused");
    assertThat(run.netnsLines()).isEmpty();
  }

  record Run(FixtureResult result, List<String> netnsLines, String child) {
    @Override
    public String toString() {
      return child;
    }
  }

  private static Run run(Path dir, List<String> env, Map<String, String> properties)
      throws Exception {
    Requirements.requireNamespaces();
    List<String> wrapper = new ArrayList<>(env);
    wrapper.addAll(NO_CAPABILITIES);
    try (ForkedJvm child = ForkedJvm.start(dir, wrapper, properties, NeedsANamespace.class)) {
      assertThat(child.awaitExit(60)).as("exit status of %s", child).isZero();
      assertThat(child.info("CapEff")).as("%s", child).isEqualTo("0000000000000000");
      List<FixtureResult> tests = child.results().stream().filter(FixtureResult::test).toList();
      assertThat(tests).as("tests run by %s", child).hasSize(1);
      List<String> lines =
          Files.readAllLines(dir.resolve("stderr.txt")).stream()
              .filter(l -> l.startsWith("netns: "))
              .toList();
      return new Run(tests.get(0), lines, child.toString());
    }
  }
}
