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

/** Every bad input: exit code 2, exactly one line on stderr, and the table unchanged. */
class BadInputTest {
  static final String SCHEMA = "id long not null, name string, price decimal(5,2), tags array<string>, ts timestamp";

  @TempDir Path dir;
  Path table;

  @BeforeEach
  void createTable() {
    table = dir.resolve("t");
    ok("create", p(table), "--schema", SCHEMA);
    ok("append", p(table), "--json", "{\"id\":1,\"name\":\"first\"}");
  }

  /** name, file name or null (then the content is a --json value), content, expected message fragments. */
  static Stream<Arguments> badRows() {
    return Stream.of(
        Arguments.of("null in a required column", null, "{\"id\":null}", List.of("--json value 1", "field 'id'", "not-null")),
        Arguments.of("missing required column", null, "{\"name\":\"x\"}", List.of("field 'id'", "not-null")),
        Arguments.of("string for a long", null, "{\"id\":\"5\"}", List.of("field 'id'", "string", "long")),
        Arguments.of("long out of range", null, "{\"id\":9223372036854775808}", List.of("field 'id'", "out of range")),
        Arguments.of("unknown column", null, "{\"id\":1,\"nope\":2}", List.of("field 'nope'", "unknown column")),
        Arguments.of("unknown nested shape", null, "{\"id\":1,\"tags\":\"a\"}", List.of("field 'tags'", "array")),
        Arguments.of("decimal overflow", null, "{\"id\":1,\"price\":\"1000.00\"}", List.of("field 'price'", "overflows decimal(5,2)")),
        Arguments.of("decimal overflow as number", null, "{\"id\":1,\"price\":12345}", List.of("field 'price'", "overflows")),
        Arguments.of("decimal too precise", null, "{\"id\":1,\"price\":1.234}", List.of("field 'price'", "digits after the point")),
        Arguments.of("timestamp without zone", null, "{\"id\":1,\"ts\":\"2024-01-02T03:04:05\"}", List.of("field 'ts'", "time zone")),
        Arguments.of("not an object", null, "[1,2]", List.of("expected a JSON object")),
        Arguments.of("garbage after object", null, "{\"id\":1} x", List.of("--json value 1")),
        Arguments.of("duplicate key", null, "{\"id\":1,\"id\":2}", List.of("Duplicate field 'id'")),
        Arguments.of("malformed JSONL line", "rows.jsonl", "{\"id\":2}\n{\"id\":3}\n{\"id\":4,,}\n{\"id\":5}\n",
            List.of("rows.jsonl line 3", "malformed JSON")),
        Arguments.of("bad value in JSONL line", "rows.jsonl", "{\"id\":2}\n\n\n{\"id\":3,\"price\":\"abc\"}\n",
            List.of("rows.jsonl line 4", "field 'price'", "'abc'")),
        Arguments.of("null in JSONL line", "rows.ndjson", "{\"id\":2}\n{\"id\":null}\n", List.of("rows.ndjson line 2", "field 'id'")),
        Arguments.of("JSON array element", "rows.json", "[\n{\"id\":2},\n{\"id\":\"x\"}\n]", List.of("rows.json line 3", "field 'id'")),
        Arguments.of("CSV row with too many fields", "rows.csv", "id,name\n2,a\n3,b,c\n4,d\n", List.of("rows.csv line 3", "expected 2 fields")),
        Arguments.of("CSV row with too few fields", "rows.csv", "id,name\n2\n", List.of("rows.csv line 2", "expected 2 fields", "found 1")),
        Arguments.of("CSV bad long", "rows.csv", "id,name\n2,a\nabc,b\n", List.of("rows.csv line 3", "field 'id'", "'abc'")),
        Arguments.of("CSV null in required", "rows.csv", "id,name\n,a\n", List.of("rows.csv line 2", "field 'id'", "not-null")),
        Arguments.of("CSV unknown column", "rows.csv", "id,nope\n2,a\n", List.of("rows.csv line 1", "unknown column 'nope'")),
        Arguments.of("CSV nested column", "rows.csv", "id,tags\n2,a\n", List.of("column 'tags'", "array<string>", "JSON Lines")),
        Arguments.of("CSV without required column", "rows.csv", "name\na\n", List.of("rows.csv line 1", "'id'")),
        Arguments.of("CSV decimal overflow", "rows.csv", "id,price\n2,1000\n", List.of("rows.csv line 2", "field 'price'", "overflows")),
        Arguments.of("unknown file extension", "rows.txt", "{\"id\":2}\n", List.of("rows.txt", ".csv")),
        Arguments.of("invalid UTF-8", "rows.jsonl", "{\"id\":2,\"name\":\"\u00ff\u00fe\"}\n", List.of("UTF-8")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badRows")
  void badRowsAreRejectedAndNothingIsCommitted(String name, String file, String content, List<String> fragments)
      throws IOException {
    List<String> args = new ArrayList<>(List.of("append", p(table)));
    if (file == null) {
      args.add("--json");
      args.add(content);
    } else {
      Path f = dir.resolve(file);
      if (name.equals("invalid UTF-8")) {
        Files.write(f, content.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
      } else {
        Files.writeString(f, content);
      }
      args.add("--json");
      args.add("{\"id\":100}"); // a good row in the same call must not be committed either
      args.add("--file");
      args.add(p(f));
    }
    String line = userError(args.toArray(new String[0]));
    assertThat(line).contains(fragments);
    assertUnchanged();
  }

  @Test
  void missingInputFileIsAUserError() {
    assertThat(userError("append", p(table), "--file", p(dir.resolve("absent.jsonl")))).contains("absent.jsonl", "no such file");
    assertUnchanged();
  }

  @Test
  void appendWithoutRowsIsAUserError() {
    assertThat(userError("append", p(table))).contains("nothing to append");
    assertUnchanged();
  }

  @Test
  void malformedLineDeepInABatchedFileCommitsNothing() throws IOException {
    int saved = AppendCommand.batchRows;
    AppendCommand.batchRows = 3;
    try {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < 20; i++) {
        sb.append("{\"id\":").append(i).append("}\n");
      }
      sb.append("{\"id\":\n");
      Path f = dir.resolve("rows.jsonl");
      Files.writeString(f, sb);
      assertThat(userError("append", p(table), "--file", p(f))).contains("rows.jsonl line 21");
      assertUnchanged();
    } finally {
      AppendCommand.batchRows = saved;
    }
  }

  private void assertUnchanged() {
    try (Table t = Table.open(p(table))) {
      assertThat(t.currentSnapshot().version()).isEqualTo(1);
      assertThat(t.newScan().count()).isEqualTo(1);
    }
    assertThat(ok("count", p(table))).isEqualTo("1\n");
  }

  static Stream<Arguments> tableCommands() {
    return Stream.of(
        Arguments.of(List.of("scan")), Arguments.of(List.of("count")), Arguments.of(List.of("describe")),
        Arguments.of(List.of("history")), Arguments.of(List.of("append", "--json", "{\"id\":1}")),
        Arguments.of(List.of("scan", "--where", "id = 1")), Arguments.of(List.of("count", "--where", "id = 1")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("tableCommands")
  void tablePathThatIsNotATable(List<String> command) throws IOException {
    Path missing = dir.resolve("missing");
    Path file = Files.writeString(dir.resolve("file.txt"), "x");
    Path empty = Files.createDirectory(dir.resolve("empty"));
    for (Path where : List.of(missing, file, empty)) {
      List<String> args = new ArrayList<>(command);
      args.add(1, p(where));
      assertThat(userError(args.toArray(new String[0]))).contains(p(where));
    }
    assertThat(Files.exists(missing)).isFalse();
    assertThat(Files.list(empty).count()).isZero();
  }

  @Test
  void badSchemasCreateNothing() {
    Path t2 = dir.resolve("t2");
    assertThat(userError("create", p(t2), "--schema", "id long, x foo")).contains("unknown type 'foo'");
    assertThat(userError("create", p(t2), "--schema", "id long,")).contains("position");
    assertThat(userError("create", p(t2), "--schema", "id decimal(50,2)")).contains("precision");
    assertThat(userError("create", p(t2), "--schema", "id long", "--partition-by", "nope")).contains("nope");
    assertThat(Files.exists(t2.resolve("_delta_log").resolve("00000000000000000000.json"))).isFalse();
    assertThat(userError("create", p(table), "--schema", "id long")).containsIgnoringCase("exist");
    assertUnchanged();
  }

  @Test
  void badOptionsAreUserErrors() {
    assertThat(userError()).contains("missing command");
    assertThat(userError("frobnicate")).contains("frobnicate");
    assertThat(userError("create", p(dir.resolve("x")))).contains("--schema");
    assertThat(userError("scan", p(table), "--format", "xml")).contains("xml");
    assertThat(userError("scan", p(table), "--limit", "abc")).contains("abc");
    assertThat(userError("scan", p(table), "--limit", "-1")).contains("--limit");
    assertThat(userError("scan", p(table), "--version", "1", "--as-of", "2024-01-01T00:00:00Z")).contains("exclusive");
    assertThat(userError("scan", p(table), "--as-of", "yesterday")).contains("yesterday");
    assertThat(userError("scan", p(table), "--version", "99")).contains("99");
    assertThat(userError("scan", p(table), "--select", "nope")).contains("nope");
    assertThat(userError("count", p(table), "--version", "-1")).contains("-1");
    assertThat(userError("scan", p(table), "--bogus")).contains("--bogus");
    assertThat(userError("stress", p(dir.resolve("s")), "--workload", "nope")).contains("unknown workload 'nope'", "append");
    assertThat(userError("stress", p(dir.resolve("s")), "--processes", "0")).contains("--processes");
    assertThat(userError("stress", p(dir.resolve("s")), "--workload", "upsert", "--keys", "0")).contains("--keys");
    assertThat(userError("stress", p(dir.resolve("s")), "--workload", "increment", "--rows-per-op", "2"))
        .contains("--rows-per-op", "append");
    assertThat(Files.exists(dir.resolve("s"))).isFalse();
    assertUnchanged();
  }

  @Test
  void verboseAddsTheStackTrace() {
    Main.Result r = Cli.run("--verbose", "count", p(dir.resolve("missing")));
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err().lines().findFirst().orElseThrow()).startsWith("datashard: ");
    assertThat(r.err()).contains("TableNotFoundException", "\tat ");
    Main.Result r2 = Cli.run("count", p(dir.resolve("missing")), "--verbose");
    assertThat(r2.err()).contains("\tat ");
  }
}
