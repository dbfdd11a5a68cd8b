package dev.netns.junit.internal;

// Longer than most classes here: the layout and the drawing share every coordinate, and splitting
// them would pass a dozen geometry records back and forth for no reader's benefit.

import dev.netns.kernel.Cidr;
import dev.netns.topology.DropMode;
import dev.netns.topology.FaultScope;
import dev.netns.topology.Lan;
import dev.netns.topology.LanPort;
import dev.netns.topology.Topology;
import dev.netns.topology.VethPair;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A test's network drawn as inline SVG, with the faults in force on it: namespaces as boxes with
 * their addresses (routers marked), LANs as switches with their subnets, veth links as lines
 * labelled with interface names, and the machine's own namespace when a link ends there. Links down
 * and unplugged ports are dashed red, partition sides shaded, one-way cuts red arrows, impaired
 * links labelled with the impairment.
 *
 * <p>The layout is deterministic and needs no solver: the boxes sit on an ellipse, hosts of one LAN
 * next to each other, each LAN's switch inside the ellipse towards its hosts. That stays readable
 * up to a few dozen boxes; beyond {@link #MAX_DRAWN} there is no picture, and the page's tables say
 * it all.
 */
final class NetworkPicture {
  /** The most boxes drawn; a larger network is only listed. */
  static final int MAX_DRAWN = 30;

  /** Shades of partition sides, opaque so that a screenshot shows them as exact colours. */
  static final List<String> SIDE_SHADES =
      List.of("#cfe0f5", "#fbd9b5", "#cdebc6", "#e6d3ec", "#f6eab0", "#c9e9e6");

  private static final int BOX_WIDTH_MIN = 170;
  private static final int BOX_WIDTH_MAX = 250;
  private static final int LINE = 15;
  private static final double CHAR = 7.0; // width of a character at 12px, monospace
  private static final int MAX_LINES = 4;
  private static final int MARGIN = 40;

  private final Topology topology;
  private final List<FaultScope> faults;
  private final Map<String, Box> boxes = new LinkedHashMap<>();
  private final Map<String, Box> switches = new LinkedHashMap<>();

  /** Boxes and labels drawn so far, which a fault's label must not cover. */
  private final List<Box> taken = new ArrayList<>();

  private final StringBuilder svg = new StringBuilder();

  private record Box(double x, double y, double w, double h) {
    double cx() {
      return x + w / 2;
    }

    double cy() {
      return y + h / 2;
    }

    /** Where the segment from this box's centre towards (tx, ty) leaves the box. */
    double[] edgeTowards(double tx, double ty) {
      double dx = tx - cx();
      double dy = ty - cy();
      if (dx == 0 && dy == 0) {
        return new double[] {cx(), cy()};
      }
      double scale =
          Math.min(
              dx == 0 ? Double.MAX_VALUE : (w / 2) / Math.abs(dx),
              dy == 0 ? Double.MAX_VALUE : (h / 2) / Math.abs(dy));
      return new double[] {cx() + dx * scale, cy() + dy * scale};
    }

    boolean overlaps(Box o, double gap) {
      return x < o.x + o.w + gap && o.x < x + w + gap && y < o.y + o.h + gap && o.y < y + h + gap;
    }
  }

  private NetworkPicture(Topology topology, List<FaultScope> faults) {
    this.topology = topology;
    this.faults = faults;
  }

  /** The picture, or empty when the network has more than {@link #MAX_DRAWN} namespaces. */
  static Optional<String> draw(Topology topology, List<FaultScope> faults) {
    List<String> nodes = nodes(topology);
    if (nodes.size() > MAX_DRAWN) {
      return Optional.empty();
    }
    NetworkPicture picture = new NetworkPicture(topology, faults);
    picture.layOut(nodes);
    picture.render();
    return Optional.of(picture.svg.toString());
  }

  /**
   * The boxes in drawing order: the hosts of each LAN together, then the rest, then the machine.
   */
  static List<String> nodes(Topology topology) {
    Set<String> order = new LinkedHashSet<>();
    for (Lan lan : topology.lans()) {
      lan.ports().forEach(p -> order.add(p.host()));
    }
    order.addAll(topology.hosts());
    List<String> nodes = new ArrayList<>();
    // Hosts of LANs first would pull unrelated hosts apart; keep declaration order within that.
    nodes.addAll(order);
    if (topology.touchesHost()) {
      nodes.add(Topology.HOST);
    }
    return nodes;
  }

  /** What a namespace's box lists: "interface address" per address, links first, then LANs. */
  static List<String> addressLines(Topology topology, String host) {
    List<String> lines = new ArrayList<>();
    for (VethPair link : topology.links()) {
      if (link.a().equals(host) || link.b().equals(host)) {
        for (Cidr address : link.addressesIn(host)) {
          lines.add(link.interfaceIn(host) + " " + address);
        }
      }
    }
    for (Lan lan : topology.lans()) {
      for (LanPort port : lan.ports()) {
        if (port.host().equals(host)) {
          port.addresses().forEach(a -> lines.add(port.interfaceName() + " " + a));
        }
      }
    }
    return lines;
  }

  private void layOut(List<String> nodes) {
    int n = nodes.size();
    double rx = n <= 1 ? 0 : Math.max(n == 2 ? 220 : 280, n * 240 / (2 * Math.PI));
    double ry = n <= 2 ? 0 : Math.max(180, n * 150 / (2 * Math.PI));
    for (int i = 0; i < n; i++) {
      String node = nodes.get(i);
      List<String> lines = addressLines(topology, node);
      int shown = Math.min(lines.size(), lines.size() > MAX_LINES ? MAX_LINES - 1 : MAX_LINES);
      int longest = node.length() + 9;
      for (String line : lines) {
        longest = Math.max(longest, line.length());
      }
      double w = Math.min(BOX_WIDTH_MAX, Math.max(BOX_WIDTH_MIN, longest * CHAR + 16));
      double h = 26 + LINE * (shown + (lines.size() > shown ? 1 : 0)) + 6;
      double angle = Math.PI + 2 * Math.PI * i / n;
      double cx = rx * Math.cos(angle);
      double cy = ry * Math.sin(angle);
      boxes.put(node, new Box(cx - w / 2, cy - h / 2, w, h));
    }
    List<Box> placed = new ArrayList<>();
    for (Lan lan : topology.lans()) {
      double mx = 0;
      double my = 0;
      for (LanPort port : lan.ports()) {
        mx += boxes.get(port.host()).cx();
        my += boxes.get(port.host()).cy();
      }
      int members = Math.max(1, lan.ports().size());
      double w =
          Math.max(150, Math.max(lan.name().length() + 4, subnets(lan).length()) * CHAR + 20);
      double h = 42;
      Box box = new Box(0.45 * mx / members - w / 2, 0.45 * my / members - h / 2, w, h);
      // Switches pulled to the same spot are stacked, in declaration order.
      while (overlapsAny(box, placed)) {
        box = new Box(box.x, box.y + h + 14, w, h);
      }
      placed.add(box);
      switches.put(lan.name(), box);
    }
  }

  private static boolean overlapsAny(Box box, List<Box> others) {
    return others.stream().anyMatch(o -> o.overlaps(box, 10));
  }

  private static String subnets(Lan lan) {
    return String.join(", ", lan.subnets().stream().map(Cidr::toString).toList());
  }

  private void render() {
    double minX = Double.MAX_VALUE;
    double minY = Double.MAX_VALUE;
    double maxX = -Double.MAX_VALUE;
    double maxY = -Double.MAX_VALUE;
    List<Box> all = new ArrayList<>(boxes.values());
    all.addAll(switches.values());
    for (Box b : all) {
      minX = Math.min(minX, b.x);
      minY = Math.min(minY, b.y);
      maxX = Math.max(maxX, b.x + b.w);
      maxY = Math.max(maxY, b.y + b.h);
    }
    minX -= MARGIN + 40;
    minY -= MARGIN + 20;
    maxX += MARGIN + 40;
    maxY += MARGIN + 20;
    taken.addAll(all);
    svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"network\" viewBox=\"")
        .append(num(minX))
        .append(' ')
        .append(num(minY))
        .append(' ')
        .append(num(maxX - minX))
        .append(' ')
        .append(num(maxY - minY))
        .append("\" width=\"")
        .append(num(maxX - minX))
        .append("\" role=\"img\" aria-label=\"the test's network\">\n")
        .append("<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\"")
        .append(" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\">")
        .append("<path d=\"M 0 0 L 10 5 L 0 10 z\" fill=\"#c00000\"/></marker></defs>\n");
    partitions();
    ports();
    links();
    for (Map.Entry<String, Box> s : switches.entrySet()) {
      lanSwitch(topology.lan(s.getKey(), "picture"), s.getValue());
    }
    boxes.forEach(this::hostBox);
    cuts();
    svg.append("</svg>\n");
  }

  /** Partition sides: a shade behind each host of a side, with the side's letter. */
  private void partitions() {
    int fault = 0;
    for (FaultScope scope : faults) {
      if (!(scope instanceof FaultScope.Partition partition)) {
        continue;
      }
      double pad = 8 + 8 * fault++;
      for (int side = 0; side < partition.groups().size(); side++) {
        String shade = SIDE_SHADES.get(side % SIDE_SHADES.size());
        String letter = sideName(side);
        svg.append("<g class=\"partition-side\" data-side=\"")
            .append(letter)
            .append("\" data-mode=\"")
            .append(word(partition.mode()))
            .append("\">\n");
        for (String host : sorted(partition.groups().get(side))) {
          Box b = boxes.get(host);
          if (b == null) {
            continue;
          }
          svg.append("<rect data-host=\"")
              .append(HtmlText.escape(host))
              .append("\" x=\"")
              .append(num(b.x - pad))
              .append("\" y=\"")
              .append(num(b.y - pad - 14))
              .append("\" width=\"")
              .append(num(b.w + 2 * pad))
              .append("\" height=\"")
              .append(num(b.h + 2 * pad + 14))
              .append("\" rx=\"10\" fill=\"")
              .append(shade)
              .append("\" stroke=\"#7f7f7f\" stroke-dasharray=\"4 3\"/>\n");
          text(b.x - pad + 6, b.y - pad - 2, "side-label", "partition side " + letter);
        }
        svg.append("</g>\n");
      }
    }
  }

  /** The side names: A, B, C, ... */
  static String sideName(int side) {
    return String.valueOf((char) ('A' + side % 26));
  }

  private void ports() {
    for (Lan lan : topology.lans()) {
      Box sw = switches.get(lan.name());
      for (LanPort port : lan.ports()) {
        Box host = boxes.get(port.host());
        boolean unplugged =
            faults.stream()
                .anyMatch(
                    f ->
                        f instanceof FaultScope.Unplugged u
                            && u.host().equals(port.host())
                            && u.lan().equals(lan.name()));
        double[] from = host.edgeTowards(sw.cx(), sw.cy());
        double[] to = sw.edgeTowards(host.cx(), host.cy());
        svg.append("<g class=\"port\" data-host=\"")
            .append(HtmlText.escape(port.host()))
            .append("\" data-lan=\"")
            .append(HtmlText.escape(lan.name()))
            .append("\"")
            .append(unplugged ? " data-fault=\"unplugged\"" : "")
            .append(">");
        line(from, to, unplugged);
        endLabel(from, to, "ifname", port.interfaceName());
        if (unplugged) {
          faultLabel(alongSegment(from, to), "fault-label", "unplugged");
        }
        impairment(port.host(), port.interfaceName(), from, to);
        svg.append("</g>\n");
      }
    }
  }

  private void links() {
    Map<String, Integer> seen = new LinkedHashMap<>();
    for (VethPair link : topology.links()) {
      Box a = boxes.get(link.a());
      Box b = boxes.get(link.b());
      String pair =
          link.a().compareTo(link.b()) < 0 ? link.a() + "|" + link.b() : link.b() + "|" + link.a();
      int nth = seen.merge(pair, 1, Integer::sum) - 1;
      // Parallel links between the same two hosts are drawn side by side.
      double offset = nth == 0 ? 0 : 16 * ((nth + 1) / 2) * (nth % 2 == 0 ? -1 : 1);
      double dx = b.cx() - a.cx();
      double dy = b.cy() - a.cy();
      double len = Math.max(1, Math.hypot(dx, dy));
      double ox = -dy / len * offset;
      double oy = dx / len * offset;
      double[] from = a.edgeTowards(b.cx(), b.cy());
      double[] to = b.edgeTowards(a.cx(), a.cy());
      from = new double[] {from[0] + ox, from[1] + oy};
      to = new double[] {to[0] + ox, to[1] + oy};
      boolean down =
          faults.stream().anyMatch(f -> f instanceof FaultScope.LinkDown d && d.link() == link);
      svg.append("<g class=\"link\" data-a=\"")
          .append(HtmlText.escape(link.a() + ":" + link.aInterface()))
          .append("\" data-b=\"")
          .append(HtmlText.escape(link.b() + ":" + link.bInterface()))
          .append("\"")
          .append(down ? " data-fault=\"down\"" : "")
          .append(">");
      line(from, to, down);
      endLabel(from, to, "ifname", link.aInterface());
      endLabel(to, from, "ifname", link.bInterface());
      if (down) {
        faultLabel(alongSegment(from, to), "fault-label", "down");
      }
      impairment(link.a(), link.aInterface(), from, to);
      impairment(link.b(), link.bInterface(), to, from);
      svg.append("</g>\n");
    }
  }

  private void impairment(String host, String interfaceName, double[] from, double[] to) {
    for (FaultScope scope : faults) {
      if (scope instanceof FaultScope.Impaired i
          && i.host().equals(host)
          && i.interfaceName().equals(interfaceName)) {
        String effect = i.effect().length() > 44 ? i.effect().substring(0, 43) + "…" : i.effect();
        svg.append("<g class=\"impaired\" data-host=\"")
            .append(HtmlText.escape(host))
            .append("\">");
        svg.append("<line x1=\"")
            .append(num(from[0]))
            .append("\" y1=\"")
            .append(num(from[1]))
            .append("\" x2=\"")
            .append(num(from[0] + (to[0] - from[0]) * 0.45))
            .append("\" y2=\"")
            .append(num(from[1] + (to[1] - from[1]) * 0.45))
            .append("\" stroke=\"#e08a00\" stroke-width=\"6\" stroke-opacity=\"0.6\"/>");
        double dx = to[0] - from[0];
        double dy = to[1] - from[1];
        double len = Math.max(1, Math.hypot(dx, dy));
        List<double[]> spots = new ArrayList<>();
        // Beside the line near the impaired end, either side, then further along.
        for (double at : new double[] {0.45, 0.3, 0.6}) {
          for (int side : new int[] {1, -1}) {
            spots.add(
                new double[] {
                  from[0] + dx * at - side * dy / len * 16, from[1] + dy * at + side * dx / len * 16
                });
          }
        }
        faultLabel(spots, "impairment-label", "leaving " + host + ": " + effect);
        svg.append("</g>");
      }
    }
  }

  private void cuts() {
    for (FaultScope scope : faults) {
      if (!(scope instanceof FaultScope.Cut cut)) {
        continue;
      }
      Box a = boxes.get(cut.from());
      Box b = boxes.get(cut.to());
      if (a == null || b == null) {
        continue;
      }
      double[] from = a.edgeTowards(b.cx(), b.cy());
      double[] to = b.edgeTowards(a.cx(), a.cy());
      // Bent to one side so that it does not hide a link between the same hosts.
      double mx = (from[0] + to[0]) / 2;
      double my = (from[1] + to[1]) / 2;
      double dx = to[0] - from[0];
      double dy = to[1] - from[1];
      double len = Math.max(1, Math.hypot(dx, dy));
      double qx = mx - dy / len * 50;
      double qy = my + dx / len * 50;
      svg.append("<g class=\"cut\" data-from=\"")
          .append(HtmlText.escape(cut.from()))
          .append("\" data-to=\"")
          .append(HtmlText.escape(cut.to()))
          .append("\"><path d=\"M ")
          .append(num(from[0]))
          .append(' ')
          .append(num(from[1]))
          .append(" Q ")
          .append(num(qx))
          .append(' ')
          .append(num(qy))
          .append(' ')
          .append(num(to[0]))
          .append(' ')
          .append(num(to[1]))
          .append("\" fill=\"none\" stroke=\"#c00000\" stroke-width=\"2.5\"")
          .append(" marker-end=\"url(#arrow)\"/>");
      // Outside the bend, clear of the labels of a link between the same hosts, else anywhere on
      // the curve that covers nothing.
      List<double[]> spots = new ArrayList<>();
      spots.add(new double[] {qx, qy});
      for (double t : new double[] {0.5, 0.35, 0.65, 0.2, 0.8}) {
        double u = 1 - t;
        spots.add(
            new double[] {
              u * u * from[0] + 2 * u * t * qx + t * t * to[0],
              u * u * from[1] + 2 * u * t * qy + t * t * to[1]
            });
      }
      faultLabel(
          spots,
          "fault-label",
          "✕ cut " + cut.from() + " → " + cut.to() + " (" + word(cut.mode()) + ")");
      svg.append("</g>\n");
    }
  }

  private void lanSwitch(Lan lan, Box b) {
    svg.append("<g class=\"lan\" data-lan=\"").append(HtmlText.escape(lan.name())).append("\">");
    rect(b, "#eef2f7", "#33475b", "");
    text(b.cx(), b.y + 17, "lan-name", "LAN " + lan.name());
    text(b.cx(), b.y + 33, "subnet", subnets(lan));
    svg.append("</g>\n");
  }

  private void hostBox(String name, Box b) {
    boolean machine = name.equals(Topology.HOST);
    boolean router = topology.routers().contains(name);
    svg.append("<g class=\"")
        .append(machine ? "machine" : router ? "host router" : "host")
        .append("\" data-host=\"")
        .append(HtmlText.escape(name))
        .append("\">");
    rect(
        b,
        machine ? "#f2f2f2" : router ? "#fff4d6" : "#ffffff",
        machine ? "#555555" : "#1f3b57",
        machine ? " stroke-dasharray=\"6 3\"" : "");
    String title = machine ? "host (this machine)" : router ? name + " ⇄ router" : name;
    text(b.x + 8, b.y + 18, "host-name", title);
    List<String> lines = addressLines(topology, name);
    int shown = lines.size() > MAX_LINES ? MAX_LINES - 1 : lines.size();
    double y = b.y + 18 + LINE + 2;
    for (int i = 0; i < shown; i++, y += LINE) {
      text(b.x + 8, y, "address", lines.get(i));
    }
    if (lines.size() > shown) {
      text(b.x + 8, y, "address", "+" + (lines.size() - shown) + " more (table below)");
    }
    svg.append("</g>\n");
  }

  private void rect(Box b, String fill, String stroke, String extra) {
    svg.append("<rect x=\"")
        .append(num(b.x))
        .append("\" y=\"")
        .append(num(b.y))
        .append("\" width=\"")
        .append(num(b.w))
        .append("\" height=\"")
        .append(num(b.h))
        .append("\" rx=\"6\" fill=\"")
        .append(fill)
        .append("\" stroke=\"")
        .append(stroke)
        .append("\" stroke-width=\"1.5\"")
        .append(extra)
        .append("/>");
  }

  private void line(double[] from, double[] to, boolean broken) {
    svg.append("<line x1=\"")
        .append(num(from[0]))
        .append("\" y1=\"")
        .append(num(from[1]))
        .append("\" x2=\"")
        .append(num(to[0]))
        .append("\" y2=\"")
        .append(num(to[1]))
        .append(
            broken
                ? "\" stroke=\"#c00000\" stroke-width=\"2.5\" stroke-dasharray=\"9 6\"/>"
                : "\" stroke=\"#33475b\" stroke-width=\"2\"/>");
  }

  /**
   * A label on the segment from {@code from} to {@code to}, just clear of the box {@code from} is
   * on: as far along as half the text's extent in that direction.
   */
  private void endLabel(double[] from, double[] to, String cls, String content) {
    double dx = to[0] - from[0];
    double dy = to[1] - from[1];
    double len = Math.max(1, Math.hypot(dx, dy));
    double along = Math.abs(dx / len) * content.length() * CHAR / 2 + Math.abs(dy / len) * 9 + 6;
    along = Math.min(along, len * 0.4);
    double x = from[0] + dx / len * along;
    double y = from[1] + dy / len * along;
    taken.add(labelBox(x, y, content));
    text(x, y + 4, cls, content);
  }

  /** Spots along a segment for a label: the middle first, then towards either end. */
  private static List<double[]> alongSegment(double[] from, double[] to) {
    List<double[]> spots = new ArrayList<>();
    for (double at : new double[] {0.5, 0.4, 0.6, 0.3, 0.7}) {
      spots.add(new double[] {from[0] + (to[0] - from[0]) * at, from[1] + (to[1] - from[1]) * at});
    }
    return spots;
  }

  /**
   * A fault's label, centred on the first of {@code spots} where it covers no box and no earlier
   * label (on the first spot when every one does).
   */
  private void faultLabel(List<double[]> spots, String cls, String content) {
    double[] chosen = spots.get(0);
    for (double[] spot : spots) {
      Box box = labelBox(spot[0], spot[1], content);
      if (taken.stream().noneMatch(t -> t.overlaps(box, 2))) {
        chosen = spot;
        break;
      }
    }
    taken.add(labelBox(chosen[0], chosen[1], content));
    text(chosen[0], chosen[1] + 4, cls, content);
  }

  private static Box labelBox(double cx, double cy, String content) {
    double w = content.length() * CHAR;
    return new Box(cx - w / 2, cy - 8, w, 16);
  }

  private void text(double x, double y, String cls, String content) {
    svg.append("<text class=\"")
        .append(cls)
        .append("\" x=\"")
        .append(num(x))
        .append("\" y=\"")
        .append(num(y))
        .append("\">")
        .append(HtmlText.escape(content))
        .append("</text>");
  }

  private static List<String> sorted(Set<String> hosts) {
    return hosts.stream().sorted().toList();
  }

  static String word(DropMode mode) {
    return mode.name().toLowerCase(Locale.ROOT);
  }

  private static String num(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }
}
