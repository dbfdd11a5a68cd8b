package dev.netns.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netns.testing.Requirements;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/**
 * Every {@code netns.*} setting is parsed strictly: a value outside those accepted fails the class
 * before anything is built, naming the setting and what it accepts. (Before, {@code
 * netns.require=yes} silently meant false, so a CI run that meant to forbid skips could pass by
 * skipping.)
 */
class ConfigurationTest {

  @NetNamespace("blue")
  static class Fixture {
    @Test
    void test() {}
  }

  private static void assertRefused(String key, String value, String expected) {
    Throwable failure = Fixtures.onlyFailure(Fixtures.run(Fixture.class, Map.of(key, value)));
    assertThat(failure).isInstanceOf(ExtensionConfigurationException.class).hasMessage(expected);
  }

  @Test
  void requireTakesOnlyTrueOrFalse() {
    assertRefused(
        "netns.require",
        "yes",
        "configuration parameter netns.require must be true or false, but was 'yes'");
  }

  @Test
  void bindTakesOnlyTrueOrFalse() {
    assertRefused(
        "netns.bind", "1", "configuration parameter netns.bind must be true or false, but was '1'");
  }

  @Test
  void machineViewTakesOnlyTrueOrFalse() {
    assertRefused(
        "netns.machineView",
        "off",
        "configuration parameter netns.machineView must be true or false, but was 'off'");
  }

  @Test
  void threadLeaksTakesOnlyFailOrWarn() {
    assertRefused(
        "netns.threadLeaks",
        "ignore",
        "configuration parameter netns.threadLeaks must be fail or warn, but was 'ignore'");
  }

  @Test
  void pauseOnFailureTakesABooleanOrSeconds() {
    assertRefused(
        "netns.pauseOnFailure",
        "-3",
        "configuration parameter netns.pauseOnFailure must be true, false or a number of seconds"
            + " to hold the failed test, but was '-3'");
  }

  @Test
  void forwarderPortsTakesRingOrSocket() {
    assertRefused(
        "netns.forwarder.ports",
        "mmap",
        "configuration parameter netns.forwarder.ports must be ring or socket, but was 'mmap'");
  }

  @Test
  void poolTakesACountUpToItsBound() {
    assertRefused(
        "netns.pool",
        "257",
        "configuration parameter netns.pool must be a number of namespaces from 0 (no pool) to"
            + " 256, but was '257'");
    assertRefused(
        "netns.pool",
        "many",
        "configuration parameter netns.pool must be a number of namespaces from 0 (no pool) to"
            + " 256, but was 'many'");
  }

  @Test
  void captureMaxBytesTakesASize() {
    assertRefused(
        "netns.captureMaxBytes",
        "lots",
        "configuration parameter netns.captureMaxBytes must be a size of at least 1024 bytes,"
            + " such as 8388608 or 8m, but was 'lots'");
  }

  @Test
  @Tag("privileged")
  void valuesAreTrimmedAndCaseInsensitive() {
    Requirements.requireNamespaces();
    Fixtures.run(Fixture.class, Map.of("netns.bind", " FALSE ", "netns.threadLeaks", "Warn"))
        .allEvents()
        .assertStatistics(s -> s.failed(0));
  }
}
