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

  @Override
  int execute() {
    checkVersion(version);
    io.datashard.Expression condition = where == null ? null : ExpressionArgs.where(where);
    try (Table t = open(table)) {
      Scan scan = t.newScan();
      if (condition != null) {
        scan = scan.where(condition);
      }
      if (version != null) {
        scan = scan.useSnapshot(version);
      }
      out().println(scan.count());
    }
    return Main.OK;
  }
}
