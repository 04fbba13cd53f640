package io.datashard.internal.parquet;

import static io.datashard.internal.parquet.ParquetTestFiles.describe;
import static io.datashard.internal.parquet.ParquetTestFiles.writeExample;
import static org.assertj.core.api.Assertions.assertThat;

import io.datashard.CloseableIterator;
import io.datashard.Field;
import io.datashard.PrimitiveType;
import io.datashard.Row;
import io.datashard.StructType;
import io.datashard.internal.expr.BoundExpression;
import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongPredicate;
import java.util.stream.LongStream;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Deleted row positions across row groups, and columns found by physical name or field id. */
class MappedAndDeletedReadTest {
  @TempDir Path dir;

  private static List<Object[]> read(Path file, StructType schema, ColumnMapping mapping, LongPredicate deleted)
      throws IOException {
    return read(file, schema, mapping, deleted, Optional.empty(), new ReadMetrics());
  }

  private static List<Object[]> read(Path file, StructType schema, ColumnMapping mapping, LongPredicate deleted,
      Optional<RowGroupFilter> filter, ReadMetrics metrics) throws IOException {
    SeekableByteChannel ch = Files.newByteChannel(file);
    List<Object[]> rows = new ArrayList<>();
    try (CloseableIterator<Object[]> it = DataFileReader.read(ch, ch.size(), schema, describe(file), mapping, deleted,
        filter, metrics)) {
      it.forEachRemaining(rows::add);
    }
    return rows;
  }

  @Test
  void deletedPositionsAreAbsoluteAcrossRowGroups() throws IOException {
    Path file = dir.resolve("groups.parquet");
    long n = 20_000;
    writeExample(file, "message m { required int64 k; }", 4096, sink -> {
      for (long k = 0; k < n; k++) {
        sink.write(sink.newRecord().append("k", k));
      }
    });
    try (SeekableByteChannel ch = Files.newByteChannel(file);
        ParquetFileReader footer = ParquetFileReader.open(new ChannelInputFile(ch, ch.size(), "f", new ReadMetrics()))) {
      assertThat(footer.getRowGroups()).as("row groups").hasSizeGreaterThan(3);
    }
    LongPredicate deleted = k -> k % 7 == 0 || (k >= 9_000 && k < 11_000) || k == n - 1;
    List<Object[]> rows = read(file, new StructType(List.of(new Field("k", PrimitiveType.LONG, false))), ColumnMapping.NONE, deleted);
    List<Long> expected = LongStream.range(0, n).filter(k -> !deleted.test(k)).boxed().toList();
    assertThat(rows.stream().map(r -> (Long) r[0]).toList()).containsExactlyElementsOf(expected);

    // With the first row groups skipped by statistics, positions still count from the file's start.
    StructType schema = new StructType(List.of(new Field("k", PrimitiveType.LONG, false)));
    ReadMetrics metrics = new ReadMetrics();
    RowGroupFilter filter = RowGroupFilter.matching(
        BoundExpression.bindPredicate(io.datashard.Expression.parse("k >= 15000"), schema), schema);
    List<Long> tail = read(file, schema, ColumnMapping.NONE, deleted, Optional.of(filter), metrics).stream()
        .map(r -> (Long) r[0]).filter(k -> k >= 15_000).toList();
    assertThat(metrics.rowGroupsSkipped()).isPositive();
    assertThat(tail).containsExactlyElementsOf(expected.stream().filter(k -> k >= 15_000).toList());
  }

  @Test
  void columnsAreFoundByPhysicalNameOrFieldId() throws IOException {
    Path file = dir.resolve("mapped.parquet");
    writeExample(file, "message m { required int64 col_a = 5; optional group col_s = 6 { optional binary col_x (UTF8) = 7; }"
        + " optional int64 plain; }",
        sink -> {
          var r = sink.newRecord().append("col_a", 42L).append("plain", 7L);
          r.addGroup("col_s").append("col_x", "nested");
          sink.write(r);
        });
    StructType inner = new StructType(List.of(new Field("x", PrimitiveType.STRING, true,
        Map.of(ColumnMapping.PHYSICAL_NAME, "col_x", ColumnMapping.FIELD_ID, 7))));
    // Physical names deliberately differ from the file's in mode id, which must match by id alone.
    StructType byId = new StructType(List.of(
        new Field("a", PrimitiveType.LONG, true, Map.of(ColumnMapping.PHYSICAL_NAME, "other", ColumnMapping.FIELD_ID, 5)),
        new Field("s", new StructType(List.of(new Field("x", PrimitiveType.STRING, true,
            Map.of(ColumnMapping.PHYSICAL_NAME, "other", ColumnMapping.FIELD_ID, 7)))), true,
            Map.of(ColumnMapping.PHYSICAL_NAME, "other", ColumnMapping.FIELD_ID, 6))));
    Object[] row = read(file, byId, ColumnMapping.ID, k -> false).get(0);
    assertThat(row[0]).isEqualTo(42L);
    assertThat(((Row) row[1]).get("x")).as("nested rows carry logical names").isEqualTo("nested");

    StructType byName = new StructType(List.of(
        new Field("a", PrimitiveType.LONG, true, Map.of(ColumnMapping.PHYSICAL_NAME, "col_a", ColumnMapping.FIELD_ID, 99)),
        new Field("s", inner, true, Map.of(ColumnMapping.PHYSICAL_NAME, "col_s")),
        new Field("plain", PrimitiveType.LONG, true)));
    row = read(file, byName, ColumnMapping.NAME, k -> false).get(0);
    assertThat(row[0]).isEqualTo(42L);
    assertThat(((Row) row[1]).get("x")).isEqualTo("nested");

    assertThat(row[2]).as("a field without a physical name is found by its name").isEqualTo(7L);

    // Mode none uses logical names only.
    row = read(file, byName, ColumnMapping.NONE, k -> false).get(0);
    assertThat(row).containsExactly(null, null, 7L);
    // Mode id with an id the file lacks: the column is absent, not matched by its physical name.
    row = read(file, byName, ColumnMapping.ID, k -> false).get(0);
    assertThat(row[0]).isNull();
    assertThat(row[2]).isEqualTo(7L);
  }

  /** Row groups where the wanted columns are all null (a checkpoint's tombstones) are skipped. */
  @Test
  void rowGroupsWithOnlyNullsInTheWantedColumnsAreSkipped() throws IOException {
    Path file = dir.resolve("live-then-tombstones.parquet");
    writeExample(file, "message m { optional group add { optional binary path (UTF8); }"
        + " optional group remove { optional binary path (UTF8); } }", 4096, sink -> {
          for (int i = 0; i < 20_000; i++) {
            // The first 500 rows are live files, the rest tombstones, as a checkpoint writes them.
            Group r = sink.newRecord();
            r.addGroup(i < 500 ? "add" : "remove").append("path", (i < 500 ? "f" : "r") + i);
            sink.write(r);
          }
        });
    StructType schema = new StructType(List.of(
        new Field("add", new StructType(List.of(new Field("path", PrimitiveType.STRING, true))), true)));
    ReadMetrics metrics = new ReadMetrics();
    List<Object[]> rows = read(file, schema, ColumnMapping.NONE, k -> false,
        Optional.of(RowGroupFilter.anyNonNull(List.of("add.path", "txn.appId"))), metrics);
    assertThat(rows.stream().filter(r -> r[0] != null).count()).isEqualTo(500);
    assertThat(metrics.rowGroupsTotal()).isGreaterThan(3);
    assertThat(metrics.rowGroupsTotal() - metrics.rowGroupsSkipped()).as("row groups read").isBetween(1L, 2L);
  }
}
