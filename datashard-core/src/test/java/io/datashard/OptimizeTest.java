package io.datashard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Compaction keeps every row exactly, reduces files, and Delta Kernel reads the result. */
class OptimizeTest {
  private static final TableOptions FAST = TableOptions.builder().durability(Durability.NO_SYNC).build();
  @TempDir Path dir;
  private Path path;

  @BeforeEach
  void setUp() {
    path = dir.resolve("t");
    long seed = System.nanoTime();
    System.out.println("OptimizeTest seed " + seed);
    Random random = new Random(seed);
    try (Table t = Table.define(path.toString(), Schema.parse("id long not null, day string, score double, tag string"))
        .partitionBy("day").options(FAST).create()) {
      for (int i = 0; i < 40; i++) {
        Map<String, Object> row = new java.util.HashMap<>();
        row.put("id", (long) random.nextInt(1000));
        row.put("day", "d" + (i % 3));
        row.put("score", random.nextBoolean() ? null : random.nextDouble());
        row.put("tag", "t" + i);
        t.append(List.of(row));
      }
      t.delete(Expression.parse("tag = 't7'"));
    }
  }

  private static List<String> rows(Table t, long version) {
    List<String> rows = new ArrayList<>();
    t.newScan().useSnapshot(version).toList().forEach(r -> rows.add(r.toString()));
    rows.sort(null);
    return rows;
  }

  @Test
  void compactsEveryPartitionKeepingEveryRow() {
    try (Table t = Table.open(path.toString(), FAST)) {
      long before = t.currentSnapshot().version();
      List<String> expected = rows(t, before);
      assertThat(t.currentSnapshot().fileCount()).isEqualTo(39);

      OptimizeResult r = t.optimize().commit();

      assertThat(r.version()).hasValue(before + 1);
      assertThat(r.filesRemoved()).isEqualTo(39);
      assertThat(r.filesAdded()).isEqualTo(3);
      assertThat(r.partitions()).isEqualTo(3);
      assertThat(r.rowsRewritten()).isEqualTo(39);
      assertThat(t.currentSnapshot().fileCount()).isEqualTo(3);
      assertThat(t.currentSnapshot().rowCount()).hasValue(39);
      assertThat(rows(t, before + 1)).isEqualTo(expected);
      assertThat(rows(t, before)).as("time travel to before the compaction").isEqualTo(expected);
      assertThat(t.history().get(0).operation()).isEqualTo("OPTIMIZE");
      assertThat(t.verify(true).errors()).isEmpty();
      KernelInteropTest.assertKernelReadsTheSame(t, path, before + 1);
      KernelInteropTest.assertKernelReadsTheSame(t, path, before);
    }
    List<String> entry = logOf(path);
    assertThat(entry.get(0)).contains("\"operation\":\"OPTIMIZE\"").contains("\"isBlindAppend\":false");
    assertThat(entry.subList(1, entry.size())).hasSize(39 + 3)
        .allSatisfy(line -> assertThat(line).contains("\"dataChange\":false"));
  }

  private static List<String> logOf(Path table) {
    try {
      return java.nio.file.Files.readAllLines(table.resolve("_delta_log/00000000000000000042.json"));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void whereLimitsTheCompactionToMatchingPartitions() {
    try (Table t = Table.open(path.toString(), FAST)) {
      OptimizeResult r = t.optimize().where(Expression.parse("day = 'd1'")).commit();
      assertThat(r.partitions()).isEqualTo(1);
      assertThat(r.filesAdded()).isEqualTo(1);
      assertThat(t.currentSnapshot().fileCount()).isEqualTo(39 - r.filesRemoved() + 1);
      assertThat(t.newScan().count()).isEqualTo(39);
    }
  }

  @Test
  void aSmallTargetSizeMakesSeveralFilesNoneMuchLargerThanIt() {
    try (Table t = Table.open(path.toString(), FAST)) {
      long target = 3 * t.currentSnapshot().sizeBytes() / 39;
      OptimizeResult r = t.optimize().targetFileSize(target).commit();
      assertThat(r.filesAdded()).isGreaterThan(3);
      assertThat(r.bytesRemoved() / r.filesRemoved()).isLessThan(target);
      assertThat(t.newScan().count()).isEqualTo(39);
      assertThat(t.verify(true).isClean()).isTrue();
    }
  }

  @Test
  void sortByOrdersTheRowsOfEachNewFile() {
    try (Table t = Table.open(path.toString(), FAST)) {
      t.optimize().where(Expression.parse("day = 'd0'")).sortBy("id", "tag").commit();
      List<Long> ids = t.newScan().where(Expression.parse("day = 'd0'")).toList().stream().map(r -> r.getLong("id"))
          .toList();
      assertThat(ids).hasSizeGreaterThan(10).isSorted();
    }
  }

  @Test
  void nothingToCompactCommitsNothing() {
    try (Table t = Table.open(path.toString(), FAST)) {
      t.optimize().commit();
      long version = t.currentSnapshot().version();
      OptimizeResult again = t.optimize().commit();
      assertThat(again.version()).isEmpty();
      assertThat(again.filesRemoved()).isZero();
      assertThat(t.currentSnapshot().version()).isEqualTo(version);
    }
  }

  @Test
  void badOptionsAreRefusedBeforeAnythingIsWritten() throws Exception {
    try (Table t = Table.open(path.toString(), FAST)) {
      long files = TestLogs.parquetFiles(path);
      assertThatThrownBy(() -> t.optimize().sortBy("nope").commit()).isInstanceOf(NoSuchColumnException.class)
          .hasMessageContaining("'nope'");
      assertThatThrownBy(() -> t.optimize().where(Expression.parse("nope = 1")).commit())
          .isInstanceOf(InvalidExpressionException.class).hasMessageContaining("'nope'");
      assertThatThrownBy(() -> t.optimize().targetFileSize(0)).isInstanceOf(IllegalArgumentException.class);
      assertThat(TestLogs.parquetFiles(path)).isEqualTo(files);
      assertThat(t.currentSnapshot().version()).isEqualTo(41);
    }
  }
}
