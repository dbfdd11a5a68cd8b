package dev.netns.junit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netns.topology.DropMode;
import dev.netns.topology.FaultScope;
import dev.netns.topology.Topology;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The report page from the model alone, no kernel: ten namespaces drawn without one box over
 * another, a hundred listed instead of drawn, every text escaped.
 */
class ReportPageLayoutTest {
  private static final Path DIR = Path.of("/reports/Some$Test/fails");

  private record Rect(String owner, double x, double y, double w, double h) {
    boolean overlaps(Rect o) {
      return x < o.x + o.w && o.x < x + w && y < o.y + o.h && o.y < y + h;
    }
  }

  /** Ten namespaces: a LAN of five with a router, a chain of links off it, one to the machine. */
  static Topology tenHosts() {
    Topology.Builder b = Topology.builder();
    for (String h : List.of("web1", "web2", "web3", "db", "cache", "n6", "n7", "n8", "n9")) {
      b.host(h);
    }
    b.router("gw");
    b.lan("dc", "10.87.0.0/24", "web1", "web2", "web3", "db", "gw");
    b.lan("backend", "10.87.9.0/24", "db", "cache");
    b.veth("gw", List.of("10.87.1.1/30"), "n6", List.of("10.87.1.2/30"));
    b.veth("n6", List.of("10.87.2.1/30"), "n7", List.of("10.87.2.2/30"));
    b.veth("n7", List.of("10.87.3.1/30"), "n8", List.of("10.87.3.2/30"));
    b.veth("n8", List.of("10.87.4.1/30"), "n9", List.of("10.87.4.2/30"));
    b.veth("n9", List.of("10.87.5.1/30"), Topology.HOST, List.of("10.87.5.2/30"));
    return b.build();
  }

  static String tenHostPage() {
    Topology topology = tenHosts();
    List<ReportPage.Fault> faults =
        List.of(
            new ReportPage.Fault(
                "partition {web1, web2} | {db, gw} (silent)",
                new FaultScope.Partition(
                    List.of(Set.of("web1", "web2"), Set.of("db", "gw")), DropMode.SILENT)),
            new ReportPage.Fault(
                "link n7:n8<->n8:n7 down", new FaultScope.LinkDown(topology.links().get(2))),
            new ReportPage.Fault(
                "web3 unplugged from LAN dc", new FaultScope.Unplugged("web3", "dc")),
            new ReportPage.Fault(
                "cut n6 -> gw (rejecting)", new FaultScope.Cut("n6", "gw", DropMode.REJECTING)),
            new ReportPage.Fault(
                "netem delay 100ms leaving cache:backend",
                new FaultScope.Impaired("cache", "backend", "netem delay 100ms")));
    return new ReportPage(topology, faults, "Some$Test.fails()", "boom", "", "now")
        .render(DIR, List.of());
  }

  @Test
  void tenNamespacesAreDrawnWithoutOneBoxOverAnother() throws Exception {
    Document doc = parse(tenHostPage());
    List<Rect> boxes = new ArrayList<>();
    NodeList groups =
        nodes(
            doc,
            "//svg//g[@class='host' or @class='host router' or @class='machine' or @class='lan']");
    for (int i = 0; i < groups.getLength(); i++) {
      Element g = (Element) groups.item(i);
      Element rect = (Element) g.getElementsByTagName("rect").item(0);
      boxes.add(
          new Rect(
              g.getAttribute("data-host") + g.getAttribute("data-lan"),
              Double.parseDouble(rect.getAttribute("x")),
              Double.parseDouble(rect.getAttribute("y")),
              Double.parseDouble(rect.getAttribute("width")),
              Double.parseDouble(rect.getAttribute("height"))));
    }
    assertThat(boxes)
        .extracting(Rect::owner)
        .containsExactlyInAnyOrder(
            "web1", "web2", "web3", "db", "gw", "cache", "n6", "n7", "n8", "n9", "host", "dc",
            "backend");
    for (Rect a : boxes) {
      for (Rect b : boxes) {
        if (a != b) {
          assertThat(a.overlaps(b)).as("%s over %s", a, b).isFalse();
        }
      }
    }
    // The machine's end of a link gets a unique name, not the peer's.
    assertThat(texts(doc, "//svg//g[@class='machine']/text"))
        .satisfiesExactly(
            title -> assertThat(title).isEqualTo("host (this machine)"),
            address -> assertThat(address).matches("nj\\w+ 10\\.87\\.5\\.2/30"));
    assertThat(texts(doc, "//svg//g[@class='port' and @data-fault='unplugged']/@data-host"))
        .containsExactly("web3");
    assertThat(texts(doc, "//svg//g[@class='link' and @data-fault='down']/@data-a"))
        .containsExactly("n7:n8");
    assertThat(texts(doc, "//svg//g[@class='cut']/text"))
        .containsExactly("✕ cut n6 → gw (rejecting)");
    assertThat(texts(doc, "//svg//g[@class='impaired']/text"))
        .containsExactly("leaving cache: netem delay 100ms");
  }

  @Test
  void aHundredNamespacesAreListedNotDrawn() throws Exception {
    Topology.Builder b = Topology.builder();
    String[] hosts = new String[100];
    for (int i = 0; i < hosts.length; i++) {
      hosts[i] = "n" + i;
      b.host(hosts[i]);
    }
    b.lan("big", "10.88.0.0/24", hosts);
    String page =
        new ReportPage(
                b.build(),
                List.of(
                    new ReportPage.Fault(
                        "partition {n0} | {n1} (silent)",
                        new FaultScope.Partition(
                            List.of(Set.of("n0"), Set.of("n1")), DropMode.SILENT))),
                "T.t()",
                "",
                "",
                "now")
            .render(DIR, List.of());
    assertThat(page).doesNotContain("<svg");
    Document doc = parse(page);
    assertThat(texts(doc, "//p[@class='too-many']"))
        .containsExactly(
            "100 namespaces are too many to draw readably (at most 30); the tables below list"
                + " them.");
    assertThat(texts(doc, "//table[@class='hosts']/tr[@data-host]")).hasSize(100);
    assertThat(texts(doc, "//table[@class='hosts']/tr[@data-host='n99']/td"))
        .containsExactly("n99", "host", "big 10.88.0.100/24", "");
    assertThat(texts(doc, "//table[@class='hosts']/tr[@data-host='n1']/td[4]"))
        .containsExactly("B");
  }

  @Test
  void everyTextIsEscapedAndCaptureLinksAreRelative() throws Exception {
    Topology topology =
        Topology.builder().host("a").host("b").lan("l", "10.89.0.0/24", "a", "b").build();
    String evil = "<script>alert('x')</script> & \"quoted\"";
    String page =
        new ReportPage(topology, List.of(), "T.t()", evil, evil, evil)
            .render(
                DIR,
                List.of(
                    new ReportPage.CaptureLink(DIR.resolve("a-l.pcap"), "a:l, 3 frames"),
                    new ReportPage.CaptureLink(
                        DIR.resolveSibling("shared-network").resolve("b-l.pcap"), evil)));
    assertThat(page).doesNotContain("<script").doesNotContain("'x'");
    Document doc = parse(page);
    assertThat(texts(doc, "//p[@class='failure']/code")).containsExactly(evil);
    assertThat(texts(doc, "//pre[@class='trace']")).containsExactly(evil);
    assertThat(texts(doc, "//ul[@class='captures']/li/a/@href"))
        .containsExactly("a-l.pcap", "../shared-network/b-l.pcap");
    assertThat(texts(doc, "//ul[@class='captures']/li"))
        .containsExactly("a-l.pcap a:l, 3 frames", "b-l.pcap " + evil);
    assertThat(HtmlText.href("x y/\"z\":$.pcap")).isEqualTo("x%20y/%22z%22%3A%24.pcap");
  }

  static Document parse(String page) throws Exception {
    return DocumentBuilderFactory.newInstance()
        .newDocumentBuilder()
        .parse(new ByteArrayInputStream(page.getBytes(StandardCharsets.UTF_8)));
  }

  private static NodeList nodes(Document doc, String xpath) throws Exception {
    return (NodeList)
        XPathFactory.newInstance().newXPath().evaluate(xpath, doc, XPathConstants.NODESET);
  }

  static List<String> texts(Document doc, String xpath) throws Exception {
    NodeList nodes = nodes(doc, xpath);
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < nodes.getLength(); i++) {
      texts.add(nodes.item(i).getTextContent());
    }
    return texts;
  }
}
