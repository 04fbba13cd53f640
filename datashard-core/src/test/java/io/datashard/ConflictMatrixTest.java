package io.datashard;

import static io.datashard.Expressions.literal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One deterministic test per cell of DESIGN §6: two transactions start on one version; the winner
 * commits, then the other commits and must rebase, re-plan or fail with the specific exception.
 */
class ConflictMatrixTest {
  @TempDir Path dir;
  private Table table;
  private Table other;
  private static final Expression ROW5 = Expression.parse("k = 5");

  private static List<Map<String, Object>> row(long k, long v) {
    return List.of(Map.of("k", k, "v", v));
  }

  @BeforeEach
  void setUp() {
    String p = dir.resolve("t").toString();
    TableOptions fast = TableOptions.builder().durability(Durability.NO_SYNC).build();
    table = Table.define(p, Schema.parse("k long not null, v long not null")).options(fast).create();
    for (long k = 0; k < 10; k++) {
      table.append(row(k, 0)); // one file per row: conflicts are decided per file
    }
    other = Table.open(p, fast);
  }

  @AfterEach
  void tearDown() {
    table.close();
    other.close();
  }

  /** The winners, each committed through the other handle. */
  private void blindAppendMatching() {
    other.append(row(5, 50));
  }

  private void nonBlindAppendMatching() {
    other.transact(tx -> {
      tx.scan().where(Expression.parse("k = 1000")).count();
      tx.append(row(5, 51));
    });
  }

  private void removeFileOfRow5() {
    other.update(ROW5, Map.of("v", literal(7L)));
  }

  private void changeMetadata() {
    other.alterSchema(SchemaChange.addColumn("extra", PrimitiveType.STRING));
  }

  private void commitAppId() {
    try (Transaction tx = other.newTransaction()) {
      tx.append(row(1000, 0)).idempotent("app", 1).commit();
    }
  }

  private long rows(String where) {
    return table.newScan().where(Expression.parse(where)).count();
  }

  @Nested
  class BlindAppend {
    private Transaction start() {
      return table.newTransaction().append(row(900, 0));
    }

    @Test
    void rebasesOverABlindAppend() {
      Transaction tx = start();
      blindAppendMatching();
      assertThat(tx.commit().attempts()).isEqualTo(2);
    }

    @Test
    void rebasesOverAnAppendMatchingAReadPredicate() {
      Transaction tx = start();
      nonBlindAppendMatching();
      assertThat(tx.commit().attempts()).isEqualTo(2);
    }

    @Test
    void rebasesOverARemove() {
      Transaction tx = start();
      removeFileOfRow5();
      assertThat(tx.commit().committed()).isTrue();
      assertThat(rows("k = 900")).isEqualTo(1);
    }

    @Test
    void failsOnAMetadataChange() {
      Transaction tx = start();
      changeMetadata();
      assertThatThrownBy(tx::commit).isInstanceOf(MetadataChangedException.class).hasMessageContaining("version 11");
      tx.close();
    }

    @Test
    void failsOnTheSameAppId() {
      Transaction tx = start().idempotent("app", 2);
      commitAppId();
      assertThatThrownBy(tx::commit).isInstanceOf(ConcurrentTransactionException.class).hasMessageContaining("'app'");
      tx.close();
    }
  }

  @Nested
  class ReplannableOperation {
    /** Runs {@code op} through transact, committing {@code winner} between its first plan and commit. */
    private CommitResult run(Consumer<Transaction> op, Runnable winner) {
      AtomicInteger runs = new AtomicInteger();
      return table.transact(tx -> {
        op.accept(tx);
        if (runs.getAndIncrement() == 0) {
          winner.run();
        }
      });
    }

    @Test
    void rebasesOverABlindAppend() {
      CommitResult r = run(tx -> tx.delete(ROW5), ConflictMatrixTest.this::blindAppendMatching);
      assertThat(r.replans()).isZero();
      assertThat(rows("k = 5")).as("the blind append serializes after the delete").isEqualTo(1);
    }

    @Test
    void replansOverAnAppendMatchingItsPredicate() {
      CommitResult r = run(tx -> tx.delete(ROW5), ConflictMatrixTest.this::nonBlindAppendMatching);
      assertThat(r.replans()).isEqualTo(1);
      assertThat(rows("k = 5")).isZero();
      assertThat(table.metrics().replans()).isEqualTo(1);
    }

    @Test
    void replansWhenAFileItReadWasRemoved() {
      CommitResult r = run(tx -> tx.update(ROW5, Map.of("v", Expression.parse("v + 1"))),
          ConflictMatrixTest.this::removeFileOfRow5);
      assertThat(r.replans()).isEqualTo(1);
      assertThat(table.newScan().where(ROW5).toList()).extracting(x -> x.getLong("v")).containsExactly(8L);
    }

    @Test
    void failsOnAMetadataChange() {
      assertThatThrownBy(() -> run(tx -> tx.delete(ROW5), ConflictMatrixTest.this::changeMetadata))
          .isInstanceOf(MetadataChangedException.class);
      assertThat(rows("k = 5")).isEqualTo(1);
    }

    @Test
    void failsOnTheSameAppId() {
      assertThatThrownBy(() -> run(tx -> {
        tx.delete(ROW5);
        tx.idempotent("app", 2);
      }, ConflictMatrixTest.this::commitAppId)).isInstanceOf(ConcurrentTransactionException.class);
    }
  }

  @Nested
  class UserReadModifyWrite {
    /** Reads v of row 5 and writes v + 1 computed by the caller, as user code would. */
    private Transaction start() {
      Transaction tx = table.newTransaction();
      long v = tx.scan().where(ROW5).toList().get(0).getLong("v");
      tx.update(ROW5, Map.of("v", literal(v + 1)));
      return tx;
    }

    @Test
    void rebasesOverABlindAppendUnderWriteSerializable() {
      Transaction tx = start();
      blindAppendMatching();
      assertThat(tx.commit().committed()).isTrue();
    }

    @Test
    void failsOverAMatchingBlindAppendUnderSerializable() {
      try (Table strict = Table.open(dir.resolve("t").toString(),
          TableOptions.builder().isolation(IsolationLevel.SERIALIZABLE).build())) {
        Transaction tx = strict.newTransaction();
        tx.scan().where(ROW5).toList();
        tx.append(row(901, 0));
        blindAppendMatching();
        assertThatThrownBy(tx::commit).isInstanceOf(ConcurrentAppendException.class)
            .hasMessageContaining("k = 5").hasMessageContaining("version 11");
        tx.close();
      }
    }

    @Test
    void failsOverAnAppendMatchingItsRead() {
      Transaction tx = start();
      nonBlindAppendMatching();
      assertThatThrownBy(tx::commit).isInstanceOf(ConcurrentAppendException.class).hasMessageContaining("k = 5");
      tx.close();
    }

    @Test
    void doesNotFailOverAnAppendOutsideItsRead() {
      Transaction tx = start();
      other.transact(t -> {
        t.scan().where(Expression.parse("k = 1000")).count();
        t.append(row(77, 0));
      });
      assertThat(tx.commit().committed()).isTrue();
    }

    @Test
    void failsWhenAFileItReadWasRemoved() {
      Transaction tx = table.newTransaction();
      long v = tx.scan().where(ROW5).toList().get(0).getLong("v");
      tx.append(row(902, v + 1)); // derived from what it read; it removes nothing itself
      removeFileOfRow5();
      assertThatThrownBy(tx::commit).isInstanceOf(ConcurrentDeleteReadException.class)
          .hasMessageContaining("version 11").hasMessageContaining(".parquet");
      tx.close();
      assertThat(table.newScan().where(ROW5).toList()).extracting(x -> x.getLong("v")).containsExactly(7L);
    }

    @Test
    void failsWhenBothRemoveTheSameFile() {
      Transaction tx = table.newTransaction();
      tx.delete(ROW5);
      other.delete(ROW5);
      assertThatThrownBy(tx::commit).isInstanceOf(ConcurrentDeleteDeleteException.class)
          .hasMessageContaining("also removed");
      tx.close();
    }

    @Test
    void failsOnAMetadataChange() {
      Transaction tx = start();
      changeMetadata();
      assertThatThrownBy(tx::commit).isInstanceOf(MetadataChangedException.class);
      tx.close();
    }

    @Test
    void failsOnTheSameAppId() {
      Transaction tx = start().idempotent("app", 2);
      commitAppId();
      assertThatThrownBy(tx::commit).isInstanceOf(ConcurrentTransactionException.class);
      tx.close();
    }
  }

  /** DESIGN §6's compaction row: optimize ({@code dataChange=false}) against each kind of winner. */
  @Nested
  class Compaction {
    private HookedStorage hooked;
    private Table compactor;

    @BeforeEach
    void openHooked() {
      hooked = new HookedStorage(dir.resolve("t"));
      compactor = Table.open(hooked, TableOptions.builder().durability(Durability.NO_SYNC).build());
    }

    @AfterEach
    void closeHooked() {
      compactor.close();
    }

    /** Runs optimize, committing {@code winner} between its plan (files rewritten) and its commit. */
    private OptimizeResult run(Runnable winner, long targetFileSize) {
      hooked.beforeStaging("\"OPTIMIZE\"", winner);
      return compactor.optimize().targetFileSize(targetFileSize).commit();
    }

    private long dataFilesOnDisk() throws java.io.IOException {
      return TestLogs.parquetFiles(dir.resolve("t"));
    }

    @Test
    void rebasesOverABlindAppend() {
      OptimizeResult r = run(ConflictMatrixTest.this::blindAppendMatching, OptimizeBuilder.DEFAULT_TARGET_FILE_SIZE);
      assertThat(r.attempts()).isEqualTo(2);
      assertThat(r.filesRemoved()).isEqualTo(10);
      assertThat(rows("k = 5")).isEqualTo(2);
      assertThat(table.currentSnapshot().fileCount()).isEqualTo(2);
      KernelInteropTest.assertKernelReadsTheSame(table, dir.resolve("t"), table.currentSnapshot().version());
    }

    @Test
    void rebasesOverAnAppendMatchingWhatItRead() {
      OptimizeResult r = run(ConflictMatrixTest.this::nonBlindAppendMatching, OptimizeBuilder.DEFAULT_TARGET_FILE_SIZE);
      assertThat(r.attempts()).isEqualTo(2);
      assertThat(r.version()).isPresent();
      assertThat(table.newScan().count()).isEqualTo(11);
    }

    @Test
    void skipsTheGroupWhoseFileAWinnerRemoved() throws java.io.IOException {
      long largest = maxFileSize();
      OptimizeResult r = run(ConflictMatrixTest.this::removeFileOfRow5, 2 * largest);
      assertThat(r.binsSkipped()).isEqualTo(1);
      assertThat(r.filesRemoved()).as("the other four pairs are compacted").isEqualTo(8);
      assertThat(table.newScan().where(ROW5).toList()).extracting(x -> x.getLong("v")).containsExactly(7L);
      assertThat(table.newScan().count()).isEqualTo(10);
      // 10 originals + the winner's rewrite + 4 compacted files; the skipped group's new file is gone.
      assertThat(dataFilesOnDisk()).isEqualTo(15);
    }

    @Test
    void failsOnAMetadataChangeAndDeletesItsFiles() throws java.io.IOException {
      assertThatThrownBy(() -> run(ConflictMatrixTest.this::changeMetadata, OptimizeBuilder.DEFAULT_TARGET_FILE_SIZE))
          .isInstanceOf(MetadataChangedException.class);
      assertThat(dataFilesOnDisk()).isEqualTo(10);
      assertThat(table.currentSnapshot().fileCount()).isEqualTo(10);
    }

    private long maxFileSize() throws java.io.IOException {
      try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(dir.resolve("t"))) {
        return files.filter(f -> f.toString().endsWith(".parquet")).mapToLong(f -> f.toFile().length()).max()
            .orElseThrow();
      }
    }
  }
}
