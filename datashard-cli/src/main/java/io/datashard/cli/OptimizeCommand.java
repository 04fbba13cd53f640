package io.datashard.cli;

import io.datashard.OptimizeBuilder;
import io.datashard.OptimizeResult;
import io.datashard.Table;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "optimize",
    sortOptions = false,
    description = {
      "Compacts small data files into files of about the target size, per partition, in one commit.",
      "",
      "Rows are rewritten unchanged (the commit has dataChange=false), so readers see the same rows before and"
          + " after. Concurrent appends never conflict with it; if a concurrent commit removes some of its input"
          + " files, the groups holding them are skipped. The replaced files stay on disk for time travel until"
          + " vacuum removes them.",
      "",
      "Example: datashard optimize /data/events --where \"day = '2024-01-02'\" --sort-by id"
    })
final class OptimizeCommand extends BaseCommand {
  @Parameters(index = "0", paramLabel = "TABLE", description = "The table directory.")
  String table;

  @Option(names = "--where", paramLabel = "CONDITION", description = "Compact only files that may hold matching"
      + " rows (usually a condition on partition columns).")
  String where;

  @Option(names = "--target-size", paramLabel = "BYTES", description = "Target file size in bytes (suffixes k, m, g"
      + " allowed); default 128m.")
  String targetSize;

  @Option(names = "--sort-by", split = ",", paramLabel = "COLUMNS", description = "Sort the rows of each new file"
      + " by these columns, so that file statistics let scans skip more files.")
  List<String> sortBy;

  @Override
  int execute() {
    try (Table t = open(table); TerminalProgress progress = TerminalProgress.create()) {
      OptimizeBuilder b = t.optimize().progress(progress);
      if (where != null) {
        b.where(ExpressionArgs.where(where));
      }
      if (targetSize != null) {
        b.targetFileSize(bytes(targetSize));
      }
      if (sortBy != null) {
        b.sortBy(sortBy.toArray(String[]::new));
      }
      OptimizeResult r = b.commit();
      progress.close();
      if (r.version().isEmpty()) {
        out().println("nothing to compact" + (r.binsSkipped() > 0 ? " (" + r.binsSkipped() + " group(s) skipped:"
            + " a concurrent commit removed their files)" : ""));
      } else {
        out().println("compacted " + r.filesRemoved() + " files (" + r.bytesRemoved() + " bytes) into " + r.filesAdded()
            + " (" + r.bytesAdded() + " bytes) in " + r.partitions() + " partition(s), " + r.rowsRewritten()
            + " rows; version " + r.version().getAsLong() + ", " + r.attempts() + " attempt(s)"
            + (r.binsSkipped() > 0 ? ", " + r.binsSkipped() + " group(s) skipped" : ""));
      }
    }
    return Main.OK;
  }

  static long bytes(String text) {
    String t = text.trim().toLowerCase(java.util.Locale.ROOT);
    long unit = 1;
    if (t.endsWith("k") || t.endsWith("m") || t.endsWith("g")) {
      unit = t.endsWith("k") ? 1L << 10 : t.endsWith("m") ? 1L << 20 : 1L << 30;
      t = t.substring(0, t.length() - 1);
    }
    try {
      long n = Long.parseLong(t);
      if (n <= 0) {
        throw new NumberFormatException();
      }
      return Math.multiplyExact(n, unit);
    } catch (NumberFormatException | ArithmeticException e) {
      throw new UserException("--target-size must be a positive number of bytes (e.g. 134217728 or 128m), got '"
          + text + "'");
    }
  }
}
