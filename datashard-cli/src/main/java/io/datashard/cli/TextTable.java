package io.datashard.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * Aligned columns for humans. Column widths come from the header and the first {@value #SAMPLE}
 * rows; later rows are printed with those widths as they arrive (so output streams and memory stays
 * bounded). Cells wider than {@value #MAX_WIDTH} characters, or than the width chosen, are cut with
 * an ellipsis; line breaks and tabs are shown as {@code \n} and {@code \t}.
 */
final class TextTable {
  static final int SAMPLE = 1000;
  static final int MAX_WIDTH = 48;

  private final PrintWriter out;
  private final List<String> header;
  private final boolean[] rightAligned;
  private final List<String[]> pending = new ArrayList<>();
  private int[] widths;
  private long rows;

  /**
   * @param rightAligned per column, whether to right-align (numbers)
   */
  TextTable(PrintWriter out, List<String> header, boolean[] rightAligned) {
    this.out = out;
    this.header = header;
    this.rightAligned = rightAligned;
  }

  /** Adds a row; null cells print as {@code null}. */
  void add(String[] cells) {
    rows++;
    String[] clean = new String[cells.length];
    for (int i = 0; i < cells.length; i++) {
      clean[i] = clean(cells[i]);
    }
    if (widths == null) {
      pending.add(clean);
      if (pending.size() >= SAMPLE) {
        start();
      }
    } else {
      print(clean);
    }
  }

  /** Prints what is buffered and a footer line with the row count. */
  void finish(String what) {
    if (widths == null) {
      start();
    }
    out.println("(" + rows + " " + what + (rows == 1 ? "" : "s") + ")");
  }

  long rows() {
    return rows;
  }

  private void start() {
    widths = new int[header.size()];
    for (int i = 0; i < widths.length; i++) {
      widths[i] = Math.min(MAX_WIDTH, Math.max(1, header.get(i).length()));
    }
    for (String[] r : pending) {
      for (int i = 0; i < widths.length; i++) {
        widths[i] = Math.max(widths[i], Math.min(MAX_WIDTH, r[i].length()));
      }
    }
    print(header.toArray(new String[0]));
    StringBuilder rule = new StringBuilder();
    for (int i = 0; i < widths.length; i++) {
      if (i > 0) {
        rule.append("-+-");
      }
      rule.append("-".repeat(widths[i]));
    }
    out.println(rule);
    for (String[] r : pending) {
      print(r);
    }
    pending.clear();
  }

  private void print(String[] cells) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < widths.length; i++) {
      if (i > 0) {
        sb.append(" | ");
      }
      String c = cells[i];
      if (c.length() > widths[i]) {
        c = c.substring(0, Math.max(0, widths[i] - 1)) + "…";
      }
      String pad = " ".repeat(widths[i] - c.length());
      if (rightAligned[i]) {
        sb.append(pad).append(c);
      } else {
        sb.append(c);
        if (i < widths.length - 1) {
          sb.append(pad);
        }
      }
    }
    out.println(sb);
  }

  private static String clean(String s) {
    if (s == null) {
      return "null";
    }
    if (s.indexOf('\n') < 0 && s.indexOf('\r') < 0 && s.indexOf('\t') < 0) {
      return s;
    }
    return s.replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t");
  }
}
