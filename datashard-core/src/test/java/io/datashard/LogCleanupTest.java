package io.datashard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Expired log files go only behind a checkpoint: every retained version stays readable (by us and
 * by Delta Kernel), older ones fail clearly.
 */
class LogCleanupTest {
  private static final TableOptions FAST = TableOptions.builder().durability(Durability.NO_SYNC).build();
  private static final FileTime TWO_DAYS_AGO = FileTime.from(Instant.now().minus(Duration.ofDays(2)));
  @TempDir Path dir;
  private Path path;
  private Path log;

  @BeforeEach
  void setUp() {
    path = dir.resolve("t");
    log = path.resolve("_delta_log");
    try (Table t = Table.define(path.toString(), Schema.parse("k long not null")).options(FAST)
        .property("delta.checkpointInterval", "5").property("delta.logRetentionDuration", "interval 1 days").create()) {
      for (long k = 1; k <= 12; k++) {
        t.append(List.of(Map.of("k", k)));
      }
    } // closing waits for the background checkpoint: the one of version 10 is certain
    assertThat(log.resolve(checkpoint(10))).exists();
  }

  private static String commit(long v) {
    return String.format("%020d.json", v);
  }

  private static String checkpoint(long v) {
    return String.format("%020d.checkpoint.parquet", v);
  }

  /** Makes the log files of versions 0..upTo look two days old. */
  private void age(long upTo) throws IOException {
    try (Stream<Path> files = Files.list(log)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        String name = f.getFileName().toString();
        if (name.matches("\\d{20}\\..*") && Long.parseLong(name.substring(0, 20)) <= upTo) {
          Files.setLastModifiedTime(f, TWO_DAYS_AGO);
        }
      }
    }
  }

  private List<String> logNames() throws IOException {
    try (Stream<Path> files = Files.list(log)) {
      return files.map(f -> f.getFileName().toString()).filter(n -> n.matches("\\d{20}\\..*")).sorted().toList();
    }
  }

  private void assertCleanedUpTo10() throws IOException {
    assertThat(logNames()).allSatisfy(n -> assertThat(Long.parseLong(n.substring(0, 20))).isGreaterThanOrEqualTo(10))
        .contains(commit(10), checkpoint(10), commit(11), commit(12));
    try (Table t = Table.open(path.toString(), FAST)) {
      assertThat(t.newScan().count()).isEqualTo(12);
      assertThat(t.snapshot(10).rowCount()).hasValue(10);
      assertThat(t.snapshot(11).rowCount()).hasValue(11);
      assertThatThrownBy(() -> t.snapshot(9)).isInstanceOf(VersionNotFoundException.class)
          .hasMessageContaining("cleaned up");
      assertThat(t.history()).extracting(HistoryEntry::version).containsExactly(12L, 11L, 10L);
      assertThat(t.verify(true).errors()).isEmpty();
      KernelInteropTest.assertKernelReadsTheSame(t, path, 12);
      KernelInteropTest.assertKernelReadsTheSame(t, path, 10);
      t.append(List.of(Map.of("k", 13L)));
      assertThat(t.newScan().count()).isEqualTo(13);
    }
  }

  @Test
  void vacuumRemovesExpiredLogFilesBehindTheNewestOldCheckpoint() throws IOException {
    age(10);
    try (Table t = Table.open(path.toString(), FAST)) {
      VacuumResult r = t.vacuum().execute();
      assertThat(r.logFilesDeleted()).isGreaterThanOrEqualTo(20); // commits and checksums 0..9 (+ checkpoint 5)
    }
    assertCleanedUpTo10();
  }

  @Test
  void aCheckpointCleansUpAutomatically() throws IOException {
    age(10);
    try (Table t = Table.open(path.toString(), FAST)) {
      t.checkpoint();
    }
    assertCleanedUpTo10();
  }

  @Test
  void nothingIsRemovedWithoutACheckpointOlderThanTheRetention() throws IOException {
    age(12);
    try (Stream<Path> files = Files.list(log)) {
      for (Path f : (Iterable<Path>) files.filter(f -> f.toString().contains("checkpoint"))::iterator) {
        Files.delete(f);
      }
    }
    List<String> before = logNames();
    try (Table t = Table.open(path.toString(), FAST)) {
      assertThat(t.vacuum().execute().logFilesDeleted()).isZero();
    }
    assertThat(logNames()).isEqualTo(before);
  }

  @Test
  void recentLogFilesStayEvenBehindAnOldCheckpoint() throws IOException {
    age(10);
    Files.setLastModifiedTime(log.resolve(commit(3)), FileTime.from(Instant.now()));
    try (Table t = Table.open(path.toString(), FAST)) {
      t.vacuum().execute();
    }
    // Deleting stops at the first recent commit, oldest first, so the log stays contiguous.
    assertThat(logNames()).contains(commit(3), commit(4)).doesNotContain(commit(2));
    try (Table t = Table.open(path.toString(), FAST)) {
      assertThat(t.verify(false).errors()).isEmpty();
      assertThat(t.newScan().count()).isEqualTo(12);
    }
  }

  @Test
  void aCleanupKilledHalfwayLeavesAReadableLogThatTheNextOneFinishes() throws IOException {
    age(10);
    for (long v = 0; v <= 4; v++) {
      Files.delete(log.resolve(commit(v))); // what a cleanup killed after version 4 leaves
    }
    try (Table t = Table.open(path.toString(), FAST)) {
      assertThat(t.newScan().count()).isEqualTo(12);
      assertThat(t.verify(false).errors()).isEmpty();
      t.vacuum().execute();
    }
    assertCleanedUpTo10();
  }

  @Test
  void anUnreadableCheckpointAfterCleanupFailsClearlyNeverAnEmptyTable() throws IOException {
    age(10);
    try (Table t = Table.open(path.toString(), FAST)) {
      t.vacuum().execute();
    }
    Files.writeString(log.resolve(checkpoint(10)), "not parquet");
    Files.deleteIfExists(log.resolve("_last_checkpoint"));
    assertThatThrownBy(() -> {
      try (Table t = Table.open(path.toString(), FAST)) {
        t.newScan().count();
      }
    }).isInstanceOf(CorruptTableException.class).hasMessageContaining("checkpoint");
  }

  @Test
  void killedWritersStagingFilesOlderThanTheRetentionAreRemoved() throws IOException {
    Path old = Files.writeString(log.resolve(".staged.dead.tmp"), "{}");
    Files.setLastModifiedTime(old, TWO_DAYS_AGO);
    Path fresh = Files.writeString(log.resolve(".staged.live.tmp"), "{}");
    age(10);
    try (Table t = Table.open(path.toString(), FAST)) {
      t.vacuum().execute();
    }
    assertThat(old).doesNotExist();
    assertThat(fresh).exists();
  }
}
