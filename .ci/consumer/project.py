#!/usr/bin/env python3
"""Writes a consumer project made from the docs' own text: the pom.xml of getting-started.md
("A complete pom.xml", the block marked consumer-pom) and its first test (FirstNetworkTest), plus
one check of ours that runs after it (TeardownCheckTest): the networks were torn down when their
tests ended, as JUnit's store must close them, not left to the end of the JVM.

usage: project.py DOCS_PAGE OUT_DIR VARIANT JUNIT_VERSION
VARIANT: bom                (the page's pom as it is, JUnit's version set in its property)
         no-bom             (no BOM; junit-jupiter with its own version, declared after netns-junit)
         no-bom-junit-first (the same, junit-jupiter declared before netns-junit)
"""
import pathlib
import re
import sys


def fenced_block(text, info, must_contain=None):
    """The body of the first fenced block whose info string is `info` (and holds must_contain)."""
    for match in re.finditer(r"^```([^\n]*)\n(.*?)^```\s*$", text, re.M | re.S):
        if match.group(1).strip() == info and (must_contain is None or must_contain in match.group(2)):
            return match.group(2)
    sys.exit(f"no ```{info} block{' with ' + must_contain if must_contain else ''} in the page")


def dependency(pom, artifact_id):
    """The whole <dependency> element of artifact_id inside <dependencies>, with its indentation."""
    match = re.search(
        r"^[ \t]*<dependency>\s*<groupId>[^<]*</groupId>\s*<artifactId>" + re.escape(artifact_id)
        + r"</artifactId>.*?</dependency>\n", pom, re.M | re.S)
    if match is None:
        sys.exit(f"no dependency on {artifact_id} in the page's pom")
    return match.group(0)


def main():
    page, out, variant, junit = sys.argv[1:5]
    text = pathlib.Path(page).read_text(encoding="utf-8")
    pom = fenced_block(text, "xml consumer-pom")
    test = fenced_block(text, "java complete", "class FirstNetworkTest")

    pom, n = re.subn(r"<junit.version>[^<]*</junit.version>", f"<junit.version>{junit}</junit.version>", pom)
    if n != 1:
        sys.exit("the page's pom has no junit.version property")
    if variant != "bom":
        pom, n = re.subn(r"\n[ \t]*<dependencyManagement>.*?</dependencyManagement>\n", "\n", pom, flags=re.S)
        if n != 1:
            sys.exit("the page's pom imports no BOM")
        jupiter = dependency(pom, "junit-jupiter")
        versioned = jupiter.replace(
            "<artifactId>junit-jupiter</artifactId>",
            "<artifactId>junit-jupiter</artifactId>\n      <version>${junit.version}</version>")
        pom = pom.replace(jupiter, "" if variant == "no-bom-junit-first" else versioned)
        if variant == "no-bom-junit-first":
            library = dependency(pom, "netns-junit")
            pom = pom.replace(library, versioned + library)
        elif variant != "no-bom":
            sys.exit("unknown variant " + variant)

    root = pathlib.Path(out)
    (root / "src/test/java").mkdir(parents=True, exist_ok=True)
    (root / "pom.xml").write_text(pom, encoding="utf-8")
    (root / "src/test/java/FirstNetworkTest.java").write_text(test, encoding="utf-8")
    (root / "src/test/java/TeardownCheckTest.java").write_text(TEARDOWN_CHECK, encoding="utf-8")
    (root / "src/test/resources").mkdir(parents=True, exist_ok=True)
    (root / "src/test/resources/junit-platform.properties").write_text(
        "junit.jupiter.testclass.order.default=org.junit.jupiter.api.ClassOrderer$ClassName\n",
        encoding="utf-8")


# Runs after FirstNetworkTest (classes in name order). Namespace threads are named netns-NAME-N
# (netns-factory is the one thread per JVM that makes namespaces, and stays in its own namespace),
# and a namespace lives as long as a descriptor of it is open.
TEARDOWN_CHECK = """\
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class TeardownCheckTest {
  @Test
  void theNetworksOfEarlierTestsAreGone() throws Exception {
    List<String> left = List.of();
    for (int i = 0; i < 50; i++) { // executors end their threads asynchronously
      left = leftovers();
      if (left.isEmpty()) {
        break;
      }
      Thread.sleep(100);
    }
    assertEquals(List.of(), left, "threads and namespace descriptors left after the tests ended");
  }

  private static List<String> leftovers() throws Exception {
    String own = Files.readSymbolicLink(Path.of("/proc/thread-self/ns/net")).toString();
    List<String> left =
        Thread.getAllStackTraces().keySet().stream()
            .map(Thread::getName)
            .filter(name -> name.startsWith("netns-") && !name.equals("netns-factory"))
            .collect(Collectors.toList());
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      for (Path fd : fds.collect(Collectors.toList())) {
        try {
          String target = Files.readSymbolicLink(fd).toString();
          if (target.startsWith("net:[") && !target.equals(own)) {
            left.add("fd " + fd.getFileName() + " -> " + target);
          }
        } catch (java.io.IOException gone) {
          // the descriptor of the listing itself, closed by now
        }
      }
    }
    return left;
  }
}
"""


if __name__ == "__main__":
    main()
