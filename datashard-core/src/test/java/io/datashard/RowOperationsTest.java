package io.datashard;

import static io.datashard.Expressions.column;
import static io.datashard.Expressions.literal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.datashard.testing.KernelOracle;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RowOperationsTest {
  @TempDir Path dir;

  /** Delta Kernel must read every table this test wrote with exactly our rows. */
  @AfterEach
  void kernelReadsEveryTable() throws java.io.IOException {
    KernelInteropTest.assertKernelReadsEveryTableUnder(dir);
  }
  private Path path;
  private Table table;
  private static final Schema SCHEMA = Schema.parse("id long not null, name string, balance decimal(12,2), n integer,"
      + " region string");

  private static Map<String, Object> row(long id, String name, String balance, Integer n, String region) {
    Map<String, Object> r = new HashMap<>();
    r.put("id", id);
    r.put("name", name);
    r.put("balance", balance == null ? null : new BigDecimal(balance));
    r.put("n", n);
    r.put("region", region);
    return r;
  }

  @BeforeEach
  void setUp() {
    path = dir.resolve("t");
    table = Table.define(path.toString(), SCHEMA).partitionBy("region")
        .options(TableOptions.builder().durability(Durability.NO_SYNC).build()).create();
    List<Map<String, Object>> rows = new ArrayList<>();
    for (long i = 0; i < 20; i++) {
      rows.add(row(i, "n" + i, i + ".50", (int) i, i % 2 == 0 ? "eu" : "us"));
    }
    table.append(rows);
  }

  private Map<Long, Row> byId() {
    return table.newScan().toList().stream().collect(Collectors.toMap(r -> r.getLong("id"), r -> r));
  }

  private void assertKernelAgrees() {
    assertThat(KernelOracle.readRows(path)).hasSize((int) table.newScan().count());
    KernelInteropTest.assertKernelReadsTheSame(table, path, table.currentSnapshot().version());
  }

  @Test
  void deleteRemovesExactlyTheMatchingRows() {
    CommitResult r = table.delete(Expression.parse("id >= 15 OR name = 'n3'"));
    assertThat(r.committed()).isTrue();
    assertThat(r.rowsDeleted()).isEqualTo(6);
    assertThat(r.filesRemoved()).isEqualTo(2);
    assertThat(byId().keySet()).hasSize(14).doesNotContain(3L, 15L, 19L).contains(14L);
    CommitResult none = table.delete(Expression.parse("id = 999"));
    assertThat(none.committed()).isFalse();
    assertThat(none.version()).isEqualTo(r.version());
    assertThat(table.history().get(0).operation()).isEqualTo("DELETE");
    assertKernelAgrees();
  }

  @Test
  void updateEvaluatesOnTheOldRowAndConvertsToTheColumnType() {
    CommitResult r = table.update(Expression.parse("region = 'eu' AND id < 6"),
        Map.of("balance", Expression.parse("balance * 1.005"), "n", Expression.parse("n + id"),
            "name", Expression.parse("name || '!'")));
    assertThat(r.rowsUpdated()).isEqualTo(3);
    Map<Long, Row> rows = byId();
    assertThat(rows.get(4L).getDecimal("balance")).isEqualTo(new BigDecimal("4.52")); // 4.5225 rounded half-up
    assertThat(rows.get(4L).getInt("n")).isEqualTo(8);
    assertThat(rows.get(4L).getString("name")).isEqualTo("n4!");
    assertThat(rows.get(5L).getString("name")).isEqualTo("n5");
    assertThat(rows).hasSize(20);
    assertKernelAgrees();
  }

  @Test
  void updateCanMoveRowsBetweenPartitions() {
    table.update(Expression.parse("id = 2"), Map.of("region", literal("apac")));
    assertThat(table.newScan().where(Expression.parse("region = 'apac'")).toList())
        .extracting(r -> r.getLong("id")).containsExactly(2L);
    assertThat(table.newScan().count()).isEqualTo(20);
    assertKernelAgrees();
  }

  @Test
  void incrementIsAnUpdate() {
    table.increment(Expression.parse("id = 7"), "n", 100);
    table.increment(Expression.parse("id = 7"), "balance", new BigDecimal("0.25"));
    Row r = byId().get(7L);
    assertThat(r.getInt("n")).isEqualTo(107);
    assertThat(r.getDecimal("balance")).isEqualTo(new BigDecimal("7.75"));
  }

  @Test
  void getOrCreateReturnsTheExistingRowOrInsertsOne() {
    GetOrCreateResult existing = table.getOrCreate(Expression.parse("id = 3"), () -> row(3, "other", null, null, "us"));
    assertThat(existing.created()).isFalse();
    assertThat(existing.row().getString("name")).isEqualTo("n3");
    GetOrCreateResult made = table.getOrCreate(Expression.parse("id = 100"), () -> row(100, "new", "1", 1, "eu"));
    assertThat(made.created()).isTrue();
    assertThat(made.version()).isPresent();
    assertThat(made.row().getString("name")).isEqualTo("new");
    GetOrCreateResult again = table.getOrCreate(Expression.parse("id = 100"), () -> row(100, "newer", "1", 1, "eu"));
    assertThat(again.created()).isFalse();
    assertThat(again.row().getString("name")).isEqualTo("new");
    assertThatThrownBy(() -> table.getOrCreate(Expression.parse("id = 101"), () -> row(102, "x", null, null, "eu")))
        .isInstanceOf(InvalidRowException.class).hasMessageContaining("does not match the key");
    assertThat(table.newScan().count()).isEqualTo(21);
  }

  @Test
  void upsertAndMergeClauses() {
    CommitResult r = table.upsert(List.of(row(1, "one", "9", 9, "us"), row(50, "fifty", "5", 5, "eu")), "id");
    assertThat(r.rowsUpdated()).isEqualTo(1);
    assertThat(r.rowsInserted()).isEqualTo(1);
    Map<Long, Row> rows = byId();
    assertThat(rows).hasSize(21);
    assertThat(rows.get(1L).getString("name")).isEqualTo("one");
    assertThat(rows.get(50L).getString("name")).isEqualTo("fifty");
    CommitResult del = table.merge(List.of(Map.of("id", 1L), Map.of("id", 2L), Map.of("id", 77L))).on("id")
        .whenMatchedDelete().execute();
    assertThat(del.rowsDeleted()).isEqualTo(2);
    assertThat(del.rowsInserted()).isZero();
    assertThat(byId()).hasSize(19).doesNotContainKeys(1L, 2L, 77L);
    CommitResult insertOnly = table.merge(List.of(row(3, "three?", null, null, "eu"), row(60, "sixty", null, null, "eu")))
        .on("id").whenNotMatchedInsert().execute();
    assertThat(insertOnly.rowsInserted()).isEqualTo(1);
    assertThat(byId().get(3L).getString("name")).isEqualTo("n3");
    assertThatThrownBy(() -> table.upsert(List.of(row(5, "a", null, null, "eu"), row(5, "b", null, null, "eu")), "id"))
        .isInstanceOf(InvalidRowException.class).hasMessageContaining("duplicate merge key").hasMessageContaining("row 1");
    assertThatThrownBy(() -> table.upsert(List.of(row(5, "a", null, null, "eu")), "nope"))
        .isInstanceOf(NoSuchColumnException.class);
    assertKernelAgrees();
  }

  @Test
  void overwriteReplacesWhereAndChecksNewRows() {
    CommitResult r = table.overwrite(Expression.parse("region = 'us'"), List.of(row(200, "x", "1", 1, "us")));
    assertThat(r.rowsDeleted()).isEqualTo(10);
    assertThat(r.rowsInserted()).isEqualTo(1);
    assertThat(table.newScan().where(Expression.parse("region = 'us'")).toList())
        .extracting(x -> x.getLong("id")).containsExactly(200L);
    long version = table.currentSnapshot().version();
    assertThatThrownBy(() -> table.overwrite(Expression.parse("region = 'us'"), List.of(row(201, "x", "1", 1, "eu"))))
        .isInstanceOf(InvalidRowException.class).hasMessageContaining("does not satisfy");
    assertThat(table.currentSnapshot().version()).isEqualTo(version);
  }

  @Test
  void scanWhereFiltersAndPrunes() {
    List<Row> rows = table.newScan().where(Expression.parse("n BETWEEN 3 AND 6 AND region = 'eu'")).select("id").toList();
    assertThat(rows).extracting(r -> r.getLong("id")).containsExactlyInAnyOrder(4L, 6L);
    assertThat(table.newScan().where(Expression.parse("name LIKE 'n1%'")).count()).isEqualTo(11);
    assertThat(table.newScan().where(Expression.parse("balance IS NULL")).count()).isZero();
  }

  @Test
  void badExpressionsAndValuesChangeNothing() {
    long version = table.currentSnapshot().version();
    assertThatThrownBy(() -> table.delete(Expression.parse("nope = 1")))
        .isInstanceOf(InvalidExpressionException.class).hasMessageContaining("unknown column 'nope'");
    assertThatThrownBy(() -> table.update(Expression.parse("id = 1"), Map.of("nope", literal(1))))
        .isInstanceOf(NoSuchColumnException.class).hasMessageContaining("nope");
    assertThatThrownBy(() -> table.update(Expression.parse("id = 1"), Map.of("n", Expression.parse("name + 1"))))
        .isInstanceOf(InvalidExpressionException.class).hasMessageContaining("needs numbers");
    assertThatThrownBy(() -> table.update(Expression.parse("id = 1"), Map.of("n", literal("x"))))
        .isInstanceOf(InvalidExpressionException.class).hasMessageContaining("column 'n' is integer");
    assertThatThrownBy(() -> table.update(Expression.parse("id >= 0"), Map.of("n", Expression.parse("n / (id - 4)"))))
        .isInstanceOf(ExpressionEvaluationException.class).hasMessageContaining("division by zero")
        .hasMessageContaining("id=4");
    assertThatThrownBy(() -> table.update(Expression.parse("id = 1"), Map.of("n", Expression.parse("n + 2147483647"))))
        .isInstanceOf(ExpressionEvaluationException.class).hasMessageContaining("overflow");
    assertThatThrownBy(() -> table.update(Expression.parse("id = 1"), Map.of("balance", literal(new BigDecimal("1e12")))))
        .isInstanceOf(ExpressionEvaluationException.class).hasMessageContaining("overflows column 'balance'");
    assertThatThrownBy(() -> table.update(Expression.parse("id = 1"), Map.of("id", literal(null))))
        .isInstanceOf(InvalidRowException.class).hasMessageContaining("not-null");
    assertThatThrownBy(() -> Expression.parse("id = = 1")).isInstanceOf(InvalidExpressionException.class)
        .hasMessageContaining("position");
    assertThat(table.currentSnapshot().version()).isEqualTo(version);
    assertThat(byId()).hasSize(20);
    assertThat(byId().get(1L).getInt("n")).isEqualTo(1);
  }

  @Test
  void transactionsCombineOperationsAndSeeTheirOwnWrites() {
    CommitResult r = table.transact(tx -> {
      tx.append(List.of(row(300, "a", "1", 1, "eu")));
      tx.update(Expression.parse("id = 300"), Map.of("name", literal("b")));
      assertThat(tx.scan().where(Expression.parse("id = 300")).toList()).extracting(x -> x.getString("name"))
          .containsExactly("b");
      tx.delete(Expression.parse("id = 0"));
    });
    assertThat(r.rowsInserted()).isEqualTo(1);
    assertThat(r.rowsUpdated()).isEqualTo(1);
    assertThat(r.rowsDeleted()).isEqualTo(1);
    Map<Long, Row> rows = byId();
    assertThat(rows.get(300L).getString("name")).isEqualTo("b");
    assertThat(rows).doesNotContainKey(0L).hasSize(20);
    assertKernelAgrees();
  }

  @Test
  void idempotentWritesAreAppliedOnce() {
    for (int i = 0; i < 3; i++) {
      try (Transaction tx = table.newTransaction()) {
        CommitResult r = tx.append(List.of(row(400, "once", null, null, "eu"))).idempotent("loader", 7).commit();
        assertThat(r.committed()).isEqualTo(i == 0);
      }
    }
    try (Transaction tx = table.newTransaction()) {
      assertThat(tx.append(List.of(row(401, "older", null, null, "eu"))).idempotent("loader", 6).commit().committed())
          .isFalse();
    }
    try (Transaction tx = table.newTransaction()) {
      assertThat(tx.append(List.of(row(402, "newer", null, null, "eu"))).idempotent("loader", 8).commit().committed())
          .isTrue();
    }
    assertThat(table.newScan().where(Expression.parse("id >= 400")).toList()).extracting(r -> r.getLong("id"))
        .containsExactlyInAnyOrder(400L, 402L);
  }

  @Test
  void schemaChanges() {
    table.alterSchema(SchemaChange.addColumn("note", PrimitiveType.STRING), SchemaChange.widenColumn("n", PrimitiveType.LONG));
    Snapshot s = table.currentSnapshot();
    assertThat(s.schema().field("n").orElseThrow().type()).isEqualTo(PrimitiveType.LONG);
    assertThat(table.history().get(0).operation()).isEqualTo("CHANGE COLUMN");
    List<Row> rows = new ArrayList<>(table.newScan().toList());
    rows.sort(Comparator.comparing(r -> r.getLong("id")));
    assertThat(rows.get(5).get("n")).isEqualTo(5L);
    assertThat(rows.get(5).get("note")).isNull();
    table.append(List.of(Map.of("id", 500L, "n", 1L << 40, "note", "hi", "region", "eu")));
    table.update(Expression.parse("id = 1"), Map.of("n", Expression.parse("n + 4294967296")));
    assertThat(byId().get(1L).get("n")).isEqualTo(4294967297L);
    assertKernelAgrees();
    Table relaxed = Table.define(dir.resolve("r").toString(), Schema.parse("k long not null")).create();
    relaxed.alterSchema(SchemaChange.makeNullable("k"));
    relaxed.append(List.of(new HashMap<String, Object>()));
    assertThat(relaxed.newScan().toList().get(0).get("k")).isNull();
    assertThatThrownBy(() -> table.alterSchema(SchemaChange.renameColumn("name", "title")))
        .isInstanceOf(InvalidSchemaException.class).hasMessageContaining("column mapping");
    assertThatThrownBy(() -> table.alterSchema(SchemaChange.dropColumn("name")))
        .isInstanceOf(InvalidSchemaException.class).hasMessageContaining("column mapping");
    assertThatThrownBy(() -> table.alterSchema(SchemaChange.widenColumn("name", PrimitiveType.LONG)))
        .isInstanceOf(InvalidSchemaException.class).hasMessageContaining("cannot change");
    assertThatThrownBy(() -> table.alterSchema(SchemaChange.addColumn("NAME", PrimitiveType.LONG)))
        .isInstanceOf(InvalidSchemaException.class).hasMessageContaining("duplicate");
  }

  @Test
  void staleWriterGetsAClearMetadataConflict() {
    try (Table other = Table.open(path.toString())) {
      Transaction tx = other.newTransaction().append(List.of(row(600, "x", null, null, "eu")));
      table.alterSchema(SchemaChange.addColumn("extra", PrimitiveType.LONG));
      assertThatThrownBy(tx::commit).isInstanceOf(MetadataChangedException.class)
          .hasMessageContaining("changed the table's metadata");
      tx.close();
      other.append(List.of(row(600, "x", null, null, "eu")));
    }
    assertThat(table.newScan().where(Expression.parse("id = 600 AND extra IS NULL")).count()).isEqualTo(1);
    assertThat(column("x")).isNotNull();
  }
}
