package io.datashard.cli;

import io.datashard.Table;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
    name = "checkpoint",
    sortOptions = false,
    description = {
      "Writes a checkpoint of the latest version.",
      "",
      "A checkpoint is a Parquet file holding the table's state at a version, so that opening the table reads only"
          + " the commits after it. Writers also write one every delta.checkpointInterval commits (default 100)."
          + " Safe to run while others write."
    })
final class CheckpointCommand extends BaseCommand {
  @Parameters(index = "0", paramLabel = "TABLE", description = "The table directory.")
  String table;

  @Override
  int execute() {
    try (Table t = open(table)) {
      out().println("checkpointed version " + t.checkpoint());
    }
    return Main.OK;
  }
}
