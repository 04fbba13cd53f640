package io.datashard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.datashard.testing.KernelOracle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {
  @TempDir Path dir;
  private Path path;
  private Path log;
  private static final TableOptions FAST = TableOptions.builder().durability(Durability.NO_SYNC).build();

  @BeforeEach
  void setUp() {
    path = dir.resolve("t");
    log = path.resolve("_delta_log");
    try (Table t = Table.define(path.toString(), Schema.parse("k long not null, v string"))
        .property("delta.checkpointInterval", "10").options(FAST).create()) {
      for (long k = 1; k <= 25; k++) {
        t.append(List.of(Map.of("k", k, "v", "v" + k)));
      }
      t.delete(Expression.parse("k = 3"));
    }
  }

  private static String commit(long v) {
    return String.format("%020d.json", v);
  }

  private static String checkpoint(long v) {
    return String.format("%020d.checkpoint.parquet", v);
  }

  @Test
  void writersCheckpointEveryIntervalAndKernelReadsThem() throws IOException {
    // Requests made while a checkpoint is written coalesce into the newest, so only 20 is certain.
    assertThat(log.resolve(checkpoint(20))).exists();
    assertThat(Files.readString(log.resolve("_last_checkpoint"))).contains("\"version\":20");
    try (Table t = Table.open(path.toString())) {
      assertThat(t.currentSnapshot().version()).isEqualTo(26);
      assertThat(t.newScan().count()).isEqualTo(24);
      KernelInteropTest.assertKernelReadsTheSame(t, path, 26);
      KernelInteropTest.assertKernelReadsTheSame(t, path, 15);
    }
  }

  @Test
  void theTableStaysReadableAfterTheLogBeforeACheckpointIsDeleted() throws IOException {
    // Delta Kernel needs the checkpoint version's own commit file, as log cleanup keeps it.
    for (long v = 0; v < 20; v++) {
      Files.delete(log.resolve(commit(v)));
    }
    try (Table t = Table.open(path.toString())) {
      assertThat(t.currentSnapshot().version()).isEqualTo(26);
      assertThat(t.newScan().toList()).hasSize(24).noneMatch(r -> r.getLong("k") == 3);
      assertThat(t.snapshot(22).rowCount()).hasValue(22);
      assertThatThrownBy(() -> t.snapshot(15)).isInstanceOf(VersionNotFoundException.class);
      t.append(List.of(Map.of("k", 100L)));
      assertThat(t.newScan().count()).isEqualTo(25);
    }
    assertThat(KernelOracle.readRows(path)).hasSize(25);
  }

  @Test
  void anUnreadableCheckpointFallsBackToAnOlderOneOrToTheJsonLog() throws IOException {
    Files.writeString(log.resolve(checkpoint(20)), "not parquet");
    try (Table t = Table.open(path.toString())) {
      assertThat(t.newScan().count()).isEqualTo(24);
    }
    Files.writeString(log.resolve(checkpoint(10)), "not parquet either");
    try (Table t = Table.open(path.toString())) {
      assertThat(t.newScan().count()).isEqualTo(24);
    }
    for (long v = 0; v <= 20; v++) {
      Files.delete(log.resolve(commit(v)));
    }
    assertThatThrownBy(() -> Table.open(path.toString())).isInstanceOf(CorruptTableException.class)
        .hasMessageContaining("checkpoint");
  }

  @Test
  void aCorruptPointerIsOnlyAHint() throws IOException {
    Files.writeString(log.resolve("_last_checkpoint"), "{garbage");
    try (Table t = Table.open(path.toString())) {
      assertThat(t.newScan().count()).isEqualTo(24);
    }
  }

  @Test
  void explicitAndConcurrentCheckpointsAreSafe() throws Exception {
    try (Table a = Table.open(path.toString(), FAST); Table b = Table.open(path.toString(), FAST)) {
      Thread other = new Thread(b::checkpoint);
      other.start();
      assertThat(a.checkpoint()).isEqualTo(26);
      other.join();
    }
    assertThat(log.resolve(checkpoint(26))).exists();
    assertThat(Files.readString(log.resolve("_last_checkpoint"))).contains("\"version\":26");
    for (long v = 0; v < 26; v++) {
      Files.delete(log.resolve(commit(v)));
    }
    try (Table t = Table.open(path.toString())) {
      assertThat(t.currentSnapshot().version()).isEqualTo(26);
      assertThat(t.newScan().count()).isEqualTo(24);
    }
    assertThat(KernelOracle.readRows(path)).hasSize(24);
  }
}
