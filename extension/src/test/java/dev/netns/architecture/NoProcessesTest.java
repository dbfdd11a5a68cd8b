package dev.netns.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The library talks to the kernel itself: nothing in its main code starts a process (no ip, tc or
 * nsenter). Three exceptions: the API that starts the user's own processes inside a namespace
 * ({@code NetNs.exec} and {@code NetNs.start}); the nodes built on it ({@code NetNs.startNode} and
 * {@code NetNs.startJava}), which copy the user's command into a builder of their own and start it
 * through {@code NetNs.start}; and the watchdog that kills them if the JVM dies, which is {@code
 * /bin/sh} running builtins only.
 */
class NoProcessesTest {
  private static final Pattern STARTS_A_PROCESS =
      Pattern.compile(
          "new ProcessBuilder|Runtime\\.getRuntime\\(\\)\\s*\\.exec|ProcessBuilder\\.startPipeline");
  private static final Path USER_PROCESSES =
      Path.of("src/main/java/dev/netns/junit/internal/DefaultNetNs.java");
  private static final Path USER_NODES =
      Path.of("src/main/java/dev/netns/junit/internal/ProcessNode.java");
  private static final Path WATCHDOG =
      Path.of("src/main/java/dev/netns/kernel/NamespaceWatchdog.java");

  @Test
  void mainCodeStartsNoProcessOfItsOwn() throws IOException {
    List<Path> offenders;
    try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
      offenders =
          files
              .filter(p -> p.toString().endsWith(".java"))
              .filter(
                  p -> !p.equals(USER_PROCESSES) && !p.equals(USER_NODES) && !p.equals(WATCHDOG))
              .filter(NoProcessesTest::startsAProcess)
              .toList();
    }
    assertThat(offenders).as("main sources that start processes").isEmpty();
  }

  @Test
  void theUserProcessApiStartsOnlyWhatItIsGiven() throws IOException {
    String source = Files.readString(USER_PROCESSES);
    assertThat(STARTS_A_PROCESS.matcher(source).results().count()).isEqualTo(1);
    assertThat(source).contains("return start(new ProcessBuilder(command));");
    assertThat(Pattern.compile("\\.start\\(\\)").matcher(source).results().count())
        .as("calls that start a process: the one start path")
        .isEqualTo(1);
  }

  @Test
  void nodesBuildOnlyTheUsersCommandAndStartItThroughTheOneStartPath() throws IOException {
    String source = Files.readString(USER_NODES);
    assertThat(STARTS_A_PROCESS.matcher(source).results().map(r -> r.group()).toList()).hasSize(2);
    assertThat(source)
        .contains("new ProcessBuilder(List.copyOf(builder.command()))")
        .contains("new ProcessBuilder(spec.command())")
        .contains("current = namespace.start(builder);")
        .doesNotContain(".start()");
  }

  @Test
  void theWatchdogStartsOnlyTheShell() throws IOException {
    String source = Files.readString(WATCHDOG);
    assertThat(STARTS_A_PROCESS.matcher(source).results().count()).isEqualTo(1);
    assertThat(source)
        .contains("static final String SHELL = \"/bin/sh\";")
        .containsPattern("new ProcessBuilder\\(\\s*SHELL, \"-c\", SCRIPT, NAME,");
  }

  private static boolean startsAProcess(Path file) {
    try {
      return STARTS_A_PROCESS.matcher(Files.readString(file)).find();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
