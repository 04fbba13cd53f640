package io.datashard.cli;

import io.datashard.Scan;
import io.datashard.Table;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "count", sortOptions = false, description = "Prints the number of rows (matching --where) of the latest or a given version.")
final class CountCommand extends BaseCommand {
  @Parameters(index = "0", paramLabel = "TABLE", description = "The table directory.")
  String table;

  @Option(names = "--where", paramLabel = "CONDITION", description = "Count only rows for which it is true, e.g."
      + " \"kind = 'a'\" (syntax: see 'datashard delete --help').")
  String where;

  @Option(names = "--version", paramLabel = "N", description = "Count the rows of version N (time travel).")
  Long version;

  @Option(names = "--as-of", paramLabel = "TIME", description = "Count the rows of the version current at an"
      + " ISO-8601 instant, e.g. 2024-01-02T03:04:05Z (no zone means UTC).")
  String asOf;

  @Override
  int execute() {
    checkVersion(version);
    if (version != null && asOf != null) {
      throw new UserException("--version and --as-of are mutually exclusive");
    }
    io.datashard.Expression condition = where == null ? null : ExpressionArgs.where(where);
    try (Table t = open(table)) {
      Scan scan = t.newScan();
      if (condition != null) {
        scan = scan.where(condition);
      }
      if (version != null) {
        scan = scan.useSnapshot(version);
      }
      if (asOf != null) {
        scan = scan.asOf(ScanCommand.parseInstant(asOf));
      }
      out().println(scan.count());
    }
    return Main.OK;
  }
}
