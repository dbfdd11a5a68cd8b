package dev.netns.junit;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * What to run as a {@link Node} of its own JVM: a main class, and how to start it. Immutable: each
 * method returns a new spec. By default the node runs on the JVM that runs the tests ({@code
 * java.home}), with the test's classpath ({@code java.class.path}), in the test JVM's working
 * directory and environment.
 *
 * <pre>{@code
 * Node server =
 *     n1.startJava(
 *         JavaNode.main(KeyValueServer.class)
 *             .name("kv")
 *             .jvmOptions("-Xmx64m")
 *             .systemProperty("kv.port", "7000")
 *             .args(dataDir.toString())
 *             .workingDirectory(dataDir));
 * }</pre>
 */
public final class JavaNode {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final Pattern CLASS_NAME =
      Pattern.compile(
          "[\\p{javaJavaIdentifierStart}][\\p{javaJavaIdentifierPart}]*"
              + "(\\.[\\p{javaJavaIdentifierStart}][\\p{javaJavaIdentifierPart}]*)*");

  private final String mainClass;
  private final String name;
  private final List<String> args;
  private final List<String> jvmOptions;
  private final Map<String, String> systemProperties;
  private final String classpath;
  private final Path javaHome;
  private final Path workingDirectory;
  private final Map<String, String> environment;
  private final Duration clockOffset;

  private JavaNode(Fields f) {
    this.mainClass = f.mainClass;
    this.name = f.name;
    this.args = List.copyOf(f.args);
    this.jvmOptions = List.copyOf(f.jvmOptions);
    this.systemProperties = Collections.unmodifiableMap(new LinkedHashMap<>(f.systemProperties));
    this.classpath = f.classpath;
    this.javaHome = f.javaHome;
    this.workingDirectory = f.workingDirectory;
    this.environment = Collections.unmodifiableMap(new LinkedHashMap<>(f.environment));
    this.clockOffset = f.clockOffset;
  }

  /** The fields of a spec while a method makes the next one from this one. */
  private static final class Fields {
    String mainClass;
    String name;
    List<String> args = List.of();
    List<String> jvmOptions = List.of();
    Map<String, String> systemProperties = Map.of();
    String classpath;
    Path javaHome;
    Path workingDirectory;
    Map<String, String> environment = Map.of();
    Duration clockOffset;
  }

  /** A copy of this spec with {@code change} made to it. */
  private JavaNode with(Consumer<Fields> change) {
    Fields f = new Fields();
    f.mainClass = mainClass;
    f.name = name;
    f.args = args;
    f.jvmOptions = jvmOptions;
    f.systemProperties = systemProperties;
    f.classpath = classpath;
    f.javaHome = javaHome;
    f.workingDirectory = workingDirectory;
    f.environment = environment;
    f.clockOffset = clockOffset;
    change.accept(f);
    return new JavaNode(f);
  }

  private static JavaNode of(String mainClass, String name) {
    Fields f = new Fields();
    f.mainClass = mainClass;
    f.name = name;
    return new JavaNode(f);
  }

  /** A node running {@code mainClass}'s {@code main}, named after its simple name. */
  public static JavaNode main(Class<?> mainClass) {
    if (mainClass == null) {
      throw new IllegalArgumentException("JavaNode.main: the main class is null");
    }
    if (mainClass.isAnonymousClass() || mainClass.isLocalClass() || mainClass.isArray()) {
      throw new IllegalArgumentException(
          "JavaNode.main: "
              + mainClass.getName()
              + " cannot be a main class of its own JVM (anonymous, local or array); use a"
              + " top-level or static nested class");
    }
    String simple = mainClass.getSimpleName();
    return of(mainClass.getName(), simple);
  }

  /**
   * A node running the main class named {@code mainClass} (a binary name, such as {@code
   * org.apache.zookeeper.server.quorum.QuorumPeerMain}), named after its last segment.
   */
  public static JavaNode main(String mainClass) {
    if (mainClass == null || !CLASS_NAME.matcher(mainClass).matches()) {
      throw new IllegalArgumentException(
          "JavaNode.main: '" + mainClass + "' is no class name (such as com.example.Server)");
    }
    String simple = mainClass.substring(mainClass.lastIndexOf('.') + 1);
    simple = simple.substring(simple.lastIndexOf('$') + 1);
    return of(mainClass, simple);
  }

  /** Names the node (letters, digits, '.', '_', '-'; at most 64): log file and messages use it. */
  public JavaNode name(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "JavaNode.name: '"
              + name
              + "' is no node name: use 1 to 64 letters, digits, '.', '_' or '-'");
    }
    return with(f -> f.name = name);
  }

  /** Appends program arguments, passed to {@code main}. */
  public JavaNode args(String... args) {
    List<String> all = new ArrayList<>(this.args);
    all.addAll(noNulls("args", args));
    return with(f -> f.args = all);
  }

  /** Appends options of the JVM, such as {@code -Xmx128m}; each starts with '-'. */
  public JavaNode jvmOptions(String... options) {
    List<String> all = new ArrayList<>(jvmOptions);
    for (String option : noNulls("jvmOptions", options)) {
      if (!option.startsWith("-")) {
        throw new IllegalArgumentException(
            "JavaNode.jvmOptions: '"
                + option
                + "' is no JVM option (they start with '-'); program arguments go to args(...)");
      }
      if (option.equals("-cp") || option.equals("-classpath") || option.equals("--class-path")) {
        throw new IllegalArgumentException(
            "JavaNode.jvmOptions: set the class path with classpath(...), not " + option);
      }
      all.add(option);
    }
    return with(f -> f.jvmOptions = all);
  }

  /** Sets a system property of the node's JVM ({@code -Dkey=value}). */
  public JavaNode systemProperty(String key, String value) {
    if (key == null || key.isEmpty() || key.contains("=")) {
      throw new IllegalArgumentException(
          "JavaNode.systemProperty: '" + key + "' is no property key (non-empty, without '=')");
    }
    if (value == null) {
      throw new IllegalArgumentException(
          "JavaNode.systemProperty: the value of " + key + " is null");
    }
    Map<String, String> all = new LinkedHashMap<>(systemProperties);
    all.put(key, value);
    return with(f -> f.systemProperties = all);
  }

  /** Replaces the class path (by default the test's, {@code java.class.path}). */
  public JavaNode classpath(List<Path> entries) {
    if (entries == null || entries.isEmpty() || entries.stream().anyMatch(e -> e == null)) {
      throw new IllegalArgumentException(
          "JavaNode.classpath: give at least one entry, and no null");
    }
    String joined =
        String.join(
            File.pathSeparator, entries.stream().map(p -> p.toAbsolutePath().toString()).toList());
    return with(f -> f.classpath = joined);
  }

  /** Runs the node on the JVM installed at {@code javaHome} (by default the test's, java.home). */
  public JavaNode javaHome(Path javaHome) {
    if (javaHome == null) {
      throw new IllegalArgumentException("JavaNode.javaHome: the path is null");
    }
    return with(f -> f.javaHome = javaHome);
  }

  /** Runs the node in {@code directory}, which must exist when the node starts. */
  public JavaNode workingDirectory(Path directory) {
    if (directory == null) {
      throw new IllegalArgumentException("JavaNode.workingDirectory: the path is null");
    }
    return with(f -> f.workingDirectory = directory);
  }

  /** Sets an environment variable of the node (over the test JVM's environment, inherited). */
  public JavaNode environment(String key, String value) {
    if (key == null || key.isEmpty() || key.contains("=") || value == null) {
      throw new IllegalArgumentException(
          "JavaNode.environment: '"
              + key
              + "'="
              + value
              + " is no environment entry (a non-empty key without '=', and a value)");
    }
    Map<String, String> all = new LinkedHashMap<>(environment);
    all.put(key, value);
    return with(f -> f.environment = all);
  }

  /**
   * Runs the node with its wall clock shifted by {@code offset} (positive: ahead, negative:
   * behind), in whole milliseconds, through the distribution's libfaketime ({@link ClockSkew});
   * starting the node fails with the reason where libfaketime is not installed.
   */
  public JavaNode clockOffset(Duration offset) {
    if (offset == null) {
      throw new IllegalArgumentException("JavaNode.clockOffset: the offset is null");
    }
    if (offset.getNano() % 1_000_000 != 0) {
      throw new IllegalArgumentException(
          "JavaNode.clockOffset: " + offset + " is finer than a millisecond; round it");
    }
    return with(f -> f.clockOffset = offset);
  }

  /** The wall-clock offset, when one was set ({@link #clockOffset(Duration)}). */
  public Optional<Duration> clockOffset() {
    return Optional.ofNullable(clockOffset);
  }

  /** The node's name. */
  public String name() {
    return name;
  }

  /** The java launcher that runs the node. */
  public Path java() {
    Path home = javaHome != null ? javaHome : Path.of(System.getProperty("java.home"));
    return home.resolve("bin").resolve("java");
  }

  /** The command line: launcher, JVM options, system properties, class path, main class, args. */
  public List<String> command() {
    List<String> command = new ArrayList<>();
    command.add(java().toString());
    command.addAll(jvmOptions);
    systemProperties.forEach((k, v) -> command.add("-D" + k + "=" + v));
    command.add("-cp");
    command.add(classpath != null ? classpath : System.getProperty("java.class.path"));
    command.add(mainClass);
    command.addAll(args);
    return List.copyOf(command);
  }

  /** The working directory, when one was set (otherwise the test JVM's). */
  public Optional<Path> workingDirectory() {
    return Optional.ofNullable(workingDirectory);
  }

  /** The environment entries set over the test JVM's. */
  public Map<String, String> environment() {
    return environment;
  }

  private static List<String> noNulls(String call, String... values) {
    if (values == null || Arrays.asList(values).contains(null)) {
      throw new IllegalArgumentException("JavaNode." + call + ": an argument is null");
    }
    return List.of(values);
  }

  @Override
  public String toString() {
    List<String> shown = new ArrayList<>(List.of(mainClass));
    shown.addAll(args);
    return "JavaNode[" + name + ": " + String.join(" ", shown) + "]";
  }
}
