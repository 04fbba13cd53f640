package io.datashard.cli;

import static io.datashard.cli.Cli.ok;
import static io.datashard.cli.Cli.p;
import static io.datashard.cli.RoundTripTest.sortedLines;
import static org.assertj.core.api.Assertions.assertThat;

import io.datashard.HistoryEntry;
import io.datashard.Table;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** delete, update, increment, upsert, alter, checkpoint and --where on scan and count: what they commit. */
class RowCommandsTest {
  static final String SCHEMA = "id long not null, name string, v long, price decimal(5,2)";

  @TempDir Path dir;
  Path table;

  /** Version 1 holds ids 1..4. */
  @BeforeEach
  void fourRows() {
    table = dir.resolve("t");
    ok("create", p(table), "--schema", SCHEMA);
    ok("append", p(table), "--json", "{\"id\":1,\"name\":\"a\",\"v\":10,\"price\":\"1.50\"}",
        "--json", "{\"id\":2,\"name\":\"b\",\"v\":20}", "--json", "{\"id\":3,\"name\":\"c\",\"v\":0}",
        "--json", "{\"id\":4,\"name\":null,\"v\":null}");
  }

  private List<String> rows() {
    return sortedLines(ok("scan", p(table), "--format", "jsonl"));
  }

  private String lastOperation() {
    try (Table t = Table.open(p(table))) {
      HistoryEntry e = t.history().get(0);
      return e.operation();
    }
  }

  @Test
  void updateSetsColumnsFromTheRowsOwnValues() {
    assertThat(ok("update", p(table), "--where", "id <= 2", "--set", "v = v * 2 + id", "--set", "name = name || '=' || 'x'"))
        .isEqualTo("updated 2 rows as version 2 (1 attempt, 0 replans)\n");
    assertThat(rows()).containsExactly(
        "{\"id\":1,\"name\":\"a=x\",\"v\":21,\"price\":\"1.50\"}",
        "{\"id\":2,\"name\":\"b=x\",\"v\":42,\"price\":null}",
        "{\"id\":3,\"name\":\"c\",\"v\":0,\"price\":null}",
        "{\"id\":4,\"name\":null,\"v\":null,\"price\":null}");
    assertThat(lastOperation()).isEqualTo("UPDATE");

    // a comparison on the right of the '=' (split at the first lone '='), back-quoted column names, decimals rounded
    ok("update", p(table), "--where", "v >= 21 AND name <> 'c'", "--set", "`price` = price + 0.125",
        "--set", "\"name\" = CONCAT(name, '!')");
    ok("update", p(table), "--where", "id = 3", "--set", "v=-1");
    assertThat(rows()).containsExactly(
        "{\"id\":1,\"name\":\"a=x!\",\"v\":21,\"price\":\"1.63\"}",
        "{\"id\":2,\"name\":\"b=x!\",\"v\":42,\"price\":null}",
        "{\"id\":3,\"name\":\"c\",\"v\":-1,\"price\":null}",
        "{\"id\":4,\"name\":null,\"v\":null,\"price\":null}");

    // no row matches: nothing is committed
    assertThat(ok("update", p(table), "--where", "id > 100", "--set", "v = 0"))
        .isEqualTo("updated 0 rows: nothing committed (table at version 4, 0 replans)\n");
    assertThat(ok("count", p(table), "--version", "4")).isEqualTo("4\n");
  }

  @Test
  void assignmentsSplitAtTheFirstLoneEquals() {
    assertThat(ExpressionArgs.assignmentEquals("v = v + 1")).isEqualTo(2);
    assertThat(ExpressionArgs.assignmentEquals("ok = a >= b")).isEqualTo(3);
    assertThat(ExpressionArgs.assignmentEquals("a<=b")).isEqualTo(-1);
    assertThat(ExpressionArgs.assignmentEquals("a==b")).isEqualTo(-1);
    assertThat(ExpressionArgs.assignmentEquals("a!=b")).isEqualTo(-1);
    assertThat(ExpressionArgs.assignmentEquals("flag=a==b")).isEqualTo(4);
    assertThat(ExpressionArgs.assignments(List.of("`a b` = 1", "\"c\"\"d\" = 'x=y'", " e=f <= 2")).keySet())
        .containsExactly("a b", "c\"d", "e");
    assertThat(ExpressionArgs.assignments(List.of("ok = a >= b")).get("ok").toText()).isEqualTo("(a >= b)");
    assertThat(ExpressionArgs.number("--by", "7")).isEqualTo(7L);
    assertThat(ExpressionArgs.number("--by", "-2.50")).isEqualTo(new java.math.BigDecimal("-2.50"));
    assertThat(ExpressionArgs.number("--by", "99999999999999999999")).isEqualTo(new java.math.BigDecimal("99999999999999999999"));
  }

  @Test
  void deleteRemovesMatchingRowsOnly() {
    // (parenthesized: the library's parser refuses "x IN (...) OR ..." as "IN with a subquery")
    assertThat(ok("delete", p(table), "--where", "(name IN ('a', 'c')) OR name IS NULL"))
        .isEqualTo("deleted 3 rows as version 2 (1 attempt, 0 replans)\n");
    assertThat(rows()).containsExactly("{\"id\":2,\"name\":\"b\",\"v\":20,\"price\":null}");
    assertThat(lastOperation()).isEqualTo("DELETE");
    assertThat(ok("delete", p(table), "--where", "id = 1"))
        .isEqualTo("deleted 0 rows: nothing committed (table at version 2, 0 replans)\n");
    assertThat(ok("count", p(table), "--version", "1")).isEqualTo("4\n");
  }

  @Test
  void incrementAddsLongsAndDecimals() {
    assertThat(ok("increment", p(table), "--where", "id IN (1, 2)", "--column", "v"))
        .isEqualTo("incremented v by 1 in 2 rows as version 2 (1 attempt, 0 replans)\n");
    assertThat(ok("increment", p(table), "--where", "id = 2", "--column", "v", "--by", "-30"))
        .isEqualTo("incremented v by -30 in 1 row as version 3 (1 attempt, 0 replans)\n");
    assertThat(ok("increment", p(table), "--where", "id = 1", "--column", "price", "--by", "2.25"))
        .startsWith("incremented price by 2.25 in 1 row as version 4");
    assertThat(rows()).containsExactly(
        "{\"id\":1,\"name\":\"a\",\"v\":11,\"price\":\"3.75\"}",
        "{\"id\":2,\"name\":\"b\",\"v\":-9,\"price\":null}",
        "{\"id\":3,\"name\":\"c\",\"v\":0,\"price\":null}",
        "{\"id\":4,\"name\":null,\"v\":null,\"price\":null}");
  }

  @Test
  void upsertReplacesMatchedRowsAndInsertsTheOthers() throws IOException {
    assertThat(ok("upsert", p(table), "--key", "id", "--json", "{\"id\":2,\"name\":\"B\",\"v\":200}",
        "--json", "{\"id\":5,\"name\":\"e\"}"))
        .isEqualTo("upserted 2 rows as version 2 (1 attempt, 0 replans): 1 inserted, 1 updated\n");
    Path csv = dir.resolve("rows.csv");
    Files.writeString(csv, "id,name,price\n1,A,9.99\n6,f,\n");
    assertThat(ok("upsert", p(table), "--key", "id,name", "--file", p(csv)))
        .isEqualTo("upserted 2 rows as version 3 (1 attempt, 0 replans): 2 inserted, 0 updated\n");
    Main.Result r = Cli.runWithStdin("{\"id\":6,\"name\":\"f\",\"v\":66}\n", "upsert", p(table), "--key", "id, name",
        "--file", "-");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo("upserted 1 row as version 4 (1 attempt, 0 replans): 0 inserted, 1 updated\n");
    assertThat(rows()).containsExactly(
        "{\"id\":1,\"name\":\"A\",\"v\":null,\"price\":\"9.99\"}",
        "{\"id\":1,\"name\":\"a\",\"v\":10,\"price\":\"1.50\"}",
        "{\"id\":2,\"name\":\"B\",\"v\":200,\"price\":null}",
        "{\"id\":3,\"name\":\"c\",\"v\":0,\"price\":null}",
        "{\"id\":4,\"name\":null,\"v\":null,\"price\":null}",
        "{\"id\":5,\"name\":\"e\",\"v\":null,\"price\":null}",
        "{\"id\":6,\"name\":\"f\",\"v\":66,\"price\":null}");
    assertThat(lastOperation()).isEqualTo("MERGE");
  }

  @Test
  void alterAppliesSeveralChangesInOrderAsOneCommit() {
    assertThat(ok("alter", p(table), "--add-column", "note string, n integer", "--widen", "n long",
        "--drop-not-null", "id"))
        .isEqualTo("altered the schema as version 2 (1 attempt, 0 replans); it is now: id long, name string, v long,"
            + " price decimal(5,2), note string, n long\n");
    assertThat(ok("describe", p(table))).contains("schema:      id long, name string, v long, price decimal(5,2), note string,"
        + " n long\n", "version:     2\n");
    // old rows read the new columns as null; new rows may use them and leave id out
    ok("append", p(table), "--json", "{\"name\":\"z\",\"note\":\"hi\",\"n\":9000000000}");
    assertThat(ok("scan", p(table), "--format", "jsonl", "--where", "id IS NULL OR id = 1")
        .lines().sorted().toList()).containsExactly(
        "{\"id\":1,\"name\":\"a\",\"v\":10,\"price\":\"1.50\",\"note\":null,\"n\":null}",
        "{\"id\":null,\"name\":\"z\",\"v\":null,\"price\":null,\"note\":\"hi\",\"n\":9000000000}");
    assertThat(lastOperation()).isEqualTo("WRITE");
    try (Table t = Table.open(p(table))) {
      assertThat(t.history().get(1).operation()).isEqualTo("CHANGE COLUMN");
    }
  }

  @Test
  void checkpointWritesTheLatestVersion() throws IOException {
    assertThat(ok("checkpoint", p(table))).isEqualTo("checkpointed version 1\n");
    assertThat(Files.exists(table.resolve("_delta_log").resolve("00000000000000000001.checkpoint.parquet"))).isTrue();
    assertThat(Files.readString(table.resolve("_delta_log").resolve("_last_checkpoint"))).contains("\"version\":1");
    assertThat(rows()).hasSize(4);
  }

  @Test
  void whereOnScanAndCount() {
    assertThat(ok("count", p(table), "--where", "v > 5")).isEqualTo("2\n");
    assertThat(ok("count", p(table), "--where", "name IS NULL")).isEqualTo("1\n");
    assertThat(ok("count", p(table), "--where", "v > 5", "--version", "0")).isEqualTo("0\n");
    assertThat(sortedLines(ok("scan", p(table), "--format", "jsonl", "--select", "id", "--where", "v > 5 AND name LIKE '_'")))
        .containsExactly("{\"id\":1}", "{\"id\":2}");
    assertThat(ok("scan", p(table), "--format", "csv", "--where", "price = 1.5")).isEqualTo("id,name,v,price\n1,a,10,1.50\n");
    ok("delete", p(table), "--where", "id = 1");
    assertThat(ok("count", p(table), "--where", "v > 5", "--version", "1")).isEqualTo("2\n");
    assertThat(ok("count", p(table), "--where", "v > 5")).isEqualTo("1\n");
  }
}
