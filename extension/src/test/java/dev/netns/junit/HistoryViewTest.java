package dev.netns.junit;

import static dev.netns.junit.Models.Op.CAS;
import static dev.netns.junit.Models.Op.READ;
import static dev.netns.junit.Models.Op.WRITE;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

/**
 * Seeing a history: its export in Jepsen's EDN form, exactly; its HTML page, which an XML parser
 * and a real browser read; and the page a failed linearizability assertion leaves in the test's
 * report directory.
 */
class HistoryViewTest {
  @TempDir Path dir;

  private static final long MS = 1_000_000;

  /** A stale read: p1 reads 1 after p0's write of 2 completed. */
  private static List<Operation> staleRead() {
    return List.of(
        new Operation(0, WRITE, null, 1, null, Operation.Outcome.OK, 0, 1 * MS),
        new Operation(0, WRITE, null, 2, null, Operation.Outcome.OK, 2 * MS, 3 * MS),
        new Operation(1, READ, null, null, 1, Operation.Outcome.OK, 4 * MS, 5 * MS),
        new Operation(2, READ, null, null, 1, Operation.Outcome.OK, 4 * MS + MS / 2, 6 * MS),
        new Operation(3, WRITE, null, 3, null, Operation.Outcome.INFO, 6 * MS, 7 * MS));
  }

  @Test
  void theEdnExportIsOneJepsenMapPerLineInTimeOrder() {
    List<Operation> ops =
        List.of(
            new Operation(0, WRITE, "x", 3, null, Operation.Outcome.OK, 1000, 2000),
            new Operation(1, READ, "x", null, 3, Operation.Outcome.OK, 1500, 2500),
            new Operation(
                0, CAS, "x", new Models.Cas(3, 4), false, Operation.Outcome.OK, 3000, 3500),
            new Operation(2, WRITE, "x", 5, null, Operation.Outcome.INFO, 1200, 4000),
            new Operation(2, READ, "x", null, null, Operation.Outcome.INFO, 4500, Long.MAX_VALUE));
    List<History.FaultEvent> faults =
        List.of(
            new History.FaultEvent("partition {n1} | {n2} (silent)", 1100, 3600),
            new History.FaultEvent("kill \"n1\"", 4200));

    assertThat(JepsenEdn.render(ops, faults))
        .isEqualTo(
            """
            {:type :invoke, :f :write, :value ["x" 3], :process 0, :time 1000, :index 0}
            {:type :info, :f :start, :value "partition {n1} | {n2} (silent)", :process :nemesis, :time 1100, :index 1}
            {:type :info, :f :start, :value "partition {n1} | {n2} (silent)", :process :nemesis, :time 1100, :index 2}
            {:type :invoke, :f :write, :value ["x" 5], :process 2, :time 1200, :index 3}
            {:type :invoke, :f :read, :value ["x" nil], :process 1, :time 1500, :index 4}
            {:type :ok, :f :write, :value ["x" 3], :process 0, :time 2000, :index 5}
            {:type :ok, :f :read, :value ["x" 3], :process 1, :time 2500, :index 6}
            {:type :invoke, :f :cas, :value ["x" [3 4]], :process 0, :time 3000, :index 7}
            {:type :fail, :f :cas, :value ["x" [3 4]], :process 0, :time 3500, :index 8}
            {:type :info, :f :stop, :value "partition {n1} | {n2} (silent)", :process :nemesis, :time 3600, :index 9}
            {:type :info, :f :stop, :value "partition {n1} | {n2} (silent)", :process :nemesis, :time 3600, :index 10}
            {:type :info, :f :write, :value ["x" 5], :process 2, :time 4000, :index 11}
            {:type :info, :f :fault, :value "kill \\"n1\\"", :process :nemesis, :time 4200, :index 12}
            {:type :info, :f :fault, :value "kill \\"n1\\"", :process :nemesis, :time 4200, :index 13}
            {:type :invoke, :f :read, :value ["x" nil], :process 5, :time 4500, :index 14}
            """);
  }

  @Test
  void ednValuesOfEveryKindAndResultsBesideArguments() {
    List<Operation> ops =
        List.of(
            new Operation(0, Models.Op.CONTAINS, null, "a", true, Operation.Outcome.OK, 10, 20),
            new Operation(0, READ, null, null, Set.of(2, 1), Operation.Outcome.OK, 30, 40),
            new Operation(
                1,
                Kind.COMPARE_AND_SET,
                null,
                List.of(1.5, Kind.COMPARE_AND_SET),
                Map.of("k", 2L),
                Operation.Outcome.OK,
                50,
                60),
            new Operation(1, WRITE, null, "a\nb", null, Operation.Outcome.FAIL, 70, 80));

    assertThat(JepsenEdn.render(ops, List.of()))
        .isEqualTo(
            """
            {:type :invoke, :f :contains, :value "a", :process 0, :time 10, :index 0}
            {:type :ok, :f :contains, :value "a", :result true, :process 0, :time 20, :index 1}
            {:type :invoke, :f :read, :value nil, :process 0, :time 30, :index 2}
            {:type :ok, :f :read, :value #{1 2}, :process 0, :time 40, :index 3}
            {:type :invoke, :f :compare-and-set, :value [1.5 :compare-and-set], :process 1, :time 50, :index 4}
            {:type :ok, :f :compare-and-set, :value [1.5 :compare-and-set], :result {"k" 2}, :process 1, :time 60, :index 5}
            {:type :invoke, :f :write, :value "a\\nb", :process 1, :time 70, :index 6}
            {:type :fail, :f :write, :value "a\\nb", :process 1, :time 80, :index 7}
            """);
  }

  enum Kind {
    COMPARE_AND_SET
  }

  @Test
  void historyAndCheckResultWriteTheirFiles() throws Exception {
    History history = new History();
    history.invoke(0, WRITE, null, 1).ok(null);
    History.FaultSpan span = history.faultStarted("cut n1 -> n2 (silent)");
    history.invoke(1, READ, null, null).ok(1);
    span.healed();
    span.healed();

    assertThat(history.faults()).hasSize(1);
    History.FaultEvent cut = history.faults().get(0);
    assertThat(cut.isInstant()).isFalse();
    assertThat(cut.healedNanos()).isGreaterThanOrEqualTo(cut.atNanos()).isLessThan(Long.MAX_VALUE);

    history.writeEdn(dir.resolve("h.edn"));
    assertThat(Files.readAllLines(dir.resolve("h.edn")))
        .hasSize(8)
        .allSatisfy(line -> assertThat(line).startsWith("{:type :").endsWith("}"));
    history.writeHtml(dir.resolve("h.html"));
    assertThat(Files.readString(dir.resolve("h.html"))).contains("cut n1 -&gt; n2 (silent)");

    CheckResult result = Linearizability.check(history, Models.register(), Duration.ofSeconds(5));
    assertThat(result.recorded()).isEqualTo(history.operations());
    assertThat(result.faults()).isEqualTo(history.faults());
    result.writeEdn(dir.resolve("r.edn"));
    assertThat(dir.resolve("r.edn")).hasContent(history.toEdn().stripTrailing());
  }

  @Test
  void thePageDrawsLanesBarsFaultsAndTheOperationsThatBrokeLinearizability() throws Exception {
    CheckResult result = illegal();
    Path page = dir.resolve("history.html");
    result.writeHtml(page);

    Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(page.toFile());
    assertThat(texts(doc, "//svg/text[@class='lane']")).containsExactly("p0", "p1", "p2", "p3");
    assertThat(texts(doc, "//svg/rect[contains(@class,'op')]/title"))
        .containsExactlyInAnyOrder(
            "p0 WRITE 1 ok [0.000 ms .. 1.000 ms]",
            "p0 WRITE 2 ok [2.000 ms .. 3.000 ms]",
            "p1 READ -> 1 ok [4.000 ms .. 5.000 ms] (unplaceable)",
            "p2 READ -> 1 ok [4.500 ms .. 6.000 ms] (concurrent)",
            "p3 WRITE 3 info [6.000 ms .. 7.000 ms]");
    assertThat(texts(doc, "//svg/rect[@class='op ok unplaceable']/title"))
        .containsExactly("p1 READ -> 1 ok [4.000 ms .. 5.000 ms] (unplaceable)");
    assertThat(texts(doc, "//svg/rect[@class='op ok concurrent']/title"))
        .containsExactly("p2 READ -> 1 ok [4.500 ms .. 6.000 ms] (concurrent)");
    // An info bar is open-ended: it runs to the right edge (1200 wide, 20 margin).
    double x = Double.parseDouble(texts(doc, "//svg/rect[@class='op info']/@x").get(0));
    double w = Double.parseDouble(texts(doc, "//svg/rect[@class='op info']/@width").get(0));
    assertThat(x + w).isEqualTo(1180.0);
    assertThat(texts(doc, "//svg/rect[@class='fault']/title"))
        .containsExactly("partition {n1} | {n2} (silent) from 1.500 ms until 3.500 ms");
    assertThat(texts(doc, "//svg/line[@class='fault-instant']/title"))
        .containsExactly("kill n1 at 5.500 ms");
    assertThat(texts(doc, "//p[contains(@class,'verdict')]"))
        .containsExactly("not linearizable: no order of the operations explains");
    assertThat(texts(doc, "//pre[@class='explanation']").get(0)).isEqualTo(result.toString());
    // Self-contained: nothing is fetched.
    String html = Files.readString(page);
    assertThat(html).doesNotContain("<script", "src=", "href=", "@import", "url(http");
  }

  @Test
  void aBrowserRendersThePage() throws Exception {
    Path chromium = ReportPageTest.chromium();
    Path page = dir.resolve("history.html");
    illegal().writeHtml(page);
    Path profile = Files.createDirectory(dir.resolve("chromium-profile"));

    String dom = ReportPageTest.runChromium(chromium, profile, "--dump-dom", page);

    assertThat(dom)
        .contains("<svg")
        .contains("class=\"op ok unplaceable\"")
        .contains("class=\"fault\"")
        .contains(">p3</text>")
        .contains(">partition {n1} | {n2} (silent)</text>");
  }

  private static CheckResult illegal() {
    History.FaultEvent partition =
        new History.FaultEvent("partition {n1} | {n2} (silent)", 3 * MS / 2, 7 * MS / 2);
    History.FaultEvent kill = new History.FaultEvent("kill n1", 11 * MS / 2);
    CheckResult checked =
        Linearizability.check(staleRead(), Models.register(), Duration.ofSeconds(5));
    assertThat(checked.verdict()).isEqualTo(CheckResult.Verdict.ILLEGAL);
    return new CheckResult(
        checked.verdict(),
        checked.operations(),
        checked.elapsed(),
        checked.prefix(),
        checked.unplaceable(),
        checked.concurrent(),
        checked.recorded(),
        List.of(partition, kill));
  }

  @NetNamespace("alone")
  static class StaleReadTest {
    @Test
    void staleRead() {
      Linearizability.check(HistoryViewTest.staleRead(), Models.register(), Duration.ofSeconds(5))
          .assertLinearizable();
    }
  }

  @Test
  void aFailedAssertionLeavesThePageAndTheEdnInTheReportDirectory() throws Exception {
    dev.netns.testing.Requirements.requireNamespaces();
    EngineExecutionResults results =
        Fixtures.run(
            StaleReadTest.class, Map.of(NetNamespace.REPORT_DIR_PROPERTY_NAME, dir.toString()));

    Throwable failure = Fixtures.onlyFailure(results);
    assertThat(failure).isInstanceOf(NotLinearizableError.class);
    assertThat(failure.getMessage())
        .isEqualTo(
            "not linearizable: no order of the operations explains\n"
                + "  p1 READ -> 1 ok [4.000 ms .. 5.000 ms]\n"
                + "after the longest prefix that could be linearized (2 of 5 operations):\n"
                + "  p0 WRITE 1 ok [0.000 ms .. 1.000 ms]\n"
                + "  p0 WRITE 2 ok [2.000 ms .. 3.000 ms]\n"
                + "with these operations also invoked before it returned, in no order that works:\n"
                + "  p2 READ -> 1 ok [4.500 ms .. 6.000 ms]");
    Path test = dir.resolve(StaleReadTest.class.getName()).resolve("staleRead");
    assertThat(failure.getSuppressed())
        .extracting(Throwable::getMessage)
        .contains(
            "netns: the history that was checked: "
                + test.resolve("history.html").toAbsolutePath()
                + " (Jepsen EDN: history.edn beside it)");
    assertThat(Files.readString(test.resolve("history.html")))
        .contains("class=\"op ok unplaceable\"");
    assertThat(Files.readString(test.resolve("history.edn")))
        .startsWith("{:type :invoke, :f :write, :value 1, :process 0, :time 0, :index 0}\n");
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
}
