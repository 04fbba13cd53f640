package io.datashard.cli;

import io.datashard.CommitResult;
import io.datashard.Expression;
import io.datashard.Table;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "delete",
    sortOptions = false,
    description = {
      "Deletes the rows matching a condition, as one commit.",
      "",
      "Files holding matching rows are rewritten without them (copy-on-write). Under concurrent writers the"
          + " delete is re-planned on the newer version when another commit touched what it read; nothing is"
          + " committed if no row matches.",
      "",
      "Expressions: column names, literals (5, 1.5, 'text', TRUE, NULL, DATE '2024-01-02',"
          + " TIMESTAMP '2024-01-02 03:04:05'), + - * / %, ||, = <> != < <= > >=, AND OR NOT, IN (...), BETWEEN,"
          + " IS [NOT] NULL, [NOT] LIKE, COALESCE(...), CONCAT(...); SQL semantics (null compares as unknown).",
      "",
      "Example: datashard delete /data/events --where \"kind = 'test' AND id < 100\""
    })
final class DeleteCommand extends BaseCommand {
  @Parameters(index = "0", paramLabel = "TABLE", description = "The table directory.")
  String table;

  @Option(names = "--where", required = true, paramLabel = "CONDITION", description = "Which rows to delete,"
      + " e.g. \"id = 5\" (use TRUE for all rows).")
  String where;

  @Override
  int execute() {
    Expression condition = ExpressionArgs.where(where);
    try (Table t = open(table)) {
      CommitResult r = t.delete(condition);
      out().println("deleted " + ExpressionArgs.plural(r.rowsDeleted(), "row") + ExpressionArgs.outcome(r));
    }
    return Main.OK;
  }
}
