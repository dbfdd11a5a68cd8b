package dev.netns.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netns.testing.Requirements;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A wall-clock offset for a process tree through libfaketime, and a JVM that runs with it. */
class ClockSkewTest {
  @Test
  void theOffsetIsWrittenAsLibfaketimeReadsIt() {
    assertThat(ClockSkew.faketime(Duration.ofHours(1))).isEqualTo("+3600.000");
    assertThat(ClockSkew.faketime(Duration.ofMillis(-500))).isEqualTo("-0.500");
    assertThat(ClockSkew.faketime(Duration.ZERO)).isEqualTo("+0.000");
    assertThat(ClockSkew.faketime(Duration.ofDays(-1).minusMillis(250))).isEqualTo("-86400.250");
    assertThat(ClockSkew.faketime(Duration.ofMillis(1))).isEqualTo("+0.001");
  }

  @Test
  void theLibraryIsAddedToThePreloadOnceAndTheMonotonicSwitchRemoved(@TempDir Path dir)
      throws Exception {
    Path library = Files.createDirectories(dir.resolve("faketime")).resolve("libfaketime.so.1");
    Files.writeString(library, "");
    ProcessBuilder builder = new ProcessBuilder("true");
    builder.environment().put("LD_PRELOAD", "libother.so");
    builder.environment().put("FAKETIME_DONT_FAKE_MONOTONIC", "1");

    ClockSkew.apply(builder, Duration.ofMillis(1500), List.of(library));
    assertThat(ClockSkew.apply(builder, Duration.ofSeconds(-2), List.of(library)))
        .isSameAs(builder);

    Map<String, String> env = new HashMap<>(builder.environment());
    assertThat(env.get("LD_PRELOAD")).isEqualTo("libother.so " + library);
    assertThat(env.get("FAKETIME")).isEqualTo("-2.000");
    assertThat(env).doesNotContainKey("FAKETIME_DONT_FAKE_MONOTONIC");
  }

  @Test
  void aMissingLibraryIsNamedWithTheCallAndThePackage(@TempDir Path dir) {
    ProcessBuilder builder = new ProcessBuilder("true");
    List<Path> nowhere =
        List.of(dir.resolve("a/faketime/libfaketime.so.1"), dir.resolve("b/faketime/x"));
    assertThatThrownBy(() -> ClockSkew.apply(builder, Duration.ofHours(1), nowhere))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "ClockSkew.apply: libfaketime is not installed (looked for libfaketime.so.1 in ["
                + dir.resolve("a/faketime")
                + ", "
                + dir.resolve("b/faketime")
                + "]); install the distribution's package: apt-get install faketime (Debian,"
                + " Ubuntu), dnf install libfaketime (Fedora)");
    assertThat(builder.environment()).doesNotContainKey("FAKETIME");
  }

  @Test
  void badOffsetsAreRefusedBeforeAnythingChanges() {
    ProcessBuilder builder = new ProcessBuilder("true");
    assertThatThrownBy(() -> ClockSkew.apply(builder, Duration.ofNanos(1_500_000)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("ClockSkew.apply: offset PT0.0015S is finer than a millisecond; round it");
    assertThatThrownBy(() -> ClockSkew.apply(builder, null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("ClockSkew.apply: offset is null");
    assertThatThrownBy(() -> ClockSkew.apply(null, Duration.ZERO))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("ClockSkew.apply: builder is null");
    assertThat(builder.environment()).doesNotContainKeys("FAKETIME", "LD_PRELOAD");
  }

  /**
   * A JVM started in a namespace with its clock shifted reads the shifted wall clock through both
   * {@code System.currentTimeMillis()} and {@code Instant.now()}, its timed waits last as long as
   * asked, and it exits by itself.
   */
  @Tag("privileged")
  @ParameterizedTest(name = "offset {0}")
  @ValueSource(strings = {"PT1H", "-P1D"})
  void aJvmSeesItsShiftedClockAndStillWaitsCorrectly(
      String offsetText, @NetNamespace("skewed") NetNs skewed) throws Exception {
    Requirements.requireFaketime();
    Duration offset = Duration.parse(offsetText);
    String classpath =
        Path.of(ClockProbe.class.getProtectionDomain().getCodeSource().getLocation().toURI())
            .toString();
    ProcessBuilder builder =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx32m",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                classpath,
                ClockProbe.class.getName())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    ClockSkew.apply(builder, offset);

    long before = System.currentTimeMillis();
    Process probe = skewed.start(builder);
    String out = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(probe.waitFor(60, TimeUnit.SECONDS)).as("the probe exits (no hang)").isTrue();
    long after = System.currentTimeMillis();
    assertThat(probe.exitValue()).as(out).isZero();

    Map<String, Long> read = new HashMap<>();
    out.lines().map(line -> line.split(" ")).forEach(f -> read.put(f[0], Long.parseLong(f[1])));
    long shift = offset.toMillis();
    assertThat(read.get("millis") - shift).as(out).isBetween(before, after);
    assertThat(read.get("instant") - shift).as(out).isBetween(before, after);
    // With FAKETIME_DONT_FAKE_MONOTONIC=1 these returned at once; without, they last as asked.
    assertThat(read.get("sleep")).as(out).isBetween(200L, 10_000L);
    assertThat(read.get("wait")).as(out).isBetween(200L, 10_000L);
    assertThat(read.get("park")).as(out).isBetween(200L, 10_000L);
  }

  /** A JVM node given a clock offset reads the shifted wall clock: JavaNode.clockOffset. */
  @Tag("privileged")
  @Test
  void aJavaNodeWithAClockOffsetReadsTheShiftedClock(@NetNamespace("skewed") NetNs skewed)
      throws Exception {
    Requirements.requireFaketime();
    Duration offset = Duration.ofHours(2);
    long before = System.currentTimeMillis();
    Node probe =
        skewed.startJava(
            JavaNode.main(ClockProbe.class)
                .jvmOptions("-Xmx32m", "-XX:TieredStopAtLevel=1")
                .clockOffset(offset));
    assertThat(probe.waitFor(Duration.ofSeconds(60))).as("the probe exits (no hang)").isTrue();
    long after = System.currentTimeMillis();
    assertThat(probe.exitStatus()).hasValue(0);
    String millis = probe.awaitLogLine("^millis \\d+$", Duration.ofSeconds(5));
    assertThat(Long.parseLong(millis.substring("millis ".length())) - offset.toMillis())
        .isBetween(before, after);
  }

  @Test
  void aJavaNodeRefusesAnOffsetFinerThanAMillisecond() {
    assertThatThrownBy(() -> JavaNode.main(ClockProbe.class).clockOffset(Duration.ofNanos(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("JavaNode.clockOffset: PT0.000000001S is finer than a millisecond; round it");
    assertThat(JavaNode.main(ClockProbe.class).clockOffset()).isEmpty();
    assertThat(JavaNode.main(ClockProbe.class).clockOffset(Duration.ofMinutes(5)).clockOffset())
        .contains(Duration.ofMinutes(5));
  }
}
