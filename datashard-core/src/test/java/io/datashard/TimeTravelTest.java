package io.datashard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Time travel by timestamp: in-commit timestamps where the table enables them, file times otherwise. */
class TimeTravelTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  /**
   * A table whose commits carry in-commit timestamps 1000 s, 2000 s and 3000 s after the epoch while
   * every commit file has the same, much later modification time: only the in-commit timestamps
   * can place the versions.
   */
  @Test
  void inCommitTimestampsDecideWhereTheTableEnablesThem() throws IOException {
    Path table = dir.resolve("t");
    try (Table t = Table.create(table.toString(), Schema.parse("id long not null"))) {
      t.append(List.of(Map.of("id", 1L)));
      t.append(List.of(Map.of("id", 2L)));
    }
    FileTime sameTime = FileTime.from(Instant.parse("2030-01-01T00:00:00Z"));
    for (int v = 0; v <= 2; v++) {
      Path commit = table.resolve("_delta_log").resolve(String.format("%020d.json", v));
      List<String> lines = new ArrayList<>();
      for (String line : Files.readAllLines(commit)) {
        ObjectNode action = (ObjectNode) JSON.readTree(line);
        if (action.has("commitInfo")) {
          ((ObjectNode) action.get("commitInfo")).put("inCommitTimestamp", (v + 1) * 1_000_000L);
        }
        if (action.has("metaData")) {
          ((ObjectNode) action.get("metaData").get("configuration")).put("delta.enableInCommitTimestamps", "true");
        }
        lines.add(JSON.writeValueAsString(action));
      }
      Files.write(commit, lines);
      Files.setLastModifiedTime(commit, sameTime);
    }
    try (Table t = Table.open(table.toString())) {
      assertThat(t.snapshotAsOf(Instant.ofEpochSecond(1000)).version()).isZero();
      assertThat(t.snapshotAsOf(Instant.ofEpochSecond(2500)).version()).isEqualTo(1);
      assertThat(t.newScan().asOf(Instant.ofEpochSecond(2000)).count()).isEqualTo(1);
      assertThat(t.snapshotAsOf(Instant.ofEpochSecond(3000)).version()).isEqualTo(2);
      assertThat(t.snapshotAsOf(Instant.parse("2040-01-01T00:00:00Z")).version()).isEqualTo(2);
      assertThatThrownBy(() -> t.snapshotAsOf(Instant.ofEpochSecond(999)))
          .isInstanceOf(VersionNotFoundException.class).hasMessageContaining(table.toString());
    }
  }

  @Test
  void fileTimesPlaceVersionsOtherwiseAndVersionsOutsideTheLogAreClearErrors() throws IOException {
    Path table = dir.resolve("t");
    try (Table t = Table.create(table.toString(), Schema.parse("id long not null"))) {
      t.append(List.of(Map.of("id", 1L)));
      t.append(List.of(Map.of("id", 2L)));
    }
    for (int v = 0; v <= 2; v++) {
      Files.setLastModifiedTime(table.resolve("_delta_log").resolve(String.format("%020d.json", v)),
          FileTime.from(Instant.ofEpochSecond(1000L * (v + 1))));
    }
    try (Table t = Table.open(table.toString())) {
      assertThat(t.snapshotAsOf(Instant.ofEpochSecond(1999)).version()).isZero();
      assertThat(t.snapshotAsOf(Instant.ofEpochSecond(2000)).version()).isEqualTo(1);
      assertThat(t.newScan().asOf(Instant.ofEpochSecond(5000)).count()).isEqualTo(2);
      assertThatThrownBy(() -> t.snapshotAsOf(Instant.ofEpochSecond(999)))
          .isInstanceOf(VersionNotFoundException.class).hasMessageContaining("oldest retained version");
      assertThatThrownBy(() -> t.newScan().useSnapshot(3).count())
          .isInstanceOf(VersionNotFoundException.class).hasMessageContaining("the latest is 2");
      assertThatThrownBy(() -> t.snapshot(-1)).isInstanceOf(VersionNotFoundException.class);
    }
  }
}
