package io.datashard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Log entries crafted to make a reader leave the table root, or malformed ones: each must give a
 * specific error naming the table, version and file, and nothing outside the root is read.
 */
class HostileLogTest {
  @TempDir Path dir;
  private Path table;
  private Path outside;
  private static final Schema SCHEMA = Schema.parse("k long not null");

  @BeforeEach
  void setUp() throws IOException {
    // A real, readable data file outside the table: reading it would return rows, not an error.
    Path other = dir.resolve("other");
    try (Table t = Table.create(other.toString(), SCHEMA)) {
      t.append(List.of(Map.of("k", 666L)));
    }
    outside = TestLogs.addPaths(other).stream().map(other::resolve).findFirst().orElseThrow();
    table = dir.resolve("t");
    try (Table t = Table.create(table.toString(), SCHEMA)) {
      t.append(List.of(Map.of("k", 1L)));
    }
  }

  private void writeCommit(long version, String json) throws IOException {
    Files.writeString(table.resolve(String.format("_delta_log/%020d.json", version)), json);
  }

  private String add(String path) {
    return "{\"add\":{\"path\":" + quote(path) + ",\"partitionValues\":{},\"size\":" + fileSize()
        + ",\"modificationTime\":1,\"dataChange\":true}}\n";
  }

  private long fileSize() {
    try {
      return Files.size(outside);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  private void assertCorruptOnScan(String... messageParts) {
    try (Table t = Table.open(table.toString())) {
      assertThatThrownBy(() -> t.newScan().toList()).isInstanceOf(CorruptTableException.class)
          .hasMessageContaining("version 2").hasMessageContaining(table.toString())
          .satisfies(e -> {
            for (String part : messageParts) {
              assertThat(e.getMessage()).contains(part);
            }
          });
    }
  }

  @Test
  void relativePathEscapingTheRootIsRefused() throws IOException {
    writeCommit(2, add("../other/" + outside.getFileName()));
    assertCorruptOnScan("../other/", "outside the table root");
  }

  @Test
  void absolutePathElsewhereIsRefused() throws IOException {
    writeCommit(2, add(outside.toString()));
    assertCorruptOnScan("outside the table root");
    writeCommit(3, add("file://" + outside));
    try (Table t = Table.open(table.toString())) {
      assertThatThrownBy(() -> t.newScan().toList()).isInstanceOf(CorruptTableException.class);
    }
  }

  @Test
  void encodedDotDotIsRefused() throws IOException {
    writeCommit(2, add("%2E%2E/other/" + outside.getFileName()));
    assertCorruptOnScan("outside the table root");
  }

  @Test
  void symlinkPointingOutOfTheTableIsRefused() throws IOException {
    Files.createSymbolicLink(table.resolve("evil.parquet"), outside);
    writeCommit(2, add("evil.parquet"));
    assertCorruptOnScan("leads outside");
  }

  @Test
  void malformedEntriesNameVersionFileAndLine() throws IOException {
    writeCommit(2, "{\"commitInfo\":{}}\n{\"add\":{\"path\":\"x.parquet\",\"partitionValues\":{}");
    assertThatThrownBy(() -> Table.open(table.toString())).isInstanceOf(CorruptTableException.class)
        .hasMessageContaining("version 2").hasMessageContaining("00000000000000000002.json")
        .hasMessageContaining("line 2").hasMessageContaining("invalid JSON at column")
        .hasMessageNotContaining("REDACTED");
    writeCommit(2, "{\"add\":{\"path\":\"x.parquet\",\"partitionValues\":{},\"size\":\"big\",\"modificationTime\":1,"
        + "\"dataChange\":true}}\n");
    assertThatThrownBy(() -> Table.open(table.toString())).isInstanceOf(CorruptTableException.class)
        .hasMessageContaining("add.size is not a 64-bit integer");
    writeCommit(2, "{\"frobnicate\":{}}\n");
    assertThatThrownBy(() -> Table.open(table.toString())).isInstanceOf(CorruptTableException.class)
        .hasMessageContaining("unknown action type 'frobnicate'");
    writeCommit(2, "{\"add\":{\"path\":\"x.parquet\",\"partitionValues\":{},\"size\":-5,\"modificationTime\":1,"
        + "\"dataChange\":true}}\n");
    assertThatThrownBy(() -> Table.open(table.toString())).isInstanceOf(CorruptTableException.class)
        .hasMessageContaining("negative");
  }

  @Test
  void missingDataFileAndUnsupportedFeaturesAreClear() throws IOException {
    writeCommit(2, "{\"add\":{\"path\":\"gone.parquet\",\"partitionValues\":{},\"size\":5,\"modificationTime\":1,"
        + "\"dataChange\":true}}\n");
    assertCorruptOnScan("gone.parquet", "missing");
    writeCommit(3, "{\"protocol\":{\"minReaderVersion\":3,\"minWriterVersion\":7,\"readerFeatures\":[\"variantType\"],"
        + "\"writerFeatures\":[\"variantType\"]}}\n");
    assertThatThrownBy(() -> Table.open(table.toString())).isInstanceOf(UnsupportedTableFeatureException.class)
        .hasMessageContaining("variantType");
  }

  @Test
  void aLogWithoutProtocolIsCorrupt() throws IOException {
    Path bare = dir.resolve("bare");
    Files.createDirectories(bare.resolve("_delta_log"));
    Files.writeString(bare.resolve("_delta_log/00000000000000000000.json"), "{\"commitInfo\":{}}\n");
    assertThatThrownBy(() -> Table.open(bare.toString())).isInstanceOf(CorruptTableException.class)
        .hasMessageContaining("no protocol");
  }
}
