package io.datashard.internal.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.datashard.Compression;
import io.datashard.CorruptTableException;
import io.datashard.Schema;
import io.datashard.Table;
import io.datashard.UnsupportedTableFeatureException;
import io.datashard.internal.log.Action.AddFile;
import io.datashard.internal.parquet.DataFileWriter;
import io.datashard.internal.storage.LocalStorage;
import io.datashard.storage.NewFile;
import io.datashard.testing.KernelOracle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Parquet v2 checkpoint ({@code N.checkpoint.<uuid>.parquet} with {@code checkpointMetadata} and
 * {@code sidecar} actions, the file actions in {@code _delta_log/_sidecars/}), written here from the
 * protocol's description, with the commits before it deleted so that only the checkpoint can
 * rebuild the table. DataShard and Delta Kernel must read the same rows, whatever
 * {@code _last_checkpoint} says.
 */
class V2CheckpointTest {
  @TempDir Path dir;
  private Path table;
  private LocalStorage storage;
  private String checkpointName;
  private final List<Long> expected = new ArrayList<>();

  private static Object[] row(int column, Object value) {
    Object[] r = new Object[Checkpoints.READ_SCHEMA.size()];
    r[column] = value;
    return r;
  }

  private long writeParquet(String path, List<Object[]> rows) throws IOException {
    try (NewFile out = storage.create(path)) {
      DataFileWriter.write(out, Checkpoints.READ_SCHEMA, rows, Compression.SNAPPY);
      long size = out.publish();
      out.awaitDurable();
      return size;
    }
  }

  @BeforeEach
  void setUp() throws IOException {
    table = dir.resolve("t");
    try (Table t = Table.create(table.toString(), Schema.parse("k long not null"))) {
      for (long k = 0; k < 6; k++) {
        t.append(List.of(Map.of("k", k)));
        expected.add(k);
      }
    }
    storage = new LocalStorage(table, false);
    TableState state = new TableLog(storage).loadLatest();
    Files.writeString(table.resolve("_delta_log/00000000000000000007.json"),
        "{\"protocol\":{\"minReaderVersion\":3,\"minWriterVersion\":7,\"readerFeatures\":[\"v2Checkpoint\"],"
            + "\"writerFeatures\":[\"v2Checkpoint\"]}}\n");
    // Two sidecars, each with half of the files.
    List<Object[]> sidecarRows = new ArrayList<>();
    List<AddFile> files = new ArrayList<>(state.files().values());
    for (int part = 0; part < 2; part++) {
      List<Object[]> adds = new ArrayList<>();
      for (AddFile a : files.subList(part * 3, part * 3 + 3)) {
        adds.add(row(1, new Object[] {a.path(), new LinkedHashMap<>(), a.size(), a.modificationTime(), false, null,
            a.stats().orElse(null), null}));
      }
      String name = "00000000000000000007.checkpoint." + (part + 1) + "." + UUID.randomUUID() + ".parquet";
      long size = writeParquet(Checkpoints.SIDECAR_DIR + "/" + name, adds);
      sidecarRows.add(row(5, new Object[] {name, size, 1L}));
    }
    Action.Metadata m = state.metadata();
    List<Object[]> rows = new ArrayList<>();
    rows.add(row(4, new Object[] {3, 7, List.of("v2Checkpoint"), List.of("v2Checkpoint")}));
    rows.add(row(3, new Object[] {m.id(), null, null, new Object[] {"parquet", new LinkedHashMap<>()}, m.schemaString(),
        m.partitionColumns(), new LinkedHashMap<>(m.configuration()), m.createdTime().orElse(null)}));
    rows.add(row(6, new Object[] {7L}));
    rows.addAll(sidecarRows);
    checkpointName = "00000000000000000007.checkpoint." + UUID.randomUUID() + ".parquet";
    writeParquet(LogFiles.LOG_DIR + "/" + checkpointName, rows);
    for (int v = 0; v <= 6; v++) {
      Files.delete(table.resolve(LogFiles.commit(v)));
    }
  }

  private void assertBothRead() {
    try (Table t = Table.open(table.toString())) {
      assertThat(t.currentSnapshot().version()).isEqualTo(7);
      assertThat(t.newScan().toList().stream().map(r -> (Long) r.get("k")).sorted().toList())
          .containsExactlyElementsOf(expected);
    }
    assertThat(KernelOracle.readRows(table).stream().map(r -> (Long) r.get(0)).sorted().toList())
        .containsExactlyElementsOf(expected);
  }

  @Test
  void readsThroughTheLastCheckpointPointer() throws IOException {
    Files.writeString(table.resolve(LogFiles.LAST_CHECKPOINT),
        "{\"version\":7,\"size\":5,\"v2Checkpoint\":{\"path\":\"" + checkpointName + "\",\"sizeInBytes\":1,"
            + "\"modificationTime\":1}}");
    assertBothRead();
  }

  @Test
  void staleCorruptOrMissingPointersFallBackToTheListing() throws IOException {
    Path pointer = table.resolve(LogFiles.LAST_CHECKPOINT);
    Files.writeString(pointer, "{\"version\":7,\"size\":5,\"v2Checkpoint\":{\"path\":\"00000000000000000007.checkpoint."
        + UUID.randomUUID() + ".json\",\"sizeInBytes\":1,\"modificationTime\":1}}");
    assertBothRead();
    Files.writeString(pointer, "{\"version\":7, garbage");
    assertBothRead();
    Files.delete(pointer);
    assertBothRead();
  }

  @Test
  void aMissingSidecarIsAnErrorNotAnEmptyTable() throws IOException {
    try (var sidecars = Files.list(table.resolve(Checkpoints.SIDECAR_DIR))) {
      Files.delete(sidecars.findFirst().orElseThrow());
    }
    assertThatThrownBy(() -> Table.open(table.toString())).isInstanceOf(io.datashard.StorageException.class)
        .hasMessageContaining("checkpoint");
  }

  @Test
  void sidecarPathsStayInTheSidecarDirectory() {
    assertThat(Checkpoints.sidecarPath("a.parquet", "w")).isEqualTo("_delta_log/_sidecars/a.parquet");
    assertThat(Checkpoints.sidecarPath("file:///x/t/_delta_log/_sidecars/a%20b.parquet", "w"))
        .isEqualTo("_delta_log/_sidecars/a b.parquet");
    assertThatThrownBy(() -> Checkpoints.sidecarPath("../../etc/passwd", "w")).isInstanceOf(CorruptTableException.class);
    assertThatThrownBy(() -> Checkpoints.sidecarPath("/tmp/a.parquet", "w")).isInstanceOf(CorruptTableException.class);
  }

  @Test
  void writesAndCheckpointsAreRefused() {
    try (Table t = Table.open(table.toString())) {
      assertThatThrownBy(() -> t.append(List.of(Map.of("k", 9L)))).isInstanceOf(UnsupportedTableFeatureException.class)
          .hasMessageContaining("v2Checkpoint");
      assertThatThrownBy(t::checkpoint).isInstanceOf(UnsupportedTableFeatureException.class)
          .hasMessageContaining("v2Checkpoint");
    }
    assertThat(table.resolve(LogFiles.commit(8))).doesNotExist();
  }
}
