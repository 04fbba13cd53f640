package io.datashard.cli;

import static io.datashard.cli.Cli.ok;
import static io.datashard.cli.Cli.p;
import static io.datashard.cli.Cli.userError;
import static org.assertj.core.api.Assertions.assertThat;

import io.datashard.Table;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input to the row commands (delete, update, increment, upsert, alter, --where): exit code 2,
 * exactly one line on stderr, and the table unchanged — the same version and the same rows.
 */
class RowCommandsBadInputTest {
  @TempDir Path dir;
  Path table;
  List<String> rowsBefore;

  @BeforeEach
  void createTable() {
    table = dir.resolve("t");
    ok("create", p(table), "--schema", RowCommandsTest.SCHEMA);
    ok("append", p(table), "--json", "{\"id\":1,\"name\":\"a\",\"v\":10}", "--json", "{\"id\":2,\"name\":\"b\",\"v\":0}");
    rowsBefore = RoundTripTest.sortedLines(ok("scan", p(table), "--format", "jsonl"));
  }

  /** name, the command line after the table (the command first), expected message fragments. */
  static Stream<Arguments> badCommands() {
    return Stream.of(
        // unknown columns
        Arguments.of("delete: unknown column in --where", List.of("delete", "--where", "nope = 1"),
            List.of("unknown column 'nope'", "(nope = 1)")),
        Arguments.of("update: unknown column in --where", List.of("update", "--where", "nope > 1", "--set", "v = 1"),
            List.of("unknown column 'nope'")),
        Arguments.of("update: unknown column in --set target", List.of("update", "--where", "id = 1", "--set", "nope = 1"),
            List.of("no column 'nope'")),
        Arguments.of("update: unknown column in --set value", List.of("update", "--where", "id = 1", "--set", "v = nope + 1"),
            List.of("unknown column 'nope'")),
        Arguments.of("increment: unknown column", List.of("increment", "--where", "id = 1", "--column", "nope"),
            List.of("nope")),
        Arguments.of("scan: unknown column in --where", List.of("scan", "--where", "nope = 1"), List.of("unknown column 'nope'")),
        Arguments.of("count: unknown column in --where", List.of("count", "--where", "nope IS NULL"),
            List.of("unknown column 'nope'")),
        // type errors
        Arguments.of("delete: string plus number", List.of("delete", "--where", "name + 1 = 2"),
            List.of("ADD", "string", "(name + 1)")),
        Arguments.of("update: string plus number", List.of("update", "--where", "id = 1", "--set", "v = name + 1"),
            List.of("string", "(name + 1)")),
        Arguments.of("update: number into a string column", List.of("update", "--where", "id = 1", "--set", "name = v * 2"),
            List.of("column 'name'", "string")),
        Arguments.of("update: non-boolean condition", List.of("update", "--where", "v + 1", "--set", "v = 1"),
            List.of("true or false")),
        Arguments.of("increment: a string column", List.of("increment", "--where", "id = 1", "--column", "name"),
            List.of("string")),
        Arguments.of("increment: a fraction for a long", List.of("increment", "--where", "id = 1", "--column", "v", "--by", "0.5"),
            List.of("column 'v'", "integer")),
        Arguments.of("count: string plus number", List.of("count", "--where", "name + 1 = 2"), List.of("string")),
        // evaluation errors name the row
        Arguments.of("update: division by zero", List.of("update", "--where", "id >= 1", "--set", "v = 100 / v"),
            List.of("division by zero", "(100 / v)", "row {id=2, name=b, v=0")),
        Arguments.of("delete: division by zero", List.of("delete", "--where", "10 / v > 1"),
            List.of("division by zero", "row {id=2, name=b, v=0")),
        Arguments.of("update: overflow", List.of("update", "--where", "id = 1", "--set", "v = v * 9223372036854775807"),
            List.of("overflow", "row {id=1")),
        // malformed expressions name the position
        Arguments.of("delete: malformed --where", List.of("delete", "--where", "id = = 1"),
            List.of("--where: syntax error in expression \"id = = 1\"", "at position")),
        Arguments.of("update: malformed --set", List.of("update", "--where", "id = 1", "--set", "v = (v + 1"),
            List.of("--set 'v = (v + 1'", "syntax error", "at position")),
        Arguments.of("scan: malformed --where", List.of("scan", "--where", "id IN ()"), List.of("--where", "id IN ()")),
        Arguments.of("update: empty --where", List.of("update", "--where", " ", "--set", "v = 1"), List.of("--where", "empty")),
        Arguments.of("update: no '=' in --set", List.of("update", "--where", "id = 1", "--set", "v == 1"),
            List.of("--set 'v == 1'", "COLUMN = EXPRESSION")),
        Arguments.of("update: expression as target", List.of("update", "--where", "id = 1", "--set", "v + 1 = 2"),
            List.of("'v + 1' is not a column name")),
        Arguments.of("update: nothing after '='", List.of("update", "--where", "id = 1", "--set", "v = "),
            List.of("no expression")),
        Arguments.of("update: column set twice", List.of("update", "--where", "id = 1", "--set", "v = 1", "--set", "v = 2"),
            List.of("assigned twice")),
        Arguments.of("update: unclosed quote", List.of("update", "--where", "id = 1", "--set", "`v = 1"),
            List.of("closing `")),
        Arguments.of("update: no --set", List.of("update", "--where", "id = 1"), List.of("--set")),
        Arguments.of("delete: no --where", List.of("delete"), List.of("--where")),
        Arguments.of("increment: --by not a number", List.of("increment", "--where", "id = 1", "--column", "v", "--by", "x1"),
            List.of("--by", "'x1' is not a number")),
        // upsert
        Arguments.of("upsert: duplicate keys", List.of("upsert", "--key", "id", "--json", "{\"id\":7}",
            "--json", "{\"id\":1,\"name\":\"new\"}", "--json", "{\"id\":7,\"name\":\"again\"}"),
            List.of("--json value 3", "duplicate merge key", "also in --json value 1")),
        Arguments.of("upsert: duplicate composite keys", List.of("upsert", "--key", "id,name", "--json", "{\"id\":1,\"name\":\"x\"}",
            "--json", "{\"id\":1,\"name\":\"x\"}"), List.of("--json value 2", "duplicate merge key")),
        Arguments.of("upsert: unknown key column", List.of("upsert", "--key", "nope", "--json", "{\"id\":1}"),
            List.of("no key column 'nope'")),
        Arguments.of("upsert: bad row", List.of("upsert", "--key", "id", "--json", "{\"id\":3}", "--json", "{\"id\":\"x\"}"),
            List.of("--json value 2", "field 'id'")),
        Arguments.of("upsert: no rows given", List.of("upsert", "--key", "id"), List.of("nothing to upsert")),
        // alter
        Arguments.of("alter: rename is refused", List.of("alter", "--rename", "name:title"),
            List.of("cannot rename column 'name'", "column mapping")),
        Arguments.of("alter: drop is refused", List.of("alter", "--drop", "name"), List.of("cannot drop column 'name'",
            "column mapping")),
        Arguments.of("alter: a good change with a refused one", List.of("alter", "--add-column", "extra string",
            "--drop", "v"), List.of("cannot drop column 'v'")),
        Arguments.of("alter: rename without colon", List.of("alter", "--rename", "name"), List.of("OLD:NEW")),
        Arguments.of("alter: not-null column added", List.of("alter", "--add-column", "x long not null"),
            List.of("cannot be not null")),
        Arguments.of("alter: unknown type", List.of("alter", "--add-column", "x foo"), List.of("--add-column 'x foo'",
            "unknown type 'foo'", "position")),
        Arguments.of("alter: existing column added", List.of("alter", "--add-column", "name string"), List.of("name")),
        Arguments.of("alter: narrowing", List.of("alter", "--widen", "v integer"), List.of("column 'v'", "long", "integer")),
        Arguments.of("alter: widen an unknown column", List.of("alter", "--widen", "nope long"), List.of("nope")),
        Arguments.of("alter: widen to a decimal", List.of("alter", "--widen", "v decimal(20,0)"), List.of("decimal(20,0)")),
        Arguments.of("alter: nullable of an unknown column", List.of("alter", "--drop-not-null", "nope"), List.of("nope")),
        Arguments.of("alter: nothing to change", List.of("alter"), List.of("nothing to change")),
        Arguments.of("alter: option instead of a value", List.of("alter", "--add-column", "--drop", "v"),
            List.of("--add-column")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badCommands")
  void badInputIsAUserErrorAndChangesNothing(String name, List<String> command, List<String> fragments) {
    List<String> args = new ArrayList<>(command);
    args.add(1, p(table));
    String line = userError(args.toArray(new String[0]));
    assertThat(line).contains(fragments);
    assertUnchanged();
  }

  @Test
  void duplicateKeysInAFileNameTheirLines() throws IOException {
    Path f = dir.resolve("rows.jsonl");
    Files.writeString(f, "{\"id\":5}\n{\"id\":6}\n\n{\"id\":5,\"name\":\"dup\"}\n");
    assertThat(userError("upsert", p(table), "--key", "id", "--file", p(f)))
        .contains("rows.jsonl line 4", "duplicate merge key", "also in " + p(f) + " line 1");
    Path csv = dir.resolve("rows.csv");
    Files.writeString(csv, "id,name\n1,a\n1,b\n");
    assertThat(userError("upsert", p(table), "--key", "id", "--file", p(csv))).contains("rows.csv line 3", "line 2");
    assertUnchanged();
  }

  @Test
  void missingTablesAreUserErrors() {
    Path missing = dir.resolve("missing");
    for (List<String> c : List.of(List.of("delete", "--where", "id = 1"), List.of("update", "--where", "id = 1", "--set", "v = 1"),
        List.of("increment", "--where", "id = 1", "--column", "v"), List.of("upsert", "--key", "id", "--json", "{\"id\":1}"),
        List.of("alter", "--add-column", "x long"), List.of("checkpoint"))) {
      List<String> args = new ArrayList<>(c);
      args.add(1, p(missing));
      assertThat(userError(args.toArray(new String[0]))).contains(p(missing));
    }
    assertThat(Files.exists(missing)).isFalse();
    assertUnchanged();
  }

  private void assertUnchanged() {
    try (Table t = Table.open(p(table))) {
      assertThat(t.currentSnapshot().version()).as("version").isEqualTo(1);
      assertThat(t.currentSnapshot().schema().toText()).isEqualTo(RowCommandsTest.SCHEMA);
    }
    assertThat(RoundTripTest.sortedLines(ok("scan", p(table), "--format", "jsonl"))).isEqualTo(rowsBefore);
  }
}
