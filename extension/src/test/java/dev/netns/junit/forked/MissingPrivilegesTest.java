package dev.netns.junit.forked;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netns.junit.NetNamespace;
import dev.netns.junit.NetNs;
import dev.netns.junit.Ns;
import dev.netns.junit.forked.ForkedJvm.FixtureResult;
import dev.netns.testing.Oracle;
import dev.netns.testing.Requirements;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a user without privileges sees: the test is skipped, with the reason and the way to get the
 * privileges; under {@code netns.require=true} it fails instead. The fixture runs in a second JVM
 * that util-linux {@code setpriv} starts with every capability dropped (bounding, inheritable and
 * ambient sets empty, so even uid 0 gets none at exec), where {@code unshare(CLONE_NEWNET)} fails
 * with EPERM.
 */
@Tag("privileged")
class MissingPrivilegesTest {
  private static final String FIXTURE_TEST_ID =
      "[engine:junit-jupiter]/[class:"
          + NeedsANamespace.class.getName()
          + "]/[method:test(dev.netns.junit.NetNs)]";

  private static final String REFUSED =
      "creating a network namespace was refused (unshare(CLONE_NEWNET) failed: EPERM (Operation"
          + " not permitted)). This process runs as root but without CAP_SYS_ADMIN"
          + " (CapEff=0000000000000000), as in a container that drops capabilities. Run the tests as"
          + " root with CAP_SYS_ADMIN and CAP_NET_ADMIN, or start the test JVM inside a user and"
          + " network namespace (see docs/getting-started.md).";

  @NetNamespace("blue")
  static class NeedsANamespace {
    @Test
    void test(@Ns("blue") NetNs blue) {
      assertThat(blue.name()).isEqualTo("blue");
    }
  }

  @Test
  void withoutCapabilitiesTheTestIsSkippedWithTheReason(@TempDir Path dir) throws Exception {
    // Explicitly false: on CI (CI=true, inherited by the forked JVM) it defaults to true.
    FixtureResult result =
        runWithoutCapabilities(dir, Map.of(NetNamespace.REQUIRE_PROPERTY_NAME, "false"));
    assertThat(result.status()).as("status of %s", result).isEqualTo("ABORTED");
    assertThat(result.exception()).isEqualTo("org.opentest4j.TestAbortedException");
    // Between the two: hints about user namespaces, which depend on this machine's sysctls.
    assertThat(result.message())
        .startsWith("skipped: " + REFUSED)
        .endsWith(" Set netns.require=true to fail instead of skipping.");
  }

  @Test
  void withoutCapabilitiesAndNetnsRequireTheTestFails(@TempDir Path dir) throws Exception {
    FixtureResult result =
        runWithoutCapabilities(dir, Map.of(NetNamespace.REQUIRE_PROPERTY_NAME, "true"));
    assertThat(result.status()).as("status of %s", result).isEqualTo("FAILED");
    assertThat(result.exception()).isEqualTo("java.lang.IllegalStateException");
    assertThat(result.message())
        .startsWith("netns.require=true, so this test fails instead of being skipped: " + REFUSED)
        .doesNotContain("to fail instead of skipping");
  }

  /**
   * Runs {@link NeedsANamespace} in a JVM without capabilities and returns the one test's result,
   * after checking that the JVM really had none and that nothing else happened.
   */
  private static FixtureResult runWithoutCapabilities(Path dir, Map<String, String> properties)
      throws Exception {
    Requirements.requireNamespaces();
    String setpriv = setpriv();
    List<String> wrapper =
        List.of(setpriv, "--bounding-set=-all", "--inh-caps=-all", "--ambient-caps=-all", "--");
    // The wrapper itself must work here (ambient capabilities need Linux 4.3).
    Oracle.run(concat(wrapper, "true"));
    try (ForkedJvm child = ForkedJvm.start(dir, wrapper, properties, NeedsANamespace.class)) {
      // A JVM that starts, discovers one fixture and runs it: seconds when idle, but CI runs
      // four test classes at once on two cores. How long it takes is not what this test is about.
      int status = child.awaitExit(60);
      assertThat(child.printedDone()).as("%s", child).isTrue();
      assertThat(status).as("exit status of %s", child).isZero();
      assertThat(child.info("CapEff"))
          .as("effective capabilities of the forked JVM")
          .isEqualTo("0000000000000000");
      List<FixtureResult> results = child.results();
      assertThat(results)
          .as("results of %s", child)
          .filteredOn(r -> !r.test())
          .allSatisfy(r -> assertThat(r.status()).isEqualTo("SUCCESSFUL"));
      List<FixtureResult> tests = results.stream().filter(FixtureResult::test).toList();
      assertThat(tests).as("tests run by %s", child).hasSize(1);
      FixtureResult result = tests.get(0);
      assertThat(result.uniqueId()).isEqualTo(FIXTURE_TEST_ID);
      return result;
    }
  }

  /**
   * util-linux {@code setpriv} from the PATH; without it the test is skipped (failed under {@code
   * netns.require=true}).
   */
  private static String setpriv() {
    Optional<Path> found =
        Stream.of(System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator))
            .filter(dir -> !dir.isEmpty())
            .map(dir -> Path.of(dir, "setpriv"))
            .filter(Files::isExecutable)
            .findFirst();
    if (found.isEmpty()) {
      String reason =
          "setpriv (util-linux) is not on the PATH, so this test cannot start a JVM without"
              + " capabilities";
      if (Boolean.getBoolean(NetNamespace.REQUIRE_PROPERTY_NAME)) {
        throw new AssertionError(NetNamespace.REQUIRE_PROPERTY_NAME + "=true but " + reason);
      }
      Assumptions.abort(reason);
    }
    return found.get().toString();
  }

  private static List<String> concat(List<String> first, String... rest) {
    return Stream.concat(first.stream(), Stream.of(rest)).toList();
  }
}
