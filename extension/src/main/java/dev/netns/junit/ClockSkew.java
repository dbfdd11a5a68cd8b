package dev.netns.junit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A wall-clock offset for the processes a {@link ProcessBuilder} starts: a node whose clock runs
 * ahead of or behind the others', to test leases, token expiry, timestamps and clock-skew bugs.
 *
 * <pre>{@code
 * ProcessBuilder node = nodeCommand();           // java -cp ... com.example.Node, say
 * ClockSkew.apply(node, Duration.ofMinutes(5));   // its clock is 5 minutes ahead of the others'
 * Process process = blue.start(node);             // System.currentTimeMillis(), Instant.now()
 * }</pre>
 *
 * <p>Linux has no per-process wall clock: time namespaces shift only {@code CLOCK_MONOTONIC} and
 * {@code CLOCK_BOOTTIME}, never {@code CLOCK_REALTIME}, and a JVM cannot enter one anyway (it is
 * multi-threaded). So the offset comes from libfaketime, the distribution's {@code LD_PRELOAD}
 * library ({@code apt-get install faketime}, {@code dnf install libfaketime}): {@link #apply} adds
 * it to the builder's {@code LD_PRELOAD} and sets {@code FAKETIME} to the offset. The process and
 * everything it starts (they inherit the environment) see the shifted time. Every clock is shifted
 * by the same amount, the monotonic ones too, which changes no duration: {@code
 * FAKETIME_DONT_FAKE_MONOTONIC} is removed from the environment, because with it libfaketime's
 * timed waits return at once in a JVM ({@code Object.wait(100)}, {@code LockSupport.parkNanos}), as
 * measured with libfaketime 0.9.10.
 *
 * <p>Limits: only dynamically linked programs that read the clock through libc are shifted (a JVM
 * is; a static Go binary is not); the kernel's own timestamps (file times, {@code SO_TIMESTAMP})
 * are not; the offset is fixed for the life of the process. See docs/process-hygiene.md.
 */
public final class ClockSkew {
  /** The library's file name, as every distribution installs it. */
  static final String LIBRARY = "libfaketime.so.1";

  /**
   * Directories where distributions put it: Debian and Ubuntu under {@code /usr/lib/<multiarch>/},
   * Fedora under {@code /usr/lib64/}, Arch and Alpine under {@code /usr/lib/}, a build from source
   * under {@code /usr/local/lib/}.
   */
  private static final List<Path> ROOTS =
      List.of(Path.of("/usr/lib"), Path.of("/usr/lib64"), Path.of("/usr/local/lib"));

  private ClockSkew() {}

  /**
   * Makes the processes {@code builder} starts see the wall clock shifted by {@code offset}
   * (positive: ahead, negative: behind), in whole milliseconds. Returns {@code builder}.
   *
   * @throws IllegalArgumentException if {@code offset} is finer than a millisecond
   * @throws IllegalStateException if libfaketime is not installed
   */
  public static ProcessBuilder apply(ProcessBuilder builder, Duration offset) {
    return apply(builder, offset, candidates());
  }

  /** Where libfaketime is on this machine, if installed. */
  public static Optional<Path> library() {
    return candidates().stream().filter(Files::isRegularFile).findFirst();
  }

  static ProcessBuilder apply(ProcessBuilder builder, Duration offset, List<Path> candidates) {
    Objects.requireNonNull(builder, "ClockSkew.apply: builder is null");
    Objects.requireNonNull(offset, "ClockSkew.apply: offset is null");
    if (offset.getNano() % 1_000_000 != 0) {
      throw new IllegalArgumentException(
          "ClockSkew.apply: offset " + offset + " is finer than a millisecond; round it");
    }
    Path library =
        candidates.stream()
            .filter(Files::isRegularFile)
            .findFirst()
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "ClockSkew.apply: libfaketime is not installed (looked for "
                            + LIBRARY
                            + " in "
                            + candidates.stream().map(Path::getParent).distinct().toList()
                            + "); install the distribution's package: apt-get install faketime"
                            + " (Debian, Ubuntu), dnf install libfaketime (Fedora)"));
    Map<String, String> environment = builder.environment();
    String preload = environment.getOrDefault("LD_PRELOAD", "").trim();
    if (!List.of(preload.split("[ :]")).contains(library.toString())) {
      environment.put(
          "LD_PRELOAD", preload.isEmpty() ? library.toString() : preload + " " + library);
    }
    environment.put("FAKETIME", faketime(offset));
    environment.remove("FAKETIME_DONT_FAKE_MONOTONIC");
    return builder;
  }

  /** libfaketime's relative offset: a sign, then seconds with milliseconds ({@code +3600.000}). */
  static String faketime(Duration offset) {
    long millis = Math.abs(offset.toMillis());
    return String.format(
        "%s%d.%03d", offset.isNegative() ? "-" : "+", millis / 1000, millis % 1000);
  }

  /** {@code faketime/libfaketime.so.1} in each root and in each directory right below it. */
  private static List<Path> candidates() {
    List<Path> candidates = new ArrayList<>();
    for (Path root : ROOTS) {
      candidates.add(root.resolve("faketime").resolve(LIBRARY));
      if (!Files.isDirectory(root)) {
        continue;
      }
      try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root, Files::isDirectory)) {
        for (Path dir : dirs) {
          Path candidate = dir.resolve("faketime").resolve(LIBRARY);
          if (Files.isRegularFile(candidate)) {
            candidates.add(candidate);
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("ClockSkew: cannot list " + root, e);
      }
    }
    return candidates;
  }
}
