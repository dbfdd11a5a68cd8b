package dev.netns.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netns.testing.HostSubnets;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * The Java snippets of README.md and docs/*.md that are meant to compile do compile, against the
 * library as it is now, so the docs cannot drift from the API.
 *
 * <p>A fenced block opts in with its info string: {@code ```java complete} is a whole source file,
 * imports included, compiled as it stands; {@code ```java class} is a whole class whose imports the
 * reader is trusted to add, compiled after {@link #IMPLIED_IMPORTS}. Plain {@code ```java} blocks
 * are fragments and are not compiled. Compiled snippets that declare tests are also run through the
 * engine, and must pass.
 */
@ResourceLock(HostSubnets.SEED_SCENARIO)
class DocSnippetsTest {
  /** Surefire runs the tests in the module's directory, one level below the repository's root. */
  private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

  private static final Pattern BLOCK =
      Pattern.compile(
          "^```java (complete|class)[ \\t]*\\n(.*?)^```", Pattern.MULTILINE | Pattern.DOTALL);

  /** What a {@code java class} block may use without importing it. */
  static final String IMPLIED_IMPORTS =
      String.join(
          "\n",
          "import static java.nio.charset.StandardCharsets.UTF_8;",
          "import static org.junit.jupiter.api.Assertions.*;",
          "import dev.netns.junit.*;",
          "import dev.netns.topology.Topologies;",
          "import dev.netns.topology.Topology;",
          "import java.io.*;",
          "import java.lang.annotation.*;",
          "import java.net.*;",
          "import java.nio.*;",
          "import java.nio.channels.*;",
          "import java.time.*;",
          "import java.util.*;",
          "import java.util.concurrent.*;",
          "import org.junit.jupiter.api.*;",
          "");

  private static final Pattern PUBLIC_CLASS =
      Pattern.compile(
          "^public\\s+(?:final\\s+|abstract\\s+)*(?:class|interface|record|enum)\\s+(\\w+)",
          Pattern.MULTILINE);

  /** One opted-in block: where it is, its kind, and its text. */
  record Snippet(String page, int line, boolean complete, String text) {
    String source() {
      return complete ? text : IMPLIED_IMPORTS + text;
    }

    /** The line in the page of a line of {@link #source()}. */
    long pageLine(long sourceLine) {
      long implied = complete ? 0 : IMPLIED_IMPORTS.lines().count();
      return line + sourceLine - 1 - implied;
    }

    @Override
    public String toString() {
      return page + ":" + line + (complete ? " (java complete)" : " (java class)");
    }
  }

  static List<Snippet> snippets() {
    List<Path> pages = new ArrayList<>();
    pages.add(ROOT.resolve("README.md"));
    try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
      docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<Snippet> snippets = new ArrayList<>();
    for (Path page : pages) {
      String text;
      try {
        text = Files.readString(page, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      Matcher block = BLOCK.matcher(text);
      while (block.find()) {
        // The block's first line of code: one past its opening fence.
        int line =
            (int) text.substring(0, block.start(2)).chars().filter(c -> c == '\n').count() + 1;
        snippets.add(
            new Snippet(
                ROOT.relativize(page).toString(),
                line,
                block.group(1).equals("complete"),
                block.group(2)));
      }
    }
    return snippets;
  }

  @Test
  void thePagesHaveSnippetsToCheck() {
    // Guards the guard: a renamed directory or info string must not leave nothing to compile.
    assertThat(snippets())
        .extracting(Snippet::page)
        .contains("README.md", "docs/getting-started.md", "docs/topologies.md");
  }

  @TestFactory
  Stream<DynamicTest> snippetsCompile(@TempDir Path tmp) {
    return snippets().stream()
        .map(snippet -> DynamicTest.dynamicTest(snippet.toString(), () -> compile(snippet, tmp)));
  }

  private static void compile(Snippet snippet, Path tmp) throws IOException {
    Path dir = Files.createTempDirectory(tmp, "snippet");
    Matcher publicClass = PUBLIC_CLASS.matcher(snippet.source());
    Path file = dir.resolve((publicClass.find() ? publicClass.group(1) : "Snippet") + ".java");
    Files.writeString(file, snippet.source(), StandardCharsets.UTF_8);

    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    try (StandardJavaFileManager files =
        compiler.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
      List<String> options =
          List.of(
              "--release",
              "17",
              "-proc:none",
              "-classpath",
              System.getProperty("java.class.path"),
              "-d",
              dir.toString());
      compiler
          .getTask(null, files, diagnostics, options, null, files.getJavaFileObjects(file))
          .call();
    }
    String errors =
        diagnostics.getDiagnostics().stream()
            .filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
            .map(
                d ->
                    snippet.page
                        + ":"
                        + snippet.pageLine(d.getLineNumber())
                        + ": "
                        + d.getMessage(Locale.ROOT))
            .collect(Collectors.joining("\n"));
    assertThat(errors).as("compiling %s", snippet).isEmpty();
    run(snippet, dir);
  }

  private static final Pattern TOP_LEVEL_CLASS =
      Pattern.compile("^(?:public\\s+)?(?:final\\s+)?class\\s+(\\w+)", Pattern.MULTILINE);

  private static void run(Snippet snippet, Path classes) throws IOException {
    Matcher name = TOP_LEVEL_CLASS.matcher(snippet.text());
    if (!name.find() || !snippet.text().contains("@Test")) {
      return; // nothing to run: a meta-annotation, a class with lifecycle methods only
    }
    try (URLClassLoader loader =
        new URLClassLoader(
            new URL[] {classes.toUri().toURL()}, DocSnippetsTest.class.getClassLoader())) {
      Class<?> test = Class.forName(name.group(1), false, loader);
      EngineExecutionResults results =
          Fixtures.run(test, Map.of(NetNamespace.REQUIRE_PROPERTY_NAME, "true"));
      String failures =
          results.allEvents().stream()
              .map(e -> e.getPayload(TestExecutionResult.class))
              .flatMap(Optional::stream)
              .filter(r -> r.getStatus() != TestExecutionResult.Status.SUCCESSFUL)
              .map(r -> r.getStatus() + ": " + r.getThrowable().map(Throwable::toString).orElse(""))
              .collect(Collectors.joining("\n"));
      assertThat(failures).as("running %s", snippet).isEmpty();
      assertThat(results.testEvents().started().count())
          .as("tests run in %s", snippet)
          .isPositive();
    } catch (ClassNotFoundException e) {
      throw new AssertionError(snippet + ": compiled, but " + name.group(1) + " is not there", e);
    }
  }
}
