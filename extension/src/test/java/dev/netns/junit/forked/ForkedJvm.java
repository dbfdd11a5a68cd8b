package dev.netns.junit.forked;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import org.awaitility.Awaitility;

/**
 * A second JVM, started from the same {@code java} binary with this JVM's test classpath, that runs
 * fixture classes through {@link ForkedFixtureMain}. Its output goes to files in a directory of the
 * test's own (no pipe to fill up while the parent waits), and {@link #close()} kills it if it still
 * runs.
 */
final class ForkedJvm implements AutoCloseable {
  private final List<String> command;
  private final Process process;
  private final Path stdout;
  private final Path stderr;

  private ForkedJvm(List<String> command, Process process, Path stdout, Path stderr) {
    this.command = command;
    this.process = process;
    this.stdout = stdout;
    this.stderr = stderr;
  }

  /**
   * Starts {@code wrapper... java -cp <test classpath> -Dkey=value... ForkedFixtureMain
   * fixtures...} with output in {@code dir}.
   */
  static ForkedJvm start(
      Path dir, List<String> wrapper, Map<String, String> properties, Class<?>... fixtures)
      throws IOException {
    List<String> command = new ArrayList<>(wrapper);
    command.add(javaBinary());
    command.add("-XX:+UseSerialGC");
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-Xmx256m");
    command.add("-cp");
    command.add(String.join(File.pathSeparator, testClasspath()));
    properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
    command.add(ForkedFixtureMain.class.getName());
    for (Class<?> fixture : fixtures) {
      command.add(fixture.getName());
    }
    Path stdout = dir.resolve("stdout.txt");
    Path stderr = dir.resolve("stderr.txt");
    Process process =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .redirectOutput(stdout.toFile())
            .redirectError(stderr.toFile())
            .start();
    return new ForkedJvm(command, process, stdout, stderr);
  }

  /** The {@code java} binary running this JVM. */
  /**
   * Waits until the fixture has written {@code marker} (with {@link #writeAtomically}), or died,
   * and returns what it wrote. A forked JVM starts slowly on a loaded machine: up to a minute.
   */
  Properties awaitMarker(Path marker) throws IOException {
    Awaitility.await("the fixture's marker file")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> Files.exists(marker) || !process.isAlive());
    assertThat(marker).as("marker of %s", this).exists();
    Properties recorded = new Properties();
    try (Reader in = Files.newBufferedReader(marker)) {
      recorded.load(in);
    }
    return recorded;
  }

  /**
   * Writes {@code values} to {@code target} from a forked fixture: aside first, then moved, so the
   * parent never reads half a file.
   */
  static void writeAtomically(Properties values, Path target) throws IOException {
    Path partial = target.resolveSibling(target.getFileName() + ".partial");
    try (Writer out = Files.newBufferedWriter(partial)) {
      values.store(out, null);
    }
    Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
  }

  static String javaBinary() {
    return ProcessHandle.current()
        .info()
        .command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }

  /**
   * This JVM's test classpath, as entries.
   *
   * <p>Surefire starts its JVM with {@code -jar surefirebooter.jar}, a jar whose manifest carries
   * the real classpath, and then sets {@code java.class.path} to the real classpath (keeping the
   * booter jar in {@code surefire.real.class.path}); so {@code java.class.path} is what we want.
   * Launchers that leave a manifest-only jar there (IDEs shortening the command line, Surefire
   * versions that did not rewrite it) are handled by expanding the jar's {@code Class-Path}. Empty
   * entries are dropped: an empty entry means the working directory, and Surefire ends its list
   * with one.
   */
  static List<String> testClasspath() {
    Set<String> entries = new LinkedHashSet<>();
    for (String entry : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
      if (entry.isEmpty()) {
        continue;
      }
      List<String> manifestClasspath = manifestClasspath(Path.of(entry));
      if (manifestClasspath.isEmpty()) {
        entries.add(entry);
      } else {
        entries.addAll(manifestClasspath);
      }
    }
    String ownLocation = codeSourceOf(ForkedFixtureMain.class);
    if (!entries.contains(ownLocation)) {
      throw new AssertionError(
          "the classpath read from java.class.path does not hold "
              + ForkedFixtureMain.class.getName()
              + " (from "
              + ownLocation
              + "): "
              + entries);
    }
    return List.copyOf(entries);
  }

  /** The {@code Class-Path} of a manifest-only jar (one without classes), or nothing. */
  private static List<String> manifestClasspath(Path entry) {
    if (!entry.toString().endsWith(".jar") || !Files.isRegularFile(entry)) {
      return List.of();
    }
    try (JarFile jar = new JarFile(entry.toFile())) {
      Manifest manifest = jar.getManifest();
      boolean onlyManifest =
          jar.stream().noneMatch(e -> e.getName().endsWith(".class") && !e.isDirectory());
      String classPath =
          manifest == null ? null : manifest.getMainAttributes().getValue("Class-Path");
      if (!onlyManifest || classPath == null || classPath.isBlank()) {
        return List.of();
      }
      List<String> entries = new ArrayList<>();
      URI base = entry.toAbsolutePath().toUri();
      for (String url : classPath.trim().split("\\s+")) {
        entries.add(Path.of(base.resolve(new URI(url))).toString());
      }
      return entries;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the manifest of " + entry, e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException("bad Class-Path in the manifest of " + entry, e);
    }
  }

  private static String codeSourceOf(Class<?> c) {
    try {
      return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  Process process() {
    return process;
  }

  long pid() {
    return process.pid();
  }

  /** Waits for the JVM to exit and returns its status; fails if it takes longer than allowed. */
  int awaitExit(long seconds) throws InterruptedException {
    if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
      throw new AssertionError("the forked JVM did not exit within " + seconds + " s\n" + this);
    }
    return process.exitValue();
  }

  /** The {@code RESULT} lines printed so far. */
  List<FixtureResult> results() {
    List<FixtureResult> results = new ArrayList<>();
    for (String line : read(stdout).split("\n")) {
      if (line.startsWith(ForkedFixtureMain.RESULT + "\t")) {
        results.add(FixtureResult.parse(line));
      }
    }
    return results;
  }

  /** The value of an {@code INFO} line, or null. */
  String info(String key) {
    for (String line : read(stdout).split("\n")) {
      String[] fields = line.split("\t", 3);
      if (fields.length == 3 && fields[0].equals(ForkedFixtureMain.INFO) && fields[1].equals(key)) {
        return fields[2];
      }
    }
    return null;
  }

  /** True once {@link ForkedFixtureMain} printed its last line. */
  boolean printedDone() {
    return read(stdout).lines().anyMatch(ForkedFixtureMain.DONE::equals);
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Kills the JVM (SIGKILL) if it still runs, and waits until it is gone. */
  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroyForcibly();
    }
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      throw new AssertionError("the forked JVM " + process.pid() + " survived SIGKILL for 10 s");
    }
  }

  /** The command, state and output, for failure messages. */
  @Override
  public String toString() {
    return "forked JVM "
        + process.pid()
        + (process.isAlive() ? " (running)" : " (exited " + process.exitValue() + ")")
        + "\ncommand: "
        + String.join(" ", command)
        + "\n--- stdout\n"
        + read(stdout)
        + "--- stderr\n"
        + read(stderr)
        + "---";
  }

  /** One {@code RESULT} line of {@link ForkedFixtureMain}. */
  record FixtureResult(
      boolean test, String uniqueId, String status, String exception, String message) {
    static FixtureResult parse(String line) {
      String[] fields = line.split("\t", 6);
      if (fields.length != 6) {
        throw new AssertionError("malformed result line: " + line);
      }
      return new FixtureResult(
          fields[1].equals("TEST"),
          fields[2],
          fields[3],
          fields[4],
          ForkedFixtureMain.unescape(fields[5]));
    }
  }
}
