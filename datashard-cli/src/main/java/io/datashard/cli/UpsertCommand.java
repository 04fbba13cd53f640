package io.datashard.cli;

import io.datashard.CommitResult;
import io.datashard.InvalidRowException;
import io.datashard.StructType;
import io.datashard.Table;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "upsert",
    sortOptions = false,
    description = {
      "Inserts rows, replacing the rows that have the same key, as one commit.",
      "",
      "Rows are matched on the --key columns: a table row with the key of an input row is replaced by it (as a"
          + " whole: columns the input row leaves out become null), other input rows are inserted. Two input rows with the same key are refused (exit code 2, nothing written);"
          + " a null key never matches. Under concurrent writers the upsert re-plans on the newer version, so two"
          + " upserts of the same new key end with one row.",
      "",
      "Input as for 'append' (JSON rows or CSV with a header); all rows are held in memory.",
      "",
      "Examples:",
      "  datashard upsert /data/users --key id --json '{\"id\": 7, \"name\": \"Ann\"}'",
      "  datashard upsert /data/prices --key shop,sku --file prices.csv"
    })
final class UpsertCommand extends BaseCommand {
  @Parameters(index = "0", paramLabel = "TABLE", description = "The table directory.")
  String table;

  @Option(names = "--key", required = true, split = ",", paramLabel = "COLUMN", description = "The key columns,"
      + " comma-separated.")
  List<String> keys = new ArrayList<>();

  @Option(names = "--json", paramLabel = "JSON", description = "One row as a JSON object (repeatable).")
  List<String> json = new ArrayList<>();

  @Option(names = "--file", paramLabel = "FILE", description = "Rows from a file: .jsonl/.ndjson/.json or .csv;"
      + " '-' reads JSON Lines from stdin. Repeatable.")
  List<String> files = new ArrayList<>();

  @Override
  int execute() throws IOException {
    if (json.isEmpty() && files.isEmpty()) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "nothing to upsert: give --json and/or --file");
    }
    String[] keyColumns = keys.stream().map(String::strip).toArray(String[]::new);
    for (String k : keyColumns) {
      if (k.isEmpty()) {
        throw new UserException("--key: empty column name");
      }
    }
    List<RowInput.Format> formats = AppendCommand.formats(files);
    try (Table t = open(table)) {
      StructType schema = t.currentSnapshot().schema().asStruct();
      List<Map<String, Object>> rows = new ArrayList<>();
      List<RowSink.Origin> origins = new ArrayList<>();
      AppendCommand.readAll(new RowInput(schema, (row, origin) -> {
        rows.add(row);
        origins.add(origin);
      }), json, files, formats, main.stdin);
      if (rows.isEmpty()) {
        out().println("no rows to upsert; nothing committed");
        return Main.OK;
      }
      CommitResult r;
      try {
        r = t.upsert(rows, keyColumns);
      } catch (InvalidRowException e) {
        throw RowSink.located(e, origins);
      }
      out().println("upserted " + ExpressionArgs.plural(rows.size(), "row") + ExpressionArgs.outcome(r) + ": "
          + r.rowsInserted() + " inserted, " + r.rowsUpdated() + " updated");
    }
    return Main.OK;
  }
}
