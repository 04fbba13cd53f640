package io.datashard.cli;

import io.datashard.CommitResult;
import io.datashard.Expression;
import io.datashard.Table;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "increment",
    sortOptions = false,
    description = {
      "Adds a number to a column of the rows matching a condition, as one commit.",
      "",
      "The same as update --set 'C = C + N': exact however many processes increment at once (a conflicting"
          + " concurrent commit makes it re-plan on the newer version). N is a long if it is an integer, else a"
          + " decimal. Expression syntax: see 'datashard delete --help'.",
      "",
      "Example: datashard increment /data/counters --where \"name = 'visits'\" --column n --by 5"
    })
final class IncrementCommand extends BaseCommand {
  @Parameters(index = "0", paramLabel = "TABLE", description = "The table directory.")
  String table;

  @Option(names = "--where", required = true, paramLabel = "CONDITION", description = "Which rows to change,"
      + " e.g. \"k = 0\".")
  String where;

  @Option(names = "--column", required = true, paramLabel = "C", description = "The numeric column to add to.")
  String column;

  @Option(names = "--by", paramLabel = "N", description = "The amount (default: 1; negative decrements).")
  String by = "1";

  @Override
  int execute() {
    Expression condition = ExpressionArgs.where(where);
    Number delta = ExpressionArgs.number("--by", by);
    try (Table t = open(table)) {
      CommitResult r = t.increment(condition, column.strip(), delta);
      out().println("incremented " + column.strip() + " by " + (delta instanceof java.math.BigDecimal d ? d.toPlainString() : delta) + " in " + ExpressionArgs.plural(r.rowsUpdated(), "row")
          + ExpressionArgs.outcome(r));
    }
    return Main.OK;
  }
}
