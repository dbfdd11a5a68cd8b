package dev.netns.junit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netns.topology.ForwarderPorts;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Where {@code netns.require} comes from: the environment variable {@code CI=true} turns it on by
 * default (most CI systems set it), and an explicit value wins either way.
 */
class SettingsTest {
  private static Settings parse(Map<String, String> parameters, String ci) {
    return Settings.parse(key -> Optional.ofNullable(parameters.get(key)), Optional.ofNullable(ci));
  }

  @Test
  void requireIsOffOutsideCi() {
    assertThat(parse(Map.of(), null).require()).isEqualTo(RequirePolicy.SKIP);
    assertThat(parse(Map.of(), "false").require()).isEqualTo(RequirePolicy.SKIP);
  }

  @Test
  void requireIsOnByDefaultOnCi() {
    assertThat(parse(Map.of(), "true").require()).isEqualTo(RequirePolicy.FAIL_ON_CI);
  }

  @Test
  void anExplicitValueWinsOverCi() {
    assertThat(parse(Map.of("netns.require", "false"), "true").require())
        .isEqualTo(RequirePolicy.SKIP);
    assertThat(parse(Map.of("netns.require", "true"), null).require())
        .isEqualTo(RequirePolicy.FAIL);
  }

  @Test
  void defaultsOfTheOtherSettings() {
    Settings settings = parse(Map.of(), null);
    assertThat(settings.threadLeaks()).isEqualTo(ThreadLeakPolicy.FAIL);
    assertThat(settings.bind()).isFalse();
    assertThat(settings.seed()).isEmpty();
    assertThat(settings.reportDir()).isEqualTo(Settings.DEFAULT_REPORT_DIR);
    assertThat(settings.capture()).isEqualTo(dev.netns.junit.Capture.Mode.NEVER);
    assertThat(settings.captureMaxBytes()).isEqualTo(8L << 20);
    assertThat(settings.pauseSeconds()).isEqualTo(-1);
    assertThat(settings.faultEffects()).isEqualTo(FaultEffectPolicy.REPORT);
    assertThat(settings.pool()).as("no pool unless asked for").isZero();
    assertThat(settings.forwarderPorts()).isEqualTo(ForwarderPorts.RING);
  }

  @Test
  void forwarderPortsChoosesSocketsOrRings() {
    assertThat(parse(Map.of("netns.forwarder.ports", " Socket "), null).forwarderPorts())
        .isEqualTo(ForwarderPorts.SOCKET);
    assertThat(parse(Map.of("netns.forwarder.ports", "ring"), null).forwarderPorts())
        .isEqualTo(ForwarderPorts.RING);
  }

  @Test
  void poolTakesACount() {
    assertThat(parse(Map.of("netns.pool", " 8 "), null).pool()).isEqualTo(8);
    assertThat(parse(Map.of("netns.pool", "0"), null).pool()).isZero();
  }

  @Test
  void requireEffectTurnsOnStrictMode() {
    assertThat(parse(Map.of("netns.faults.requireEffect", "true"), null).faultEffects())
        .isEqualTo(FaultEffectPolicy.REQUIRE);
    assertThat(parse(Map.of("netns.faults.requireEffect", " FALSE "), null).faultEffects())
        .isEqualTo(FaultEffectPolicy.REPORT);
  }
}
