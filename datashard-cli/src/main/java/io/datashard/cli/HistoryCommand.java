package io.datashard.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import io.datashard.HistoryEntry;
import io.datashard.Table;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "history", sortOptions = false,
    description = {"Prints the commits of the table, newest first.", "",
      "One line per commit of the retained log: version, timestamp, operation and its parameters."})
final class HistoryCommand extends BaseCommand {
  enum Format { table, jsonl }

  @Parameters(index = "0", paramLabel = "TABLE", description = "The table directory.")
  String table;

  @Option(names = "--format", paramLabel = "FORMAT", description = "table (default) or jsonl.")
  Format format = Format.table;

  @Option(names = "--limit", paramLabel = "N", description = "Only the newest N commits.")
  Integer limit;

  @Override
  int execute() throws IOException {
    if (limit != null && limit < 0) {
      throw new UserException("--limit must not be negative, got " + limit);
    }
    try (Table t = open(table)) {
      List<HistoryEntry> entries = t.history();
      if (limit != null && entries.size() > limit) {
        entries = entries.subList(0, limit);
      }
      PrintWriter out = out();
      if (format == Format.jsonl) {
        try (JsonGenerator g = CanonicalJson.generator(out)) {
          for (HistoryEntry e : entries) {
            g.writeStartObject();
            g.writeNumberField("version", e.version());
            g.writeStringField("timestamp", Values.text(e.timestamp()));
            g.writeStringField("operation", e.operation());
            g.writeObjectFieldStart("parameters");
            for (Map.Entry<String, String> p : new TreeMap<>(e.operationParameters()).entrySet()) {
              g.writeStringField(p.getKey(), p.getValue());
            }
            g.writeEndObject();
            g.writeEndObject();
            g.writeRaw('\n');
          }
        }
      } else {
        TextTable tt = new TextTable(out, List.of("version", "timestamp", "operation", "parameters"),
            new boolean[] {true, false, false, false});
        for (HistoryEntry e : entries) {
          String params = new TreeMap<>(e.operationParameters()).entrySet().stream()
              .map(p -> p.getKey() + "=" + p.getValue()).collect(Collectors.joining(", "));
          tt.add(new String[] {Long.toString(e.version()), Values.text(e.timestamp()), e.operation(), params});
        }
        tt.finish("commit");
      }
    }
    return Main.OK;
  }
}
