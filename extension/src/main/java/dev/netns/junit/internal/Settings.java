package dev.netns.junit.internal;

import dev.netns.junit.Capture;
import dev.netns.junit.NetNamespace;
import dev.netns.kernel.NamespacePool;
import dev.netns.topology.ForwarderPorts;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Every {@code netns.*} setting of a run, read once from JUnit's configuration parameters (which
 * include system properties) and kept in the root store. Each value is parsed strictly: a value
 * that is not one of those accepted fails with {@link ExtensionConfigurationException} naming the
 * setting and what it accepts, so that {@code netns.require=yes} cannot quietly mean false.
 *
 * @param require skips for missing privileges or kernel features become failures; by default on
 *     when the environment variable {@code CI} is {@code true}, as most CI systems set it
 * @param threadLeaks what teardown does about threads left inside a namespace
 * @param bind bind each namespace under {@code /run/netns} for {@code ip netns exec}
 * @param seed the seed of userspace impairments that ask for none, when configured
 * @param reportDir the base directory of failure reports and capture files
 * @param capture when packets are captured, unless {@code @Capture} says otherwise
 * @param captureMaxBytes the size bound of each capture file
 * @param pauseSeconds -1: no pause; 0: keep a failed test's network until the JVM exits; n: also
 *     hold the failed test n seconds
 * @param machineView threads inside a namespace see its /proc/net, /sys and host name
 * @param faultEffects whether a test whose faults touched no traffic fails
 * @param pool how many fresh namespaces are kept ready (0: no pool)
 * @param forwarderPorts how userspace forwarders read and write frames
 */
record Settings(
    RequirePolicy require,
    ThreadLeakPolicy threadLeaks,
    boolean bind,
    OptionalLong seed,
    Path reportDir,
    Capture.Mode capture,
    long captureMaxBytes,
    long pauseSeconds,
    boolean machineView,
    FaultEffectPolicy faultEffects,
    int pool,
    ForwarderPorts forwarderPorts) {

  static final String CI_ENVIRONMENT_VARIABLE = "CI";
  static final Path DEFAULT_REPORT_DIR = Path.of("target", "netns-reports");
  static final long DEFAULT_CAPTURE_MAX_BYTES = 8L << 20;
  private static final Pattern SIZE =
      Pattern.compile("(\\d+)\\s*([kmg]?)(i?b)?", Pattern.CASE_INSENSITIVE);

  /**
   * The run's settings, parsed at the first call and cached in the root store. Not through {@code
   * Store.getOrComputeIfAbsent}: JUnit 6 deprecates it for {@code computeIfAbsent}, which JUnit
   * before 5.13 lacks. Two threads that both find nothing parse the same parameters to equal
   * records, so the race is harmless.
   */
  static Settings of(ExtensionContext context) {
    ExtensionContext.Store store =
        context.getRoot().getStore(ExtensionContext.Namespace.create(Settings.class));
    Settings cached = store.get(Settings.class, Settings.class);
    if (cached != null) {
      return cached;
    }
    Settings parsed =
        parse(
            context::getConfigurationParameter,
            Optional.ofNullable(System.getenv(CI_ENVIRONMENT_VARIABLE)));
    store.put(Settings.class, parsed);
    return parsed;
  }

  /**
   * Parses the settings from {@code parameters} (a configuration parameter by key) and the value of
   * the environment variable {@code CI}.
   */
  static Settings parse(Function<String, Optional<String>> parameters, Optional<String> ci) {
    boolean onCi = ci.map(v -> v.trim().equalsIgnoreCase("true")).orElse(false);
    return new Settings(
        parameters
            .apply(NetNamespace.REQUIRE_PROPERTY_NAME)
            .map(
                v ->
                    parseBoolean(NetNamespace.REQUIRE_PROPERTY_NAME, v)
                        ? RequirePolicy.FAIL
                        : RequirePolicy.SKIP)
            .orElse(onCi ? RequirePolicy.FAIL_ON_CI : RequirePolicy.SKIP),
        parameters
            .apply(NetNamespace.THREAD_LEAKS_PROPERTY_NAME)
            .map(Settings::parseThreadLeaks)
            .orElse(ThreadLeakPolicy.FAIL),
        parameters
            .apply(NetNamespace.BIND_PROPERTY_NAME)
            .map(v -> parseBoolean(NetNamespace.BIND_PROPERTY_NAME, v))
            .orElse(false),
        parameters
            .apply(NetNamespace.SEED_PROPERTY_NAME)
            .map(v -> OptionalLong.of(parseSeed(v)))
            .orElse(OptionalLong.empty()),
        parameters
            .apply(NetNamespace.REPORT_DIR_PROPERTY_NAME)
            .map(String::trim)
            .filter(v -> !v.isEmpty())
            .map(Path::of)
            .orElse(DEFAULT_REPORT_DIR),
        parameters
            .apply(NetNamespace.CAPTURE_PROPERTY_NAME)
            .map(Settings::parseCapture)
            // Off unless asked for: closing packet sockets waits for the kernel (~10 ms a test).
            .orElse(Capture.Mode.NEVER),
        parameters
            .apply(NetNamespace.CAPTURE_MAX_BYTES_PROPERTY_NAME)
            .map(Settings::parseSize)
            .orElse(DEFAULT_CAPTURE_MAX_BYTES),
        parameters
            .apply(NetNamespace.PAUSE_ON_FAILURE_PROPERTY_NAME)
            .map(Settings::parsePause)
            .orElse(-1L),
        parameters
            .apply(NetNamespace.MACHINE_VIEW_PROPERTY_NAME)
            .map(v -> parseBoolean(NetNamespace.MACHINE_VIEW_PROPERTY_NAME, v))
            .orElse(true),
        parameters
            .apply(NetNamespace.REQUIRE_FAULT_EFFECT_PROPERTY_NAME)
            .map(
                v ->
                    parseBoolean(NetNamespace.REQUIRE_FAULT_EFFECT_PROPERTY_NAME, v)
                        ? FaultEffectPolicy.REQUIRE
                        : FaultEffectPolicy.REPORT)
            .orElse(FaultEffectPolicy.REPORT),
        parameters.apply(NetNamespace.POOL_PROPERTY_NAME).map(Settings::parsePool).orElse(0),
        parameters
            .apply(NetNamespace.FORWARDER_PORTS_PROPERTY_NAME)
            .map(Settings::parseForwarderPorts)
            .orElse(ForwarderPorts.RING));
  }

  /** The configured seed, or one chosen for a new network. */
  long seedForNewNetwork() {
    return seed.isPresent() ? seed.getAsLong() : new SplittableRandom().nextLong();
  }

  private static ExtensionConfigurationException invalid(
      String key, String accepted, String value) {
    return new ExtensionConfigurationException(
        "configuration parameter " + key + " must be " + accepted + ", but was '" + value + "'");
  }

  private static boolean parseBoolean(String key, String value) {
    return switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw invalid(key, "true or false", value);
    };
  }

  private static ThreadLeakPolicy parseThreadLeaks(String value) {
    return switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "fail" -> ThreadLeakPolicy.FAIL;
      case "warn" -> ThreadLeakPolicy.WARN;
      default -> throw invalid(NetNamespace.THREAD_LEAKS_PROPERTY_NAME, "fail or warn", value);
    };
  }

  private static long parseSeed(String value) {
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw invalid(
          NetNamespace.SEED_PROPERTY_NAME,
          "a whole number (a seed printed with a failed test)",
          value);
    }
  }

  private static Capture.Mode parseCapture(String value) {
    return switch (value.trim().replace("_", "").toLowerCase(Locale.ROOT)) {
      case "never" -> Capture.Mode.NEVER;
      case "onfailure" -> Capture.Mode.ON_FAILURE;
      case "always" -> Capture.Mode.ALWAYS;
      default ->
          throw invalid(NetNamespace.CAPTURE_PROPERTY_NAME, "never, onFailure or always", value);
    };
  }

  private static ForwarderPorts parseForwarderPorts(String value) {
    return switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "ring" -> ForwarderPorts.RING;
      case "socket" -> ForwarderPorts.SOCKET;
      default -> throw invalid(NetNamespace.FORWARDER_PORTS_PROPERTY_NAME, "ring or socket", value);
    };
  }

  private static long parseSize(String value) {
    Matcher m = SIZE.matcher(value.trim());
    long size = -1;
    if (m.matches()) {
      int shift =
          switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "k" -> 10;
            case "m" -> 20;
            case "g" -> 30;
            default -> 0;
          };
      try {
        size = Math.multiplyExact(Long.parseLong(m.group(1)), 1L << shift);
      } catch (ArithmeticException | NumberFormatException e) {
        size = -1;
      }
    }
    if (size < 1024) {
      throw invalid(
          NetNamespace.CAPTURE_MAX_BYTES_PROPERTY_NAME,
          "a size of at least 1024 bytes, such as 8388608 or 8m",
          value);
    }
    return size;
  }

  private static int parsePool(String value) {
    try {
      int size = Integer.parseInt(value.trim());
      if (size >= 0 && size <= NamespacePool.MAX_CAPACITY) {
        return size;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw invalid(
        NetNamespace.POOL_PROPERTY_NAME,
        "a number of namespaces from 0 (no pool) to " + NamespacePool.MAX_CAPACITY,
        value);
  }

  private static long parsePause(String value) {
    String v = value.trim().toLowerCase(Locale.ROOT);
    if (v.equals("true")) {
      return 0;
    }
    if (v.equals("false") || v.isEmpty()) {
      return -1;
    }
    try {
      long seconds = Long.parseLong(v);
      if (seconds >= 0) {
        return seconds;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw invalid(
        NetNamespace.PAUSE_ON_FAILURE_PROPERTY_NAME,
        "true, false or a number of seconds to hold the failed test",
        value);
  }
}
