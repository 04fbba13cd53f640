package io.datashard.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import io.datashard.Snapshot;
import io.datashard.Table;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "describe", sortOptions = false,
    description = {"Prints what a version of the table is.", "",
      "Location, version, timestamp, schema, partition columns, properties, number of data files, their size and"
          + " the number of rows."})
final class DescribeCommand extends BaseCommand {
  enum Format { text, json }

  @Parameters(index = "0", paramLabel = "TABLE", description = "The table directory.")
  String table;

  @Option(names = "--version", paramLabel = "N", description = "Describe version N instead of the latest.")
  Long version;

  @Option(names = "--as-of", paramLabel = "TIME", description = "Describe the version current at an ISO-8601"
      + " instant, e.g. 2024-01-02T03:04:05Z (no zone means UTC).")
  String asOf;

  @Option(names = "--format", paramLabel = "FORMAT", description = "text (default) or json (one object).")
  Format format = Format.text;

  @Override
  int execute() throws IOException {
    checkVersion(version);
    if (version != null && asOf != null) {
      throw new UserException("--version and --as-of are mutually exclusive");
    }
    try (Table t = open(table)) {
      Snapshot s = asOf != null ? t.snapshotAsOf(ScanCommand.parseInstant(asOf))
          : version == null ? t.currentSnapshot() : t.snapshot(version);
      long rows = s.rowCount().isPresent() ? s.rowCount().getAsLong() : t.newScan().useSnapshot(s.version()).count();
      Map<String, String> props = new TreeMap<>(s.properties());
      PrintWriter out = out();
      if (format == Format.json) {
        try (JsonGenerator g = CanonicalJson.generator(out)) {
          g.writeStartObject();
          g.writeStringField("location", t.location());
          g.writeNumberField("version", s.version());
          g.writeStringField("timestamp", Values.text(s.timestamp()));
          g.writeStringField("schema", s.schema().toText());
          g.writeArrayFieldStart("partitionColumns");
          for (String c : s.partitionColumns()) {
            g.writeString(c);
          }
          g.writeEndArray();
          g.writeObjectFieldStart("properties");
          for (Map.Entry<String, String> p : props.entrySet()) {
            g.writeStringField(p.getKey(), p.getValue());
          }
          g.writeEndObject();
          g.writeNumberField("files", s.fileCount());
          g.writeNumberField("sizeBytes", s.sizeBytes());
          g.writeNumberField("rows", rows);
          g.writeEndObject();
          g.writeRaw('\n');
        }
      } else {
        out.println("location:    " + t.location());
        out.println("version:     " + s.version());
        out.println("timestamp:   " + Values.text(s.timestamp()));
        out.println("schema:      " + s.schema().toText());
        out.println("partitions:  " + (s.partitionColumns().isEmpty() ? "(none)" : String.join(", ", s.partitionColumns())));
        out.println("properties:  " + (props.isEmpty() ? "(none)"
            : props.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "))));
        out.println("files:       " + s.fileCount());
        out.println("size:        " + s.sizeBytes() + " bytes" + human(s.sizeBytes()));
        out.println("rows:        " + rows);
      }
    }
    return Main.OK;
  }

  private static String human(long bytes) {
    if (bytes < 1024) {
      return "";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double v = bytes;
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format(java.util.Locale.ROOT, " (%.1f %s)", v, units[u]);
  }
}
