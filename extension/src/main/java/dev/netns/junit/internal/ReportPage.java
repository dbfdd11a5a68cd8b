package dev.netns.junit.internal;

import dev.netns.topology.ActiveFault;
import dev.netns.topology.FaultScope;
import dev.netns.topology.Lan;
import dev.netns.topology.LanPort;
import dev.netns.topology.Topology;
import dev.netns.topology.VethPair;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The failure report as a page for a browser ({@code report.html}, beside {@code report.txt}): the
 * network drawn with the faults in force ({@link NetworkPicture}), the same as tables, the packet
 * captures linked, the failure. Self-contained: no script, no style sheet or font to fetch, so it
 * opens the same offline, from a CI artifact, years later. The page is well-formed XML as well as
 * HTML, so that tests can read it with an XML parser.
 *
 * <p>Made from the model the report was read with, at the failure; {@link #render} runs again at
 * teardown, when the capture files are complete, to link them with their final sizes.
 *
 * @param topology the test's network
 * @param faults the faults in force at the failure: what each does, and where
 * @param test the test, as a person would name it
 * @param failure the failure's first line, or empty
 * @param trace the failure's stack trace without JUnit's frames, or empty
 * @param moment when the state was read, for example "when the test failed, 2026-...Z"
 * @param effects what each fault applied during the test did ({@link FaultEffects#lines})
 */
record ReportPage(
    Topology topology,
    List<Fault> faults,
    String test,
    String failure,
    String trace,
    String moment,
    List<String> effects) {

  ReportPage(
      Topology topology,
      List<Fault> faults,
      String test,
      String failure,
      String trace,
      String moment) {
    this(topology, faults, test, failure, trace, moment, List.of());
  }

  /** A fault in force: its description and what it acts on. */
  record Fault(String description, FaultScope scope) {
    static Fault of(ActiveFault fault) {
      return new Fault(fault.description(), fault.scope());
    }
  }

  /**
   * A capture file to link.
   *
   * @param file the file
   * @param what what it holds, for example {@code blue:red, 17 frames, 1445 bytes}
   */
  record CaptureLink(Path file, String what) {}

  ReportPage {
    faults = List.copyOf(faults);
    effects = List.copyOf(effects);
  }

  /** The page, with links to {@code captures} relative to {@code directory}, the page's own. */
  String render(Path directory, List<CaptureLink> captures) {
    StringBuilder page = new StringBuilder();
    page.append("<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n")
        .append("<head><meta charset=\"utf-8\"/><title>")
        .append(esc("netns: " + test))
        .append("</title>\n<style>")
        .append(STYLE)
        .append("</style></head>\n<body>\n<h1>The network as this failure left it</h1>\n")
        .append("<p class=\"test\">test: <code>")
        .append(esc(test))
        .append("</code></p>\n");
    if (!failure.isEmpty()) {
      page.append("<p class=\"failure\">failure: <code>")
          .append(esc(failure))
          .append("</code></p>\n");
    }
    page.append("<p class=\"state\">state: read ")
        .append(esc(moment))
        .append(
            ". Interfaces, counters, routes and neighbours: <a href=\"report.txt\">report.txt</a>.</p>\n");

    List<FaultScope> scopes = faults.stream().map(Fault::scope).toList();
    Optional<String> svg = NetworkPicture.draw(topology, scopes);
    page.append("<figure>\n");
    if (svg.isPresent()) {
      page.append(svg.get()).append("<figcaption>").append(LEGEND).append("</figcaption>\n");
    } else {
      page.append("<p class=\"too-many\">")
          .append(NetworkPicture.nodes(topology).size())
          .append(" namespaces are too many to draw readably (at most ")
          .append(NetworkPicture.MAX_DRAWN)
          .append("); the tables below list them.</p>\n");
    }
    page.append("</figure>\n");

    faultList(page);
    hostTable(page);
    linkTable(page);
    lanTable(page);
    captureList(page, directory, captures);
    if (!trace.isEmpty()) {
      page.append("<h2>Failure</h2>\n<pre class=\"trace\">").append(esc(trace)).append("</pre>\n");
    }
    page.append("</body>\n</html>\n");
    return page.toString();
  }

  private void faultList(StringBuilder page) {
    page.append("<h2>Faults in force</h2>\n<ul class=\"faults\">\n");
    if (faults.isEmpty()) {
      page.append("<li>none</li>\n");
    }
    for (Fault fault : faults) {
      page.append("<li>").append(esc(fault.description())).append("</li>\n");
    }
    page.append("</ul>\n");
    if (!effects.isEmpty()) {
      page.append("<h2>What each fault did</h2>\n<ul class=\"fault-effects\">\n");
      for (String effect : effects) {
        page.append("<li>").append(esc(effect)).append("</li>\n");
      }
      page.append("</ul>\n");
    }
  }

  private void hostTable(StringBuilder page) {
    List<FaultScope.Partition> partitions = new ArrayList<>();
    for (Fault f : faults) {
      if (f.scope() instanceof FaultScope.Partition p) {
        partitions.add(p);
      }
    }
    page.append("<h2>Namespaces</h2>\n<table class=\"hosts\">\n<tr><th>namespace</th><th>kind</th>")
        .append("<th>interfaces and addresses</th><th>partition side</th></tr>\n");
    for (String host : NetworkPicture.nodes(topology)) {
      List<String> sides = new ArrayList<>();
      for (FaultScope.Partition p : partitions) {
        for (int side = 0; side < p.groups().size(); side++) {
          if (p.groups().get(side).contains(host)) {
            sides.add(NetworkPicture.sideName(side));
          }
        }
      }
      String kind =
          host.equals(Topology.HOST)
              ? "the machine's own"
              : topology.routers().contains(host) ? "router" : "host";
      page.append("<tr data-host=\"")
          .append(esc(host))
          .append("\"><td>")
          .append(esc(host))
          .append("</td><td>")
          .append(kind)
          .append("</td><td>")
          .append(esc(String.join(", ", NetworkPicture.addressLines(topology, host))))
          .append("</td><td>")
          .append(esc(String.join(", ", sides)))
          .append("</td></tr>\n");
    }
    page.append("</table>\n");
  }

  private void linkTable(StringBuilder page) {
    if (topology.links().isEmpty()) {
      return;
    }
    page.append("<h2>Veth links</h2>\n<table class=\"links\">\n")
        .append("<tr><th>end</th><th>addresses</th><th>end</th><th>addresses</th></tr>\n");
    for (VethPair link : topology.links()) {
      page.append("<tr><td>")
          .append(esc(link.a() + ":" + link.aInterface()))
          .append("</td><td>")
          .append(esc(join(link.aAddresses())))
          .append("</td><td>")
          .append(esc(link.b() + ":" + link.bInterface()))
          .append("</td><td>")
          .append(esc(join(link.bAddresses())))
          .append("</td></tr>\n");
    }
    page.append("</table>\n");
  }

  private void lanTable(StringBuilder page) {
    if (topology.lans().isEmpty()) {
      return;
    }
    page.append("<h2>LANs</h2>\n<table class=\"lans\">\n")
        .append("<tr><th>LAN</th><th>subnets</th><th>ports</th></tr>\n");
    for (Lan lan : topology.lans()) {
      List<String> ports = new ArrayList<>();
      for (LanPort port : lan.ports()) {
        ports.add(port.host() + ":" + port.interfaceName() + " " + join(port.addresses()));
      }
      page.append("<tr><td>")
          .append(esc(lan.name()))
          .append("</td><td>")
          .append(esc(join(lan.subnets())))
          .append("</td><td>")
          .append(esc(String.join("; ", ports)))
          .append("</td></tr>\n");
    }
    page.append("</table>\n");
  }

  private static void captureList(StringBuilder page, Path directory, List<CaptureLink> captures) {
    page.append("<h2>Packet captures</h2>\n<ul class=\"captures\">\n");
    if (captures.isEmpty()) {
      page.append("<li>none (netns.capture=never or @Capture(mode = NEVER))</li>\n");
    }
    for (CaptureLink capture : captures) {
      Path file = capture.file().toAbsolutePath();
      String relative = directory.toAbsolutePath().relativize(file).toString();
      page.append("<li><a href=\"")
          .append(esc(HtmlText.href(relative)))
          .append("\">")
          .append(esc(file.getFileName().toString()))
          .append("</a> ")
          .append(esc(capture.what()))
          .append("</li>\n");
    }
    page.append("</ul>\n<p>Open them with <code>tcpdump -nn -r FILE</code> or Wireshark.</p>\n");
  }

  private static String join(List<?> items) {
    return String.join(", ", items.stream().map(Object::toString).toList());
  }

  private static String esc(String text) {
    return HtmlText.escape(text);
  }

  private static final String STYLE =
      "body{font-family:DejaVu Sans,Helvetica,Arial,sans-serif;margin:1.5em;color:#1b1b1b}"
          + "code,pre,.address,.ifname,.subnet{font-family:DejaVu Sans Mono,monospace}"
          + "svg.network{max-width:100%;height:auto;border:1px solid #d0d7de;background:#fff}"
          + "svg text{font-size:12px}"
          + "svg .host-name{font-size:13px;font-weight:bold}"
          + "svg .lan-name{font-size:13px;font-weight:bold;text-anchor:middle}"
          + "svg .subnet{text-anchor:middle}"
          + "svg .ifname,svg .fault-label,svg .impairment-label{text-anchor:middle;"
          + "paint-order:stroke;stroke:#fff;stroke-width:4px}"
          + "svg .ifname{fill:#33475b}"
          + "svg .fault-label{fill:#c00000;font-weight:bold}"
          + "svg .impairment-label{fill:#8a4b00;font-style:italic}"
          + "svg .side-label{font-size:11px;fill:#444}"
          + "table{border-collapse:collapse;margin-bottom:1em}"
          + "td,th{border:1px solid #d0d7de;padding:2px 8px;text-align:left;vertical-align:top}"
          + "figcaption{font-size:90%;color:#444;margin-top:.5em}"
          + ".swatch{display:inline-block;width:2.2em;height:.9em;vertical-align:middle;"
          + "margin:0 .3em 0 1em;border:1px solid #888}"
          + "pre.trace{background:#f6f8fa;padding:.5em;overflow-x:auto}";

  private static final String LEGEND =
      "<span class=\"swatch\" style=\"background:#fff;border-color:#1f3b57\"></span>namespace"
          + "<span class=\"swatch\" style=\"background:#fff4d6\"></span>router"
          + "<span class=\"swatch\" style=\"background:#f2f2f2;border-style:dashed\"></span>"
          + "the machine's own namespace"
          + "<span class=\"swatch\" style=\"background:#eef2f7\"></span>LAN switch"
          + "<span class=\"swatch\" style=\"background:#cfe0f5\"></span>partition side"
          + "<span class=\"swatch\" style=\"border:0;border-top:3px dashed #c00000;height:0\">"
          + "</span>link down or port unplugged"
          + "<span class=\"swatch\" style=\"border:0;border-top:3px solid #c00000;height:0\">"
          + "</span>one-way cut (arrow: the direction that is cut)"
          + "<span class=\"swatch\" style=\"border:0;border-top:5px solid #e08a00;height:0\">"
          + "</span>impaired (traffic leaving that end)";
}
