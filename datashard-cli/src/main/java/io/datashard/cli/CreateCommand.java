package io.datashard.cli;

import io.datashard.Schema;
import io.datashard.Table;
import io.datashard.TableDefinition;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "create",
    sortOptions = false,
    description = {
      "Creates an empty table (version 0).",
      "",
      "SCHEMA is comma-separated 'name type [not null]' entries. Types: string, long, integer, short, byte, float,"
          + " double, boolean, binary, date, timestamp, timestamp_ntz (aliases bigint, int, smallint, tinyint),"
          + " decimal(p,s), array<T>, map<K,V>, struct<name type, ...>. Quote other names with backticks.",
      "",
      "Example: datashard create /data/events --schema 'id long not null, kind string, at timestamp' --partition-by kind"
    })
final class CreateCommand extends BaseCommand {
  @Parameters(index = "0", paramLabel = "TABLE", description = "Directory of the new table.")
  String table;

  @Option(names = "--schema", required = true, paramLabel = "SCHEMA", description = "The columns, e.g. 'id long not null, name string'.")
  String schema;

  @Option(names = "--partition-by", split = ",", paramLabel = "COLUMN", description = "Partition columns, comma-separated.")
  List<String> partitionBy = new ArrayList<>();

  @Option(names = "--property", paramLabel = "KEY=VALUE", description = "A table property (repeatable), e.g. delta.appendOnly=true.")
  Map<String, String> properties = new LinkedHashMap<>();

  @Override
  int execute() {
    Schema parsed = Schema.parse(schema);
    TableDefinition def = Table.define(table, parsed);
    if (!partitionBy.isEmpty()) {
      def.partitionBy(partitionBy.stream().map(String::strip).toList());
    }
    properties.forEach(def::property);
    try (Table t = def.create()) {
      out().println("created table " + t.location() + " at version " + t.currentSnapshot().version());
    }
    return Main.OK;
  }
}
