package dev.netns.junit;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

/**
 * A failed test's report directory holds {@code report.html}: the network drawn as inline SVG with
 * the faults in force, which a real browser renders (headless Chromium, as an independent oracle).
 */
@Tag("privileged")
class ReportPageTest {
  @TempDir Path reports;

  @BeforeEach
  void requirePrivileges() {
    dev.netns.testing.Requirements.requireNamespaces();
  }

  @NetNamespace("blue")
  @NetNamespace("red")
  @NetNamespace("edge")
  @Router("gw")
  @Lan(
      name = "office",
      subnet = "10.86.0.0/24",
      hosts = {"blue", "red", "gw"})
  @VethLink(a = "gw", aAddress = "10.86.1.1/30", b = "edge", bAddress = "10.86.1.2/30")
  static class PartitionedTest {
    @Test
    void failsWithFaultsInForce(Network network) {
      network.partition(Set.of("blue"), Set.of("red", "gw"));
      network.link("gw", "edge").disconnect();
      network.cut("edge", "gw");
      network.impair("red", "office", Impairment.none().withRate(1_000_000));
      throw new AssertionError("fails with four faults in force, on purpose");
    }
  }

  private Path runFixture() {
    Map<String, String> configuration = new HashMap<>();
    configuration.put(NetNamespace.REPORT_DIR_PROPERTY_NAME, reports.toString());
    configuration.put(NetNamespace.CAPTURE_PROPERTY_NAME, "onFailure");
    Fixtures.run(PartitionedTest.class, configuration)
        .testEvents()
        .assertStatistics(s -> s.started(1).failed(1));
    return reports.resolve(PartitionedTest.class.getName()).resolve("failsWithFaultsInForce");
  }

  @Test
  void failedTestLeavesAPageDrawingTheNetworkAndItsFaults() throws Exception {
    Path dir = runFixture();
    Path page = dir.resolve("report.html");
    // An XML parser reads it: the page is well-formed, every text escaped.
    Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(page.toFile());

    assertThat(texts(doc, "//svg//g[@class='host' and @data-host='blue']/text"))
        .containsExactly("blue", "office 10.86.0.1/24");
    assertThat(texts(doc, "//svg//g[@class='host' and @data-host='red']/text"))
        .containsExactly("red", "office 10.86.0.2/24");
    assertThat(texts(doc, "//svg//g[@class='host router' and @data-host='gw']/text"))
        .containsExactly("gw ⇄ router", "edge 10.86.1.1/30", "office 10.86.0.3/24");
    assertThat(texts(doc, "//svg//g[@class='host' and @data-host='edge']/text"))
        .containsExactly("edge", "gw 10.86.1.2/30");
    assertThat(texts(doc, "//svg//g[@class='lan' and @data-lan='office']/text"))
        .containsExactly("LAN office", "10.86.0.0/24");
    assertThat(texts(doc, "//svg//g[@class='machine']/text")).as("no link ends there").isEmpty();

    // The partition: blue shaded as side A, red and gw as side B.
    assertThat(texts(doc, "//svg//g[@class='partition-side' and @data-side='A']/rect/@data-host"))
        .containsExactly("blue");
    assertThat(texts(doc, "//svg//g[@class='partition-side' and @data-side='B']/rect/@data-host"))
        .containsExactly("gw", "red");
    assertThat(texts(doc, "//svg//g[@class='partition-side']/text"))
        .containsExactly("partition side A", "partition side B", "partition side B");
    assertThat(texts(doc, "//svg//g[@class='partition-side']/rect/@fill"))
        .containsExactly("#cfe0f5", "#fbd9b5", "#fbd9b5");

    // The link taken down: dashed red, both interface names on it.
    assertThat(
            texts(
                doc,
                "//svg//g[@class='link' and @data-a='gw:edge' and @data-b='edge:gw'"
                    + " and @data-fault='down']/text"))
        .containsExactly("edge", "gw", "down");
    assertThat(texts(doc, "//svg//g[@data-fault='down']/line/@stroke-dasharray"))
        .containsExactly("9 6");
    // The one-way cut: an arrow from edge to gw.
    assertThat(texts(doc, "//svg//g[@class='cut' and @data-from='edge' and @data-to='gw']/text"))
        .containsExactly("✕ cut edge → gw (silent)");
    assertThat(texts(doc, "//svg//g[@class='cut']/path/@marker-end"))
        .containsExactly("url(#arrow)");
    // The impaired LAN port, labelled where the traffic leaves.
    assertThat(
            texts(
                doc,
                "//svg//g[@class='port' and @data-host='red' and @data-lan='office']"
                    + "/g[@class='impaired']/text"))
        .containsExactly("leaving red: rate 1000000 bit/s");
    assertThat(texts(doc, "//svg//g[@class='port' and @data-lan='office']/@data-host"))
        .containsExactly("blue", "red", "gw");

    assertThat(texts(doc, "//ul[@class='faults']/li"))
        .containsExactly(
            "partition {blue} | {gw, red} (silent)",
            "link gw:edge<->edge:gw down",
            "cut edge -> gw (silent)",
            "rate 1000000 bit/s leaving red:office");
    assertThat(texts(doc, "//table[@class='hosts']/tr/td[4]"))
        .as("partition side per namespace")
        .containsExactly("A", "B", "B", "");
    assertThat(texts(doc, "//table[@class='hosts']/tr/td[1]"))
        .containsExactly("blue", "red", "gw", "edge");
    assertThat(texts(doc, "//p[@class='failure']/code"))
        .containsExactly("java.lang.AssertionError: fails with four faults in force, on purpose");
    assertThat(texts(doc, "//p[@class='state']/a/@href")).containsExactly("report.txt");

    // The capture files, linked relative to the page, described with their final counts.
    List<String> hrefs = texts(doc, "//ul[@class='captures']/li/a/@href");
    assertThat(hrefs)
        .containsExactlyInAnyOrder(
            "blue-office.pcap",
            "red-office.pcap",
            "gw-office.pcap",
            "gw-edge.pcap",
            "edge-gw.pcap");
    for (String href : hrefs) {
      assertThat(dir.resolve(href)).exists();
    }
    assertThat(texts(doc, "//ul[@class='captures']/li"))
        .allSatisfy(li -> assertThat(li).matches("\\S+\\.pcap \\w+:\\w+, \\d+ frames, \\d+ bytes"));

    // The text report is as before, beside the page.
    assertThat(Files.readString(dir.resolve("report.txt")))
        .contains("== faults in force\n  partition {blue} | {gw, red} (silent)\n");
  }

  @Test
  void aBrowserRendersThePageWithTheHostsAndThePartition() throws Exception {
    Path chromium = chromium();
    Path page = runFixture().resolve("report.html");
    Path profile = Files.createDirectory(reports.resolve("chromium-profile"));
    Path png = reports.resolve("report.png");

    String dom = runChromium(chromium, profile, "--dump-dom", page);
    assertThat(dom)
        .contains("<svg")
        .contains("class=\"network\"")
        .contains(">blue</text>")
        .contains(">red</text>")
        .contains(">edge</text>")
        .contains(">gw ⇄ router</text>")
        .contains(">partition side A</text>");

    runChromium(chromium, profile, "--screenshot=" + png, page);
    assertThat(png).exists();
    BufferedImage image = ImageIO.read(png.toFile());
    assertThat(image).as("a PNG that ImageIO reads").isNotNull();
    assertThat(image.getWidth()).isEqualTo(1200);
    Set<Integer> colours = new HashSet<>();
    Map<Integer, Integer> counts = new HashMap<>();
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        int rgb = image.getRGB(x, y) & 0xffffff;
        colours.add(rgb);
        counts.merge(rgb, 1, Integer::sum);
      }
    }
    assertThat(colours.size()).as("distinct colours: not a blank page").isGreaterThan(20);
    // Both partition sides are on screen as shaded areas, and the cut and the link down in red.
    assertThat(counts.getOrDefault(0xcfe0f5, 0)).as("pixels of side A's shade").isGreaterThan(500);
    assertThat(counts.getOrDefault(0xfbd9b5, 0)).as("pixels of side B's shade").isGreaterThan(1000);
    assertThat(counts.getOrDefault(0xc00000, 0)).as("pixels of fault red").isGreaterThan(100);
  }

  private static List<String> texts(Document doc, String xpath) throws Exception {
    NodeList nodes =
        (NodeList)
            XPathFactory.newInstance().newXPath().evaluate(xpath, doc, XPathConstants.NODESET);
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < nodes.getLength(); i++) {
      texts.add(nodes.item(i).getTextContent());
    }
    return texts;
  }

  /** Chromium's executable; skips without it (fails under netns.require). */
  static Path chromium() {
    Optional<Path> found =
        Stream.concat(
                Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)),
                Stream.of("/usr/bin", "/usr/local/bin"))
            .filter(d -> !d.isEmpty())
            .flatMap(d -> Stream.of(Path.of(d, "chromium"), Path.of(d, "chromium-browser")))
            .filter(Files::isExecutable)
            .findFirst();
    if (found.isEmpty()) {
      String message =
          "chromium is not installed, so the report page cannot be checked in a browser"
              + " (apt-get install chromium)";
      if (Boolean.getBoolean("netns.require")) {
        throw new AssertionError("netns.require=true but " + message);
      }
      Assumptions.abort(message);
    }
    return found.get();
  }

  /**
   * Runs headless Chromium on {@code page} with everything that would reach the network turned off;
   * returns its standard output. Its processes are gone when this returns.
   */
  static String runChromium(Path chromium, Path profile, String action, Path page)
      throws Exception {
    List<String> command =
        List.of(
            chromium.toString(),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
            "--user-data-dir=" + profile,
            "--window-size=1200,900",
            action,
            page.toUri().toString());
    // Files, not pipes: a child that keeps a pipe open cannot hold this test past the timeout.
    Path stdout = Files.createTempFile(profile.getParent(), "chromium", ".out");
    Path stderr = Files.createTempFile(profile.getParent(), "chromium", ".err");
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
    // Its caches and settings go with the profile, not into the home directory of whoever runs it.
    builder.environment().put("HOME", profile.toString());
    builder.environment().put("XDG_CONFIG_HOME", profile.resolve("config").toString());
    builder.environment().put("XDG_CACHE_HOME", profile.resolve("cache").toString());
    Process process = builder.start();
    try {
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("chromium finished").isTrue();
      assertThat(process.exitValue())
          .as("%s exited with:\n%s", command, Files.readString(stderr))
          .isZero();
      return Files.readString(stdout, StandardCharsets.UTF_8);
    } finally {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
    }
  }
}
