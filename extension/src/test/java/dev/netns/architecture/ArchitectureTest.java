package dev.netns.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The layers look only down: {@code junit -> topology -> kernel -> netlink, nativeaccess}. Each
 * package may import the packages listed for it here and nothing else of the project; from {@code
 * nativeaccess}, upper layers see only its exception and errno names. docs/architecture.md explains
 * the cuts.
 */
class ArchitectureTest {
  private static final String ROOT = "dev.netns.";

  /** What each package may import of the project, besides itself. */
  private static final Map<String, Set<String>> ALLOWED =
      Map.of(
          // junit.internal to register the extension; topology is API through @TopologyFactory;
          // kernel.Cidr only inside CidrAddress, never in a signature (see the second test);
          // check is the linearizability search behind Linearizability.
          "junit", Set.of("junit.internal", "topology", "kernel.Cidr", "check"),
          "junit.internal",
              Set.of(
                  "junit",
                  "topology",
                  "kernel",
                  "nativeaccess.KernelException",
                  "nativeaccess.Errno"),
          "topology", Set.of("kernel", "nativeaccess.KernelException", "nativeaccess.Errno"),
          "kernel", Set.of("netlink", "nativeaccess"),
          "netlink", Set.of(),
          "nativeaccess", Set.of(),
          "check", Set.of());

  private static final Pattern IMPORT =
      Pattern.compile(
          "^import\\s+(?:static\\s+)?dev\\.netns\\.([\\w.]+?)\\.([A-Z]\\w*)", Pattern.MULTILINE);
  private static final Pattern PACKAGE =
      Pattern.compile("^package\\s+dev\\.netns\\.([\\w.]+);", Pattern.MULTILINE);
  private static final Pattern QUALIFIED_USE =
      Pattern.compile("\\bdev\\.netns\\.([a-z.]+?)\\.([A-Z]\\w*)");

  @Test
  void everyPackageImportsOnlyTheLayersBelowIt() throws IOException {
    List<String> violations = new ArrayList<>();
    try (Stream<Path> files = Files.walk(Path.of("src/main/java/dev/netns"))) {
      files.filter(p -> p.toString().endsWith(".java")).forEach(p -> check(p, violations));
    }
    assertThat(violations).as("imports that cross the layers (see docs/architecture.md)").isEmpty();
  }

  @Test
  void theCheckCatchesAnUpwardAndASkippingImport() {
    assertThat(allowed("kernel", "topology", "RunningTopology")).isFalse();
    assertThat(allowed("topology", "netlink", "LinkRequests")).isFalse();
    assertThat(allowed("junit", "kernel", "LinkInfo")).isFalse();
    assertThat(allowed("junit", "kernel", "Cidr")).isTrue();
    assertThat(allowed("junit.internal", "netlink", "Rtnetlink")).isFalse();
    assertThat(allowed("topology", "nativeaccess", "LibC")).isFalse();
    assertThat(allowed("topology", "nativeaccess", "KernelException")).isTrue();
    assertThat(allowed("kernel", "netlink", "LinkRequests")).isTrue();
    assertThat(allowed("junit", "check", "LinearizationSearch")).isTrue();
    assertThat(allowed("check", "junit", "Operation")).isFalse();
    assertThat(allowed("topology", "check", "LinearizationSearch")).isFalse();
  }

  @Test
  void theCheckReadsImportsAndQualifiedNames() {
    List<String> violations = new ArrayList<>();
    check(
        "Fake.java",
        "package dev.netns.topology;\n"
            + "import dev.netns.netlink.Request;\n"
            + "import dev.netns.kernel.Changes;\n"
            + "class Fake { dev.netns.junit.NetNs ns; }\n",
        violations);
    assertThat(violations)
        .containsExactly(
            "Fake.java (topology) uses dev.netns.netlink.Request",
            "Fake.java (topology) uses dev.netns.junit.NetNs");
  }

  private static void check(Path file, List<String> violations) {
    try {
      check(file.getFileName().toString(), Files.readString(file), violations);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void check(String file, String source, List<String> violations) {
    Matcher pkg = PACKAGE.matcher(source);
    if (!pkg.find()) {
      violations.add(file + ": no dev.netns package");
      return;
    }
    String own = pkg.group(1);
    for (Pattern pattern : List.of(IMPORT, QUALIFIED_USE)) {
      Matcher use = pattern.matcher(source);
      while (use.find()) {
        String violation = file + " (" + own + ") uses " + ROOT + use.group(1) + "." + use.group(2);
        // An import matches both patterns: report it once.
        if (!allowed(own, use.group(1), use.group(2)) && !violations.contains(violation)) {
          violations.add(violation);
        }
      }
    }
  }

  private static boolean allowed(String from, String to, String type) {
    if (to.equals(from)) {
      return true;
    }
    Set<String> allowed = ALLOWED.get(from);
    if (allowed == null) {
      throw new AssertionError("package dev.netns." + from + " has no place in the layers; add it");
    }
    return allowed.contains(to) || allowed.contains(to + "." + type);
  }
}
