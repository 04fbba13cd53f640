package io.datashard.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The table a workload prints: one line per system and setup, DataShard's line first, each
 * peer's figure and the ratio "DataShard ÷ peer" in the direction where above 1 means DataShard
 * is better (throughput: ours/theirs; latency: theirs/ours). Printed as Markdown, so that it can
 * go into BENCHMARKS.md as is.
 */
final class Report {
  /** One measured figure. {@code higherIsBetter}: throughput (true) or latency (false). */
  record Line(String group, String system, String setup, double value, String unit, boolean higherIsBetter,
      String check) {}

  private final String title;
  private final List<Line> lines = new ArrayList<>();

  Report(String title) {
    this.title = title;
  }

  void add(Line line) {
    lines.add(line);
    System.out.println("  " + line.group() + " | " + line.system() + " " + line.setup() + ": "
        + (Double.isNaN(line.value()) ? "-" : number(line.value()) + " " + line.unit()) + " | " + line.check());
  }

  List<Line> lines() {
    return List.copyOf(lines);
  }

  /**
   * DataShard's advantage over a peer: ours/theirs for throughput, theirs/ours for latency;
   * NaN when either figure is missing.
   */
  static double advantage(double ours, double theirs, boolean higherIsBetter) {
    if (Double.isNaN(ours) || Double.isNaN(theirs) || ours <= 0 || theirs <= 0) {
      return Double.NaN;
    }
    return higherIsBetter ? ours / theirs : theirs / ours;
  }

  /** A ratio as text: two significant digits below 10, whole numbers above, "-" if missing. */
  static String ratio(double r) {
    if (Double.isNaN(r)) {
      return "-";
    }
    if (r >= 10) {
      return String.format(Locale.ROOT, "%,.0fx", r);
    }
    return String.format(Locale.ROOT, "%.2gx", r);
  }

  /** A figure: thousands separators, at most 3 significant decimals for small values. */
  static String number(double v) {
    if (Double.isNaN(v)) {
      return "-";
    }
    double a = Math.abs(v);
    if (a >= 1000) {
      return String.format(Locale.ROOT, "%,.0f", v);
    }
    if (a >= 100) {
      return String.format(Locale.ROOT, "%.0f", v);
    }
    if (a >= 10) {
      return String.format(Locale.ROOT, "%.1f", v);
    }
    return String.format(Locale.ROOT, "%.3g", v);
  }

  /** The Markdown table: per group, our line and each peer's with the ratio. */
  String markdown() {
    StringBuilder sb = new StringBuilder();
    sb.append("### ").append(title).append("\n\n");
    sb.append("| case | system | figure | DataShard ÷ peer (>1: DataShard better) | check |\n");
    sb.append("|---|---|---|---|---|\n");
    List<String> groups = lines.stream().map(Line::group).distinct().toList();
    for (String g : groups) {
      List<Line> in = lines.stream().filter(l -> l.group().equals(g)).toList();
      Line ours = in.stream().filter(l -> l.system().equals("DataShard")).findFirst().orElse(null);
      for (Line l : in) {
        String r = ours == null || l == ours ? "" : ratio(advantage(ours.value(), l.value(), l.higherIsBetter()));
        String system = l.setup().isEmpty() ? l.system() : l.system() + " (" + l.setup() + ")";
        String fig = Double.isNaN(l.value()) ? "-" : number(l.value()) + " " + l.unit();
        sb.append("| ").append(g).append(" | ").append(system).append(" | ").append(fig).append(" | ").append(r)
            .append(" | ").append(l.check()).append(" |\n");
      }
    }
    return sb.toString();
  }
}
