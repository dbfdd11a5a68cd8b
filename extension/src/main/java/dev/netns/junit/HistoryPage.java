package dev.netns.junit;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A history drawn as a self-contained HTML page: inline SVG and CSS, no script, font or anything
 * else fetched. One lane per process; an operation is a bar from its invocation to its completion
 * (green ok, grey fail, amber and open to the right for info: it may take effect at any later
 * time); faults are shaded across every lane; with a check result, the operation that could not be
 * linearized is outlined in red and those concurrent with it in orange. Each bar's and fault's
 * {@code <title>} is the hover text with its details.
 */
final class HistoryPage {
  static final int MIN_WIDTH = 1200;
  static final int MAX_WIDTH = 30_000;
  private static final int LEFT = 70;
  private static final int RIGHT = 20;
  private static final int TOP = 46;
  private static final int LANE = 26;
  private static final int BAR = 16;

  private HistoryPage() {}

  static String render(
      List<Operation> operations, List<History.FaultEvent> faults, Optional<CheckResult> result) {
    Set<Integer> processes = new TreeSet<>();
    Map<Integer, Integer> perLane = new HashMap<>();
    long end = 1;
    for (Operation op : operations) {
      processes.add(op.process());
      perLane.merge(op.process(), 1, Integer::sum);
      end = Math.max(end, op.invokedNanos());
      if (op.completedNanos() != Long.MAX_VALUE) {
        end = Math.max(end, op.completedNanos());
      }
    }
    for (History.FaultEvent f : faults) {
      end = Math.max(end, f.atNanos());
      if (f.healedNanos() != Long.MAX_VALUE) {
        end = Math.max(end, f.healedNanos());
      }
    }
    int busiest = perLane.values().stream().mapToInt(Integer::intValue).max().orElse(0);
    int width = (int) Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, busiest * 8L));
    Scale scale = new Scale(end, width);
    Map<Integer, Integer> lane = new HashMap<>();
    for (int p : processes) {
      lane.put(p, lane.size());
    }
    int height = TOP + Math.max(1, lane.size()) * LANE + 10;

    StringBuilder page = new StringBuilder();
    page.append("<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n")
        .append("<head><meta charset=\"utf-8\"/><title>netns: history</title>\n<style>")
        .append(STYLE)
        .append("</style></head>\n<body>\n<h1>History</h1>\n<p class=\"summary\">")
        .append(operations.size())
        .append(" operations by ")
        .append(processes.size())
        .append(processes.size() == 1 ? " process, " : " processes, ")
        .append(faults.size())
        .append(faults.size() == 1 ? " fault, " : " faults, ")
        .append("over ")
        .append(millis(end))
        .append(".</p>\n");
    result.ifPresent(
        r ->
            page.append("<p class=\"verdict ")
                .append(r.verdict().name().toLowerCase(Locale.ROOT))
                .append("\">")
                .append(esc(r.toString().lines().findFirst().orElse("")))
                .append("</p>\n"));
    page.append("<p class=\"legend\">")
        .append(LEGEND)
        .append("</p>\n<div class=\"scroll\">\n<svg xmlns=\"http://www.w3.org/2000/svg\"")
        .append(" class=\"history\" width=\"")
        .append(width)
        .append("\" height=\"")
        .append(height)
        .append("\" viewBox=\"0 0 ")
        .append(width)
        .append(' ')
        .append(height)
        .append("\">\n<defs><linearGradient id=\"open\" x1=\"0\" x2=\"1\" y1=\"0\" y2=\"0\">")
        .append("<stop offset=\"0\" stop-color=\"#f0b429\"/>")
        .append("<stop offset=\"1\" stop-color=\"#f0b429\" stop-opacity=\"0.05\"/>")
        .append("</linearGradient></defs>\n");
    axis(page, scale, width, height);
    for (History.FaultEvent f : faults) {
      fault(page, f, scale, height);
    }
    for (Map.Entry<Integer, Integer> e : lane.entrySet()) {
      int y = TOP + e.getValue() * LANE;
      page.append("<text class=\"lane\" x=\"8\" y=\"")
          .append(y + BAR - 3)
          .append("\">p")
          .append(e.getKey())
          .append("</text>\n");
    }
    Set<Operation> unplaceable = new java.util.HashSet<>();
    Set<Operation> concurrent = new java.util.HashSet<>();
    result.ifPresent(
        r -> {
          r.unplaceable().ifPresent(unplaceable::add);
          concurrent.addAll(r.concurrent());
        });
    for (Operation op : operations) {
      String mark =
          unplaceable.contains(op) ? " unplaceable" : concurrent.contains(op) ? " concurrent" : "";
      bar(page, op, scale, TOP + lane.get(op.process()) * LANE, mark);
    }
    page.append("</svg>\n</div>\n");
    result.ifPresent(
        r ->
            page.append("<h2>Verdict</h2>\n<pre class=\"explanation\">")
                .append(esc(r.toString()))
                .append("</pre>\n"));
    page.append("<h2>Faults</h2>\n<ul class=\"faults\">\n");
    if (faults.isEmpty()) {
      page.append("<li>none recorded</li>\n");
    }
    for (History.FaultEvent f : faults) {
      page.append("<li>").append(esc(faultText(f))).append("</li>\n");
    }
    page.append("</ul>\n</body>\n</html>\n");
    return page.toString();
  }

  /** Maps nanoseconds from the history's start to x. */
  private record Scale(long end, int width) {
    double x(long nanos) {
      return LEFT + (double) Math.min(nanos, end) / end * (width - LEFT - RIGHT);
    }
  }

  private static void axis(StringBuilder page, Scale scale, int width, int height) {
    double step = niceStep(scale.end() / 1e6 / Math.max(4, (width - LEFT) / 150));
    page.append("<g class=\"axis\">\n");
    for (double ms = 0; ms * 1e6 <= scale.end(); ms += step) {
      double x = scale.x((long) (ms * 1e6));
      page.append("<line x1=\"")
          .append(fmt(x))
          .append("\" y1=\"")
          .append(TOP - 8)
          .append("\" x2=\"")
          .append(fmt(x))
          .append("\" y2=\"")
          .append(height - 6)
          .append("\"/><text x=\"")
          .append(fmt(x))
          .append("\" y=\"")
          .append(TOP - 12)
          .append("\">")
          .append(trimZeros(ms))
          .append(" ms</text>\n");
    }
    page.append("</g>\n");
  }

  private static void fault(StringBuilder page, History.FaultEvent f, Scale scale, int height) {
    double from = scale.x(f.atNanos());
    if (f.isInstant()) {
      page.append("<line class=\"fault-instant\" x1=\"")
          .append(fmt(from))
          .append("\" y1=\"")
          .append(TOP - 4)
          .append("\" x2=\"")
          .append(fmt(from))
          .append("\" y2=\"")
          .append(height - 4)
          .append("\"><title>")
          .append(esc(faultText(f)))
          .append("</title></line>\n");
      return;
    }
    double to = scale.x(f.healedNanos());
    page.append("<rect class=\"fault\" x=\"")
        .append(fmt(from))
        .append("\" y=\"")
        .append(TOP - 4)
        .append("\" width=\"")
        .append(fmt(Math.max(1, to - from)))
        .append("\" height=\"")
        .append(height - TOP)
        .append("\"><title>")
        .append(esc(faultText(f)))
        .append("</title></rect>\n<text class=\"fault-label\" x=\"")
        .append(fmt(from + 3))
        .append("\" y=\"")
        .append(TOP + 8 - LANE / 2)
        .append("\">")
        .append(esc(f.description()))
        .append("</text>\n");
  }

  private static void bar(StringBuilder page, Operation op, Scale scale, int y, String mark) {
    double from = scale.x(op.invokedNanos());
    boolean open = op.outcome() == Operation.Outcome.INFO;
    double to = open ? scale.width() - RIGHT : scale.x(op.completedNanos());
    double width = Math.max(2, to - from);
    page.append("<rect class=\"op ")
        .append(op.outcome().name().toLowerCase(Locale.ROOT))
        .append(mark)
        .append("\" x=\"")
        .append(fmt(from))
        .append("\" y=\"")
        .append(y)
        .append("\" width=\"")
        .append(fmt(width))
        .append("\" height=\"")
        .append(BAR)
        .append("\"><title>")
        .append(esc(op.toString() + (mark.isEmpty() ? "" : " (" + mark.trim() + ")")))
        .append("</title></rect>\n");
    String label = label(op);
    if (width >= 7 * label.length() + 6) {
      page.append("<text class=\"op-label\" x=\"")
          .append(fmt(from + 3))
          .append("\" y=\"")
          .append(y + BAR - 4)
          .append("\">")
          .append(esc(label))
          .append("</text>\n");
    }
  }

  /** The short text on a bar, for example {@code WRITE x 3} or {@code READ x → 3}. */
  private static String label(Operation op) {
    StringBuilder s = new StringBuilder(op.function().name());
    if (op.key() != null) {
      s.append(' ').append(op.key());
    }
    if (op.argument() != null) {
      s.append(' ').append(op.argument());
    }
    if (op.resultKnown() && op.result() != null) {
      s.append(" \u2192 ").append(op.result());
    }
    return s.toString();
  }

  private static String faultText(History.FaultEvent f) {
    if (f.isInstant()) {
      return f.description() + " at " + millis(f.atNanos());
    }
    return f.description()
        + " from "
        + millis(f.atNanos())
        + (f.healedNanos() == Long.MAX_VALUE
            ? ", never healed"
            : " until " + millis(f.healedNanos()));
  }

  private static String millis(long nanos) {
    return String.format(Locale.ROOT, "%.3f ms", nanos / 1e6);
  }

  private static double niceStep(double raw) {
    double magnitude = Math.pow(10, Math.floor(Math.log10(Math.max(raw, 1e-6))));
    for (double m : new double[] {1, 2, 5, 10}) {
      if (m * magnitude >= raw) {
        return m * magnitude;
      }
    }
    return 10 * magnitude;
  }

  private static String trimZeros(double ms) {
    String s = String.format(Locale.ROOT, "%.6f", ms);
    s = s.replaceAll("0+$", "");
    return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }

  /** Text made safe for XHTML text and attribute values. */
  static String esc(String text) {
    StringBuilder s = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> s.append("&amp;");
        case '<' -> s.append("&lt;");
        case '>' -> s.append("&gt;");
        case '"' -> s.append("&quot;");
        case '\'' -> s.append("&#39;");
        default -> {
          if (c < 0x20 && c != '\n' && c != '\t') {
            s.append('?');
          } else {
            s.append(c);
          }
        }
      }
    }
    return s.toString();
  }

  private static final String STYLE =
      "body{font-family:DejaVu Sans,Helvetica,Arial,sans-serif;margin:1.5em;color:#1b1b1b}"
          + "pre,code{font-family:DejaVu Sans Mono,monospace}"
          + "div.scroll{overflow-x:auto;border:1px solid #d0d7de}"
          + "svg.history{background:#fff;display:block}"
          + "svg text{font-size:11px}"
          + "svg .lane{font-size:12px;font-weight:bold;fill:#33475b}"
          + "svg .axis line{stroke:#e4e8ec;stroke-width:1}"
          + "svg .axis text{fill:#666;text-anchor:middle}"
          + "svg .op{stroke:#33475b;stroke-width:.5}"
          + "svg .op.ok{fill:#8fd19e}"
          + "svg .op.fail{fill:#c8c8c8}"
          + "svg .op.info{fill:url(#open);stroke-dasharray:4 2}"
          + "svg .op.unplaceable{stroke:#c00000;stroke-width:3}"
          + "svg .op.concurrent{stroke:#e07000;stroke-width:2}"
          + "svg .op-label{fill:#1b1b1b;pointer-events:none}"
          + "svg .fault{fill:#d7263d;fill-opacity:.14;stroke:#d7263d;stroke-opacity:.4}"
          + "svg .fault-instant{stroke:#d7263d;stroke-width:2}"
          + "svg .fault-label{fill:#a01020;font-weight:bold}"
          + "p.verdict{font-weight:bold}"
          + "p.verdict.illegal{color:#c00000}"
          + "p.verdict.unknown{color:#8a4b00}"
          + "p.verdict.linearizable{color:#1a7f37}"
          + ".swatch{display:inline-block;width:2.2em;height:.9em;vertical-align:middle;"
          + "margin:0 .3em 0 1em;border:1px solid #33475b}"
          + "pre.explanation{background:#f6f8fa;padding:.5em;overflow-x:auto}";

  private static final String LEGEND =
      "<span class=\"swatch\" style=\"background:#8fd19e\"></span>ok"
          + "<span class=\"swatch\" style=\"background:#c8c8c8\"></span>fail"
          + "<span class=\"swatch\" style=\"background:#f0b429;border-style:dashed\"></span>"
          + "info (outcome unknown, open-ended)"
          + "<span class=\"swatch\" style=\"background:#fbe0e3\"></span>fault in force"
          + "<span class=\"swatch\" style=\"border:3px solid #c00000\"></span>could not be"
          + " linearized"
          + "<span class=\"swatch\" style=\"border:2px solid #e07000\"></span>concurrent with it";
}
