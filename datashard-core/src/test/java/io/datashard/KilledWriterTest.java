package io.datashard;

import static org.assertj.core.api.Assertions.assertThat;

import io.datashard.testing.KernelOracle;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A writer SIGKILLed after writing its data but before linking its log entry changes nothing. */
class KilledWriterTest {
  @TempDir Path dir;

  @Test
  void killBeforeLinkLeavesTheTableUnchangedAndWritable() throws Exception {
    Path table = dir.resolve("t");
    try (Table t = Table.create(table.toString(), Schema.parse("writer int not null, seq long not null"))) {
      t.append(List.of(Map.of("writer", 1, "seq", 1L)));
    }
    long filesBefore = TestLogs.parquetFiles(table);
    Process child = ChildJvm.start(BlockingWorker.class, dir.resolve("err"), table.toString());
    BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
    String line = out.readLine();
    assertThat(line).as("child stderr: %s", Files.readString(dir.resolve("err")))
        .isEqualTo("about to link _delta_log/00000000000000000002.json");
    child.destroyForcibly();
    assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();

    // The orphan data file and the staged entry exist, unreferenced.
    assertThat(TestLogs.parquetFiles(table)).isEqualTo(filesBefore + 1);
    try (Stream<Path> log = Files.list(table.resolve("_delta_log"))) {
      assertThat(log.map(p -> p.getFileName().toString())).anyMatch(n -> n.startsWith(".staged."))
          .doesNotContain("00000000000000000002.json");
    }
    try (Table t = Table.open(table.toString())) {
      assertThat(t.currentSnapshot().version()).isEqualTo(1);
      assertThat(t.newScan().toList()).extracting(r -> r.getInt("writer")).containsExactly(1);
      CommitResult r = t.append(List.of(Map.of("writer", 2, "seq", 1L)));
      assertThat(r.version()).isEqualTo(2);
      assertThat(t.newScan().count()).isEqualTo(2);
    }
    assertThat(KernelOracle.readRows(table)).hasSize(2);
  }
}
