package dev.netns.junit;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A history in Jepsen's EDN form: one operation map per line, in time order, with {@code :type},
 * {@code :f}, {@code :value}, {@code :process}, {@code :time} (nanoseconds from the history's
 * start) and {@code :index}, which Knossos ({@code knossos.cli}, which reads a file of maps) and
 * jepsen.history read.
 *
 * <p>The mapping (docs/histories.md shows it with an example):
 *
 * <ul>
 *   <li>an operation is an {@code :invoke} and, once it completes, an {@code :ok}, {@code :fail} or
 *       {@code :info}; one still pending has only its invocation;
 *   <li>{@code :f} is the function's name in lower case with hyphens ({@code READ} is {@code
 *       :read}, {@code COMPARE_AND_SET} is {@code :compare-and-set});
 *   <li>{@code :value} is the argument on the invocation, and on an ok completion the result when
 *       the operation has no argument (a read), else the argument; a result besides an argument
 *       goes in {@code :result}. A {@link Models.Cas} is {@code [expected value]}; a {@link
 *       Models.Op#CAS} whose result is {@code false} completes as {@code :fail}, as Jepsen's
 *       clients record a compare-and-set that did not apply;
 *   <li>with a key, {@code :value} is the tuple {@code [key value]} of {@code jepsen.independent};
 *   <li>a process whose operation ended in {@code :info} (or never ended) never invokes again in
 *       Jepsen: its later operations get the number {@code process + n}, then {@code + 2n} and so
 *       on, where n is one more than the highest process number, as Jepsen's {@code process +
 *       concurrency};
 *   <li>faults are nemesis operations ({@code :process :nemesis}, {@code :type :info}, a pair for
 *       each as Jepsen's nemesis writes them): {@code :f :start} and {@code :f :stop} around an
 *       interval, {@code :f :fault} for an instant; the {@code :value} is the description.
 * </ul>
 */
final class JepsenEdn {
  private JepsenEdn() {}

  /** One line of the export before its index is known. */
  private record Line(long time, int rank, long order, String body) {}

  static String render(List<Operation> operations, List<History.FaultEvent> faults) {
    int n = 1;
    for (Operation op : operations) {
      n = Math.max(n, op.process() + 1);
    }
    List<Operation> byInvocation = new ArrayList<>(operations);
    byInvocation.sort(Comparator.comparingLong(Operation::invokedNanos));
    Map<Integer, Integer> crashes = new HashMap<>();
    List<Line> lines = new ArrayList<>();
    long order = 0;
    for (Operation op : byInvocation) {
      int crashed = crashes.getOrDefault(op.process(), 0);
      String process = Long.toString(op.process() + (long) crashed * n);
      String f = keyword(op.function());
      lines.add(
          new Line(
              op.invokedNanos(),
              0,
              order++,
              op("invoke", f, value(op, op.argument()), process, "")));
      boolean pending = op.completedNanos() == Long.MAX_VALUE;
      if (pending || op.outcome() == Operation.Outcome.INFO) {
        crashes.put(op.process(), crashed + 1);
      }
      if (!pending) {
        lines.add(new Line(op.completedNanos(), 1, order++, completion(op, f, process)));
      }
    }
    for (History.FaultEvent fault : faults) {
      String value = edn(fault.description());
      if (fault.isInstant()) {
        for (int i = 0; i < 2; i++) {
          lines.add(
              new Line(fault.atNanos(), 0, order++, op("info", ":fault", value, ":nemesis", "")));
        }
        continue;
      }
      for (int i = 0; i < 2; i++) {
        lines.add(
            new Line(fault.atNanos(), 0, order++, op("info", ":start", value, ":nemesis", "")));
      }
      if (fault.healedNanos() != Long.MAX_VALUE) {
        for (int i = 0; i < 2; i++) {
          lines.add(
              new Line(
                  fault.healedNanos(), 0, order++, op("info", ":stop", value, ":nemesis", "")));
        }
      }
    }
    // Time order; at one instant invocations before completions, the weaker claim (concurrent).
    lines.sort(
        Comparator.comparingLong(Line::time)
            .thenComparingInt(Line::rank)
            .thenComparingLong(Line::order));
    StringBuilder out = new StringBuilder();
    int index = 0;
    for (Line line : lines) {
      out.append(line.body())
          .append(", :time ")
          .append(line.time())
          .append(", :index ")
          .append(index++)
          .append("}\n");
    }
    return out.toString();
  }

  private static String completion(Operation op, String f, String process) {
    return switch (op.outcome()) {
      case OK -> {
        if (op.function() == Models.Op.CAS && Boolean.FALSE.equals(op.result())) {
          yield op("fail", f, value(op, op.argument()), process, "");
        }
        if (op.argument() == null) {
          yield op("ok", f, value(op, op.result()), process, "");
        }
        String result = op.result() == null ? "" : ", :result " + edn(op.result());
        yield op("ok", f, value(op, op.argument()), process, result);
      }
      case FAIL -> op("fail", f, value(op, op.argument()), process, "");
      case INFO -> op("info", f, value(op, op.argument()), process, "");
    };
  }

  /** The start of a map, up to (without) {@code :time}. */
  private static String op(String type, String f, String value, String process, String extra) {
    return "{:type :" + type + ", :f " + f + ", :value " + value + extra + ", :process " + process;
  }

  private static String value(Operation op, Object value) {
    return op.key() == null ? edn(value) : "[" + edn(op.key()) + " " + edn(value) + "]";
  }

  static String keyword(Enum<?> e) {
    return ":" + e.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** An EDN literal for a Java value: numbers, strings, booleans, nil, collections, keywords. */
  static String edn(Object value) {
    if (value == null) {
      return "nil";
    }
    if (value instanceof Boolean
        || value instanceof Integer
        || value instanceof Long
        || value instanceof Short
        || value instanceof Byte
        || value instanceof java.math.BigInteger) {
      return value.toString();
    }
    if (value instanceof Double || value instanceof Float) {
      double d = ((Number) value).doubleValue();
      if (Double.isNaN(d)) {
        return "##NaN";
      }
      if (Double.isInfinite(d)) {
        return d > 0 ? "##Inf" : "##-Inf";
      }
      return Double.toString(d);
    }
    if (value instanceof Enum<?> e) {
      return keyword(e);
    }
    if (value instanceof Models.Cas cas) {
      return "[" + edn(cas.expected()) + " " + edn(cas.value()) + "]";
    }
    if (value instanceof Set<?> set) {
      // Sorted by their text: a set's order is not the history's, and the export is stable.
      List<String> items = new ArrayList<>();
      set.forEach(item -> items.add(edn(item)));
      items.sort(Comparator.naturalOrder());
      return "#{" + String.join(" ", items) + "}";
    }
    if (value instanceof Collection<?> list) {
      List<String> items = new ArrayList<>();
      list.forEach(item -> items.add(edn(item)));
      return "[" + String.join(" ", items) + "]";
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, String> entries = new TreeMap<>();
      map.forEach((k, v) -> entries.put(edn(k), edn(v)));
      List<String> items = new ArrayList<>();
      entries.forEach((k, v) -> items.add(k + " " + v));
      return "{" + String.join(", ", items) + "}";
    }
    return string(value.toString());
  }

  private static String string(String text) {
    StringBuilder s = new StringBuilder("\"");
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> s.append("\\\"");
        case '\\' -> s.append("\\\\");
        case '\n' -> s.append("\\n");
        case '\r' -> s.append("\\r");
        case '\t' -> s.append("\\t");
        default -> s.append(c);
      }
    }
    return s.append('"').toString();
  }
}
