package io.datashard;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** verify finds each kind of damage, naming version and file, and passes a healthy table. */
class VerifyTest {
  private static final TableOptions FAST = TableOptions.builder().durability(Durability.NO_SYNC).build();
  @TempDir Path dir;
  private Path path;
  private Path log;

  @BeforeEach
  void setUp() {
    path = dir.resolve("t");
    log = path.resolve("_delta_log");
    try (Table t = Table.define(path.toString(), Schema.parse("k long not null, v string")).options(FAST)
        .property("delta.checkpointInterval", "5").create()) {
      for (long k = 1; k <= 12; k++) {
        t.append(List.of(Map.of("k", k, "v", "v" + k)));
      }
      t.delete(Expression.parse("k = 4"));
    }
  }

  private VerifyReport verify(boolean deep) {
    try (Table t = Table.open(path.toString(), FAST)) {
      return t.verify(deep);
    }
  }

  private String firstDataFile() {
    try (Table t = Table.open(path.toString(), FAST)) {
      return t.newScan().toList().isEmpty() ? null : liveFiles().get(0);
    }
  }

  /** Live data file paths from the log (independent of the code under test). */
  private List<String> liveFiles() {
    try {
      List<String> added = new java.util.ArrayList<>(TestLogs.addPaths(path));
      added.removeIf(p -> !Files.exists(path.resolve(p)));
      return added;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void aHealthyTableIsClean() {
    VerifyReport r = verify(true);
    assertThat(r.errors()).isEmpty();
    assertThat(r.warnings()).isEmpty();
    assertThat(r.isClean()).isTrue();
    assertThat(r.version()).isEqualTo(13);
    assertThat(r.versionsChecked()).isEqualTo(14);
    assertThat(r.checkpointsChecked()).isGreaterThanOrEqualTo(1);
    assertThat(r.checksumsChecked()).as("every commit after creation wrote N.crc").isEqualTo(13);
    assertThat(r.filesChecked()).isEqualTo(11);
    assertThat(r.rowsRead()).isEqualTo(11);
    assertThat(verify(false).rowsRead()).isZero();
  }

  @Test
  void aMissingDataFileIsAnError() throws IOException {
    String file = firstDataFile();
    Files.delete(path.resolve(file));
    assertThat(verify(false).errors()).anyMatch(e -> e.contains(file) && e.contains("is missing"));
  }

  @Test
  void aDataFileOfTheWrongSizeIsAnError() throws IOException {
    String file = firstDataFile();
    Files.write(path.resolve(file), new byte[] {1}, StandardOpenOption.APPEND);
    assertThat(verify(false).errors()).anyMatch(e -> e.contains(file) && e.contains("the log records"));
  }

  @Test
  void aGapInTheLogIsAnError() throws IOException {
    Files.delete(log.resolve(String.format("%020d.json", 7)));
    assertThat(verify(false).errors()).anyMatch(e -> e.contains("gap") && e.contains("7"));
  }

  @Test
  void aWrongChecksumIsAnErrorAndATornOneAWarning() throws IOException {
    Path crc = log.resolve(String.format("%020d.crc", 12));
    Files.writeString(crc, Files.readString(crc).replace("\"numFiles\":12", "\"numFiles\":13"));
    VerifyReport r = verify(false);
    assertThat(r.errors()).anyMatch(e -> e.contains(String.format("%020d.crc", 12)) && e.contains("13 files"));

    Files.write(crc, new byte[] {'{', '"', 't'});
    r = verify(false);
    assertThat(r.errors()).isEmpty();
    assertThat(r.warnings()).anyMatch(w -> w.contains("incomplete"));
  }

  @Test
  void aCheckpointThatDiffersFromTheLogIsAnError() throws IOException {
    try (Table t = Table.open(path.toString(), FAST)) {
      t.checkpoint(); // version 13
    }
    Files.copy(log.resolve(String.format("%020d.checkpoint.parquet", 13)),
        log.resolve(String.format("%020d.checkpoint.parquet", 10)), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    assertThat(verify(false).errors()).anyMatch(e -> e.contains("checkpoint of version 10"));
  }

  @Test
  void rowCountsThatDisagreeWithStatisticsAndUnreadableFootersAreErrors() throws IOException {
    String file = firstDataFile();
    Files.copy(path.resolve(file), path.resolve("copy.parquet"));
    Files.writeString(path.resolve("garbage.parquet"), "not parquet at all");
    long size = Files.size(path.resolve("copy.parquet"));
    long garbage = Files.size(path.resolve("garbage.parquet"));
    Files.writeString(log.resolve(String.format("%020d.json", 14)), "{\"commitInfo\":{\"operation\":\"WRITE\"}}\n"
        + "{\"add\":{\"path\":\"copy.parquet\",\"partitionValues\":{},\"size\":" + size
        + ",\"modificationTime\":1,\"dataChange\":true,\"stats\":\"{\\\"numRecords\\\":5}\"}}\n"
        + "{\"add\":{\"path\":\"garbage.parquet\",\"partitionValues\":{},\"size\":" + garbage
        + ",\"modificationTime\":1,\"dataChange\":true}}\n");
    VerifyReport r = verify(false);
    assertThat(r.errors()).anyMatch(e -> e.contains("copy.parquet") && e.contains("statistics say 5"));
    assertThat(r.errors()).anyMatch(e -> e.contains("garbage.parquet") && e.contains("not a valid Parquet file"));
  }
}
