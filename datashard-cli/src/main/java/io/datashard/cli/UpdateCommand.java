package io.datashard.cli;

import io.datashard.CommitResult;
import io.datashard.Expression;
import io.datashard.Table;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "update",
    sortOptions = false,
    description = {
      "Sets columns of the rows matching a condition, as one commit.",
      "",
      "Each --set is COLUMN = EXPRESSION, evaluated on the row's current values (so 'balance = balance + 100'"
          + " from many processes at once never loses an update: a conflicting concurrent commit makes the update"
          + " re-plan on the newer version). Quote column names other than letters, digits and _ with back-quotes."
          + " The result is converted to the column type: integers must fit, decimals are rounded half-up.",
      "",
      "A type error (name + 1), an unknown column or a syntax error is reported before anything is read;"
          + " a row on which an expression fails (division by zero, overflow) stops the update, naming the row."
          + " The table is unchanged in every case. Expression syntax: see 'datashard delete --help'.",
      "",
      "Example: datashard update /data/accounts --where \"id = 7\" --set \"balance = balance + 100\" --set \"note = 'paid'\""
    })
final class UpdateCommand extends BaseCommand {
  @Parameters(index = "0", paramLabel = "TABLE", description = "The table directory.")
  String table;

  @Option(names = "--where", required = true, paramLabel = "CONDITION", description = "Which rows to update,"
      + " e.g. \"id = 5\" (use TRUE for all rows).")
  String where;

  @Option(names = "--set", required = true, paramLabel = "'COLUMN = EXPRESSION'", description = "An assignment"
      + " (repeatable), e.g. \"v = v * 2\".")
  List<String> sets = new ArrayList<>();

  @Override
  int execute() {
    Expression condition = ExpressionArgs.where(where);
    Map<String, Expression> assignments = ExpressionArgs.assignments(sets);
    try (Table t = open(table)) {
      CommitResult r = t.update(condition, assignments);
      out().println("updated " + ExpressionArgs.plural(r.rowsUpdated(), "row") + ExpressionArgs.outcome(r));
    }
    return Main.OK;
  }
}
