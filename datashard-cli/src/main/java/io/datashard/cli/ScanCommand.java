package io.datashard.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import io.datashard.CloseableIterator;
import io.datashard.DataType;
import io.datashard.DecimalType;
import io.datashard.Field;
import io.datashard.PrimitiveType;
import io.datashard.Row;
import io.datashard.Scan;
import io.datashard.ScanReport;
import io.datashard.Schema;
import io.datashard.Table;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "scan",
    sortOptions = false,
    description = {
      "Prints the rows of the latest or a given version.",
      "",
      "Rows are streamed file by file. Formats: table (aligned columns for humans; widths from the first "
          + TextTable.SAMPLE + " rows, long cells cut), jsonl (canonical JSON rows, one per line, accepted back by"
          + " 'append'), csv (a header line; null is an empty field, an empty string is \"\"; nested values as"
          + " canonical JSON text)."
    })
final class ScanCommand extends BaseCommand {
  enum Format { table, jsonl, csv }

  @Parameters(index = "0", paramLabel = "TABLE", description = "The table directory.")
  String table;

  @Option(names = "--select", split = ",", paramLabel = "COLUMN", description = "Only these columns, in this order.")
  List<String> select = new ArrayList<>();

  @Option(names = "--where", paramLabel = "CONDITION", description = "Only rows for which it is true, e.g."
      + " \"kind = 'a' AND amount > 10\" (syntax: see 'datashard delete --help').")
  String where;

  @Option(names = "--version", paramLabel = "N", description = "Read version N (time travel).")
  Long version;

  @Option(names = "--as-of", paramLabel = "TIME", description = "Read the version current at an ISO-8601 instant,"
      + " e.g. 2024-01-02T03:04:05Z (no zone means UTC).")
  String asOf;

  @Option(names = "--format", paramLabel = "FORMAT", description = "table (default), jsonl or csv.")
  Format format = Format.table;

  @Option(names = "--limit", paramLabel = "N", description = "At most N rows.")
  Long limit;

  @Option(names = "--explain", description = "Run the scan without printing rows; report what it read and skipped."
      + " The last line is one JSON object: {\"filesTotal\":..,\"filesSkipped\":..,\"rowGroupsTotal\":..,"
      + "\"rowGroupsSkipped\":..,\"bytesRead\":..,\"rowsReturned\":..,\"version\":..,\"durationMs\":..}.")
  boolean explain;

  @Override
  int execute() throws IOException {
    checkVersion(version);
    if (version != null && asOf != null) {
      throw new UserException("--version and --as-of are mutually exclusive");
    }
    if (limit != null && limit < 0) {
      throw new UserException("--limit must not be negative, got " + limit);
    }
    Instant instant = asOf == null ? null : parseInstant(asOf);
    io.datashard.Expression condition = where == null ? null : ExpressionArgs.where(where);
    try (Table t = open(table)) {
      Scan scan = t.newScan();
      if (condition != null) {
        scan = scan.where(condition);
      }
      if (version != null) {
        scan = scan.useSnapshot(version);
      }
      if (instant != null) {
        scan = scan.asOf(instant);
      }
      if (!select.isEmpty()) {
        scan = scan.select(select.stream().map(String::strip).toList());
      }
      if (limit != null) {
        scan = scan.limit(limit);
      }
      PrintWriter out = out();
      if (explain) {
        explain(scan, condition, out);
        return Main.OK;
      }
      Schema schema = scan.schema();
      try (CloseableIterator<Row> rows = scan.iterator()) {
        switch (format) {
          case jsonl: jsonl(rows, out); break;
          case csv: csv(schema, rows, out); break;
          default: table(schema, rows, out); break;
        }
      }
    }
    return Main.OK;
  }

  private static void explain(Scan scan, io.datashard.Expression condition, PrintWriter out) {
    ScanReport r = scan.explain();
    out.println("version:            " + r.version());
    out.println("predicate:          " + (condition == null ? "(none)" : condition.toText()));
    out.println("data files:         " + r.filesTotal() + " (" + r.filesSkipped()
        + " skipped by partition values and file statistics)");
    out.println("row groups read:    " + (r.rowGroupsTotal() - r.rowGroupsSkipped()) + " of " + r.rowGroupsTotal()
        + " in the files opened (" + r.rowGroupsSkipped() + " skipped by column statistics, dictionaries, bloom filters)");
    out.println("bytes read:         " + r.bytesRead());
    out.println("rows returned:      " + r.rowsReturned());
    out.println("time:               " + r.duration().toMillis() + " ms");
    out.println(r.toJson());
  }

  /** An instant from ISO-8601 with Z or an offset, or a local date-time or date taken as UTC. */
  static Instant parseInstant(String text) {
    String t = text.strip();
    try {
      return Values.timestamp(t);
    } catch (Values.ValueException e) {
      try {
        return Values.timestampNtz(t).toInstant(java.time.ZoneOffset.UTC);
      } catch (Values.ValueException e2) {
        try {
          return Values.date(t).atStartOfDay().toInstant(java.time.ZoneOffset.UTC);
        } catch (Values.ValueException e3) {
          throw new UserException("--as-of: '" + text + "' is not an ISO-8601 instant (e.g. 2024-01-02T03:04:05Z)");
        }
      }
    }
  }

  /** True when the reader of the output went away (a closed pipe): stop scanning. */
  private static boolean broken(PrintWriter out, long n) {
    return (n & 1023) == 0 && out.checkError();
  }

  private static void jsonl(CloseableIterator<Row> rows, PrintWriter out) throws IOException {
    try (JsonGenerator g = CanonicalJson.generator(out)) {
      long n = 0;
      while (rows.hasNext()) {
        CanonicalJson.writeRowLine(g, rows.next());
        if (broken(out, ++n)) {
          return;
        }
      }
    }
  }

  /**
   * CSV (RFC 4180 with \n line ends): a header line, then one line per row; a null is an empty field, an empty string is
   * {@code ""}; fields with a comma, quote, line break or surrounding spaces are quoted.
   */
  private static void csv(Schema schema, CloseableIterator<Row> rows, PrintWriter out) {
    List<Field> fields = schema.fields();
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < fields.size(); i++) {
      if (i > 0) {
        line.append(',');
      }
      csvField(line, fields.get(i).name());
    }
    out.print(line.append('\n'));
    long n = 0;
    while (rows.hasNext()) {
      Row row = rows.next();
      line.setLength(0);
      for (int i = 0; i < fields.size(); i++) {
        if (i > 0) {
          line.append(',');
        }
        String cell = CanonicalJson.cellText(fields.get(i).type(), row.get(i));
        if (cell != null) {
          csvField(line, cell);
        }
      }
      out.print(line.append('\n'));
      if (broken(out, ++n)) {
        return;
      }
    }
  }

  static void csvField(StringBuilder sb, String s) {
    boolean quote = s.isEmpty() || Character.isWhitespace(s.charAt(0)) || Character.isWhitespace(s.charAt(s.length() - 1));
    for (int i = 0; i < s.length() && !quote; i++) {
      char c = s.charAt(i);
      quote = c == ',' || c == '"' || c == '\n' || c == '\r';
    }
    if (!quote) {
      sb.append(s);
      return;
    }
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"') {
        sb.append('"');
      }
      sb.append(c);
    }
    sb.append('"');
  }

  private static void table(Schema schema, CloseableIterator<Row> rows, PrintWriter out) {
    List<Field> fields = schema.fields();
    boolean[] right = new boolean[fields.size()];
    for (int i = 0; i < right.length; i++) {
      right[i] = isNumeric(fields.get(i).type());
    }
    TextTable tt = new TextTable(out, schema.fieldNames(), right);
    long n = 0;
    while (rows.hasNext()) {
      Row row = rows.next();
      String[] cells = new String[fields.size()];
      for (int i = 0; i < cells.length; i++) {
        cells[i] = CanonicalJson.cellText(fields.get(i).type(), row.get(i));
      }
      tt.add(cells);
      if (broken(out, ++n)) {
        return;
      }
    }
    tt.finish("row");
  }

  static boolean isNumeric(DataType t) {
    return t instanceof DecimalType || t == PrimitiveType.LONG || t == PrimitiveType.INTEGER || t == PrimitiveType.SHORT
        || t == PrimitiveType.BYTE || t == PrimitiveType.FLOAT || t == PrimitiveType.DOUBLE;
  }
}
