package io.datashard.cli;

import static io.datashard.cli.Cli.ok;
import static io.datashard.cli.Cli.p;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.datashard.HistoryEntry;
import io.datashard.Table;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** count, history, describe, scan options, help and version. */
class CommandsTest {
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  Path table;

  @BeforeEach
  void threeVersions() {
    table = dir.resolve("events");
    ok("create", p(table), "--schema", "id long not null, kind string not null, amount decimal(10,2)", "--partition-by", "kind",
        "--property", "delta.appendOnly=true");
    ok("append", p(table), "--json", "{\"id\":1,\"kind\":\"a\",\"amount\":\"1.10\"}", "--json", "{\"id\":2,\"kind\":\"b\"}");
    ok("append", p(table), "--json", "{\"id\":3,\"kind\":\"a\",\"amount\":-2}");
  }

  @Test
  void countLatestAndOldVersions() {
    assertThat(ok("count", p(table))).isEqualTo("3\n");
    assertThat(ok("count", p(table), "--version", "1")).isEqualTo("2\n");
    assertThat(ok("count", p(table), "--version", "0")).isEqualTo("0\n");
  }

  @Test
  void historyAsJsonlAndTable() throws Exception {
    List<String> lines = ok("history", p(table), "--format", "jsonl").lines().toList();
    assertThat(lines).hasSize(3);
    List<HistoryEntry> expected;
    try (Table t = Table.open(p(table))) {
      expected = t.history();
    }
    for (int i = 0; i < 3; i++) {
      JsonNode n = JSON.readTree(lines.get(i));
      assertThat(n.fieldNames()).toIterable().containsExactly("version", "timestamp", "operation", "parameters");
      assertThat(n.get("version").asLong()).isEqualTo(2 - i);
      assertThat(n.get("operation").asText()).isEqualTo(expected.get(i).operation());
      assertThat(n.get("timestamp").asText()).isEqualTo(Values.TIMESTAMP.format(expected.get(i).timestamp()));
      assertThat(n.get("parameters").size()).isEqualTo(expected.get(i).operationParameters().size());
      expected.get(i).operationParameters().forEach((k, v) -> assertThat(n.get("parameters").get(k).asText()).isEqualTo(v));
    }
    assertThat(JSON.readTree(lines.get(2)).get("operation").asText()).isEqualTo("CREATE TABLE");
    assertThat(JSON.readTree(lines.get(0)).get("operation").asText()).isEqualTo("WRITE");

    String text = ok("history", p(table));
    List<String> rows = text.lines().toList();
    assertThat(rows.get(0)).matches("version \\| timestamp +\\| operation +\\| parameters");
    assertThat(rows.get(2)).startsWith("      2 | ").contains("WRITE");
    assertThat(rows.get(4)).startsWith("      0 | ").contains("CREATE TABLE");
    assertThat(rows.get(5)).isEqualTo("(3 commits)");
    assertThat(ok("history", p(table), "--format", "jsonl", "--limit", "1").lines().count()).isEqualTo(1);
  }

  @Test
  void describeTextAndJson() throws Exception {
    String text = ok("describe", p(table));
    assertThat(text).contains(
        "location:    " + p(table) + "\n",
        "version:     2\n",
        "schema:      id long not null, kind string not null, amount decimal(10,2)\n",
        "partitions:  kind\n",
        "properties:  delta.appendOnly=true\n",
        "rows:        3\n");
    assertThat(text).containsPattern("timestamp:   \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z\n");
    assertThat(text).containsPattern("files:       [1-9]\\d*\n");
    assertThat(text).containsPattern("size:        [1-9]\\d* bytes");

    JsonNode v1 = JSON.readTree(ok("describe", p(table), "--version", "1", "--format", "json"));
    assertThat(v1.get("version").asLong()).isEqualTo(1);
    assertThat(v1.get("rows").asLong()).isEqualTo(2);
    assertThat(v1.get("partitionColumns").get(0).asText()).isEqualTo("kind");
    try (Table t = Table.open(p(table))) {
      assertThat(v1.get("files").asLong()).isEqualTo(t.snapshot(1).fileCount());
      assertThat(v1.get("sizeBytes").asLong()).isEqualTo(t.snapshot(1).sizeBytes());
      assertThat(v1.get("timestamp").asText()).isEqualTo(Values.TIMESTAMP.format(t.snapshot(1).timestamp()));
    }
  }

  @Test
  void scanOptions() throws Exception {
    assertThat(RoundTripTest.sortedLines(ok("scan", p(table), "--format", "jsonl", "--select", "amount,id"))).containsExactly(
        "{\"amount\":\"-2.00\",\"id\":3}", "{\"amount\":\"1.10\",\"id\":1}", "{\"amount\":null,\"id\":2}");
    assertThat(ok("scan", p(table), "--format", "jsonl", "--limit", "2").lines().count()).isEqualTo(2);
    assertThat(ok("scan", p(table), "--format", "jsonl", "--limit", "0")).isEmpty();
    assertThat(ok("scan", p(table), "--format", "jsonl", "--version", "1").lines().count()).isEqualTo(2);

    String v1Time;
    try (Table t = Table.open(p(table))) {
      v1Time = t.snapshot(1).timestamp().toString();
    }
    assertThat(ok("scan", p(table), "--format", "jsonl", "--as-of", v1Time).lines().count()).isEqualTo(2);

    String text = ok("scan", p(table), "--select", "id,kind,amount");
    List<String> lines = text.lines().toList();
    assertThat(lines.get(0)).isEqualTo("id | kind | amount");
    assertThat(lines.get(1)).isEqualTo("---+------+-------");
    assertThat(lines.subList(2, 5)).containsExactlyInAnyOrder(" 1 | a    |   1.10", " 2 | b    |   null", " 3 | a    |  -2.00");
    assertThat(lines.get(5)).isEqualTo("(3 rows)");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "create", "append", "upsert", "update", "increment", "delete", "scan", "count", "history",
      "describe", "alter", "checkpoint", "stress", "torture", "demo"})
  void everyCommandHasHelp(String command) {
    for (String flag : List.of("--help", "-h")) {
      String out = command.isEmpty() ? ok(flag) : ok(command, flag);
      assertThat(out).contains("Usage: datashard" + (command.isEmpty() ? "" : " " + command));
      assertThat(out).contains("-h, --help");
    }
  }

  @Test
  void scanExplainReportsWhatWasSkippedAndEndsWithOneJsonLine() throws Exception {
    List<String> lines = ok("scan", p(table), "--explain", "--where", "kind = 'a' and id > 1").lines().toList();
    assertThat(lines.get(0)).isEqualTo("version:            2");
    JsonNode last = JSON.readTree(lines.get(lines.size() - 1));
    assertThat(last.fieldNames()).toIterable().startsWith(
        "filesTotal", "filesSkipped", "rowGroupsTotal", "rowGroupsSkipped", "bytesRead", "rowsReturned");
    // Three files: kind=b is pruned by its partition value, the first kind=a file by its statistics (max id 1).
    assertThat(last.get("filesTotal").asLong()).isEqualTo(3);
    assertThat(last.get("filesSkipped").asLong()).isEqualTo(2);
    assertThat(last.get("rowGroupsTotal").asLong()).isEqualTo(1);
    assertThat(last.get("bytesRead").asLong()).isPositive();
    assertThat(last.get("rowsReturned").asLong()).isEqualTo(1);
    assertThat(last.get("version").asLong()).isEqualTo(2);

    JsonNode all = JSON.readTree(ok("scan", p(table), "--explain", "--version", "1").lines().reduce((a, b) -> b).orElseThrow());
    assertThat(all.get("rowsReturned").asLong()).isEqualTo(2);
    assertThat(all.get("filesSkipped").asLong()).isZero();
  }

  @Test
  void countAndDescribeTravelInTime() throws Exception {
    String v1Time;
    try (Table t = Table.open(p(table))) {
      v1Time = t.snapshot(1).timestamp().toString();
    }
    assertThat(ok("count", p(table), "--as-of", v1Time)).isEqualTo("2\n");
    assertThat(ok("describe", p(table), "--as-of", v1Time)).contains("version:     1\n", "rows:        2\n");
    assertThat(Cli.userError("count", p(table), "--as-of", "1970-01-01T00:00:00Z"))
        .contains("no version committed at or before 1970-01-01T00:00:00Z");
    assertThat(Cli.userError("describe", p(table), "--version", "9")).contains("the latest is 2");
  }

  @Test
  void version() {
    assertThat(ok("--version")).startsWith("datashard ");
  }
}
