package io.datashard.cli;

import io.datashard.CommitResult;
import io.datashard.Field;
import io.datashard.InvalidSchemaException;
import io.datashard.PrimitiveType;
import io.datashard.Schema;
import io.datashard.SchemaChange;
import io.datashard.Table;
import java.util.ArrayList;
import java.util.List;
import java.util.Stack;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "alter",
    sortOptions = false,
    description = {
      "Changes the schema, as one commit.",
      "",
      "Give any number of changes; they apply in the order given and are committed together (or not at all)."
          + " Rows already written keep working: an added column reads as null in them, a widened column reads"
          + " widened. Types as in 'datashard create --help'. Widening: byte -> short -> integer -> long,"
          + " float -> double (the table gains the Delta typeWidening feature).",
      "",
      "Renaming and dropping columns need Delta column mapping, which DataShard does not write: the library"
          + " refuses them (exit code 2, table unchanged).",
      "",
      "Example: datashard alter /data/events --add-column 'source string' --widen 'count long' --drop-not-null note"
    })
final class AlterCommand extends BaseCommand {
  @Parameters(index = "0", paramLabel = "TABLE", description = "The table directory.")
  String table;

  @Option(names = "--add-column", paramLabel = "'NAME TYPE'", parameterConsumer = InOrder.class,
      description = "Add a nullable column at the end, e.g. 'source string' (comma-separate several).")
  List<String> addColumn;

  @Option(names = "--widen", paramLabel = "'COLUMN TYPE'", parameterConsumer = InOrder.class,
      description = "Widen a column's type, e.g. 'count long'.")
  List<String> widen;

  @Option(names = "--drop-not-null", paramLabel = "COLUMN", parameterConsumer = InOrder.class,
      description = "Make a not-null column nullable.")
  List<String> dropNotNull;

  @Option(names = "--rename", paramLabel = "OLD:NEW", parameterConsumer = InOrder.class,
      description = "Rename a column (refused: needs column mapping).")
  List<String> rename;

  @Option(names = "--drop", paramLabel = "COLUMN", parameterConsumer = InOrder.class,
      description = "Drop a column (refused: needs column mapping).")
  List<String> drop;

  /** The options in command-line order: (option name, value). */
  final List<String[]> given = new ArrayList<>();

  /** Records each change option with its value in command-line order (picocli keeps one list per option). */
  static final class InOrder implements CommandLine.IParameterConsumer {
    @Override
    public void consumeParameters(Stack<String> args, ArgSpec argSpec, CommandSpec commandSpec) {
      String name = ((CommandLine.Model.OptionSpec) argSpec).longestName();
      if (args.isEmpty() || commandSpec.optionsMap().containsKey(args.peek())) {
        throw new CommandLine.ParameterException(commandSpec.commandLine(), "Missing required parameter for option '"
            + name + "' (" + argSpec.paramLabel() + ")");
      }
      ((AlterCommand) commandSpec.userObject()).given.add(new String[] {name, args.pop()});
    }
  }

  @Override
  int execute() {
    if (given.isEmpty()) {
      throw new CommandLine.ParameterException(spec.commandLine(), "nothing to change: give --add-column, --widen,"
          + " --drop-not-null, --rename or --drop");
    }
    List<SchemaChange> changes = new ArrayList<>();
    for (String[] g : given) {
      changes.addAll(change(g[0], g[1]));
    }
    try (Table t = open(table)) {
      CommitResult r = t.alterSchema(changes.toArray(new SchemaChange[0]));
      out().println("altered the schema" + ExpressionArgs.outcome(r) + "; it is now: "
          + t.snapshot(r.version()).schema().toText());
    }
    return Main.OK;
  }

  static List<SchemaChange> change(String option, String value) {
    String where = option + " '" + value + "'";
    switch (option) {
      case "--add-column": {
        List<SchemaChange> out = new ArrayList<>();
        for (Field f : columns(where, value)) {
          if (!f.nullable()) {
            throw new UserException(where + ": an added column cannot be not null (the existing rows have no value"
                + " for it)");
          }
          out.add(SchemaChange.addColumn(f.name(), f.type()));
        }
        return out;
      }
      case "--widen": {
        List<Field> fields = columns(where, value);
        if (fields.size() != 1 || !fields.get(0).nullable()) {
          throw new UserException(where + ": expected one 'COLUMN TYPE', e.g. 'count long'");
        }
        Field f = fields.get(0);
        if (!(f.type() instanceof PrimitiveType p)) {
          throw new UserException(where + ": a column can only be widened to short, integer, long or double, not "
              + f.type().toText());
        }
        return List.of(SchemaChange.widenColumn(f.name(), p));
      }
      case "--drop-not-null":
        return List.of(SchemaChange.makeNullable(name(where, value)));
      case "--rename": {
        int colon = value.indexOf(':');
        if (colon < 0) {
          throw new UserException(where + ": expected OLD:NEW");
        }
        return List.of(SchemaChange.renameColumn(name(where, value.substring(0, colon)),
            name(where, value.substring(colon + 1))));
      }
      case "--drop":
        return List.of(SchemaChange.dropColumn(name(where, value)));
      default:
        throw new IllegalStateException(option);
    }
  }

  private static List<Field> columns(String where, String text) {
    try {
      return Schema.parse(text).fields();
    } catch (InvalidSchemaException e) {
      throw new UserException(where + ": " + e.getMessage(), e);
    }
  }

  private static String name(String where, String text) {
    String n = text.strip();
    if (n.isEmpty()) {
      throw new UserException(where + ": empty column name");
    }
    return n;
  }
}
