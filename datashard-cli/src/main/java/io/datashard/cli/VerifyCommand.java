package io.datashard.cli;

import io.datashard.CorruptTableException;
import io.datashard.Table;
import io.datashard.VersionNotFoundException;
import io.datashard.VerifyReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "verify",
    sortOptions = false,
    description = {
      "Checks a table and prints a report; exit code 0 only when no error is found (1 otherwise).",
      "",
      "Checks log continuity, protocol and metadata, every checkpoint and version checksum (N.crc) against an"
          + " independent replay of the log, and every referenced data file: inside the table, present, of the"
          + " recorded size, a readable Parquet footer whose row count matches the file's statistics. --deep"
          + " also reads every row. Reads only; safe while others write.",
      "",
      "Example: datashard verify /data/events --deep"
    })
final class VerifyCommand extends BaseCommand {
  @Parameters(index = "0", paramLabel = "TABLE", description = "The table directory.")
  String table;

  @Option(names = "--deep", description = "Read every row of every data file.")
  boolean deep;

  @Override
  int execute() {
    VerifyReport r;
    try (Table t = open(table); TerminalProgress progress = TerminalProgress.create()) {
      r = t.verify(deep, progress);
    } catch (CorruptTableException | VersionNotFoundException e) {
      // A log too damaged to open is verify's finding, not a usage error.
      out().println("table " + table);
      out().println("error: the table cannot be opened: " + Main.oneLine(e.getMessage()));
      out().println("FAILED: 1 error(s)");
      return Main.INTERNAL_ERROR;
    }
    out().println("table " + table + ", version " + r.version() + (r.deep() ? " (deep)" : ""));
    out().println("  versions replayed:   " + r.versionsChecked());
    out().println("  checkpoints checked: " + r.checkpointsChecked());
    out().println("  checksums checked:   " + r.checksumsChecked());
    out().println("  data files checked:  " + r.filesChecked());
    if (r.deep()) {
      out().println("  rows read:           " + r.rowsRead());
    }
    r.warnings().forEach(w -> out().println("warning: " + w));
    r.errors().forEach(e -> out().println("error: " + e));
    out().println(r.isClean() ? "OK: no errors" : "FAILED: " + r.errors().size() + " error(s)");
    return r.isClean() ? Main.OK : Main.INTERNAL_ERROR;
  }
}
