package io.datashard;

import static org.assertj.core.api.Assertions.assertThat;

import io.datashard.testing.KernelOracle;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Known failures of other table stores, as tests: commits that must survive, leftovers that must not matter. */
class MaintenanceRegressionTest {
  @TempDir Path dir;

  @Test
  void aFailureAfterTheCommitPointNeverDeletesTheCommittedFiles() throws Exception {
    Path path = dir.resolve("t");
    TableOptions fast = TableOptions.builder().durability(Durability.NO_SYNC).build();
    Table.define(path.toString(), Schema.parse("k long not null")).options(fast).create().close();
    HookedStorage storage = new HookedStorage(path);
    try (Table t = Table.open(storage, fast)) {
      t.append(List.of(Map.of("k", 1L)));
      // Reading the new entry's time right after it is linked fails: the commit is in the log, so
      // the append must succeed and keep its data file.
      storage.failNextInfo(String.format("_delta_log/%020d.json", 2));
      CommitResult r = t.append(List.of(Map.of("k", 2L)));
      assertThat(r.version()).isEqualTo(2);
      assertThat(t.newScan().count()).isEqualTo(2);
      assertThat(t.verify(true).errors()).isEmpty();
    }
    try (Table t = Table.open(path.toString())) {
      KernelInteropTest.assertKernelReadsTheSame(t, path, 2);
    }
  }

  @Test
  void leftoversOfAKilledWriterDisturbNobodyAndVacuumRemovesThemAfterTheRetention() throws Exception {
    Path table = dir.resolve("t");
    try (Table t = Table.create(table.toString(), Schema.parse("writer int not null, seq long not null"))) {
      t.append(List.of(Map.of("writer", 1, "seq", 1L)));
      t.checkpoint();
    }
    Process child = ChildJvm.start(BlockingWorker.class, dir.resolve("err"), table.toString());
    BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
    assertThat(out.readLine()).as("child stderr: %s", Files.readString(dir.resolve("err")))
        .startsWith("about to link");
    child.destroyForcibly(); // SIGKILL with a durable data file and a staged log entry
    assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    // And a data file killed while being written: its hidden temporary file.
    Files.writeString(table.resolve(".part-00000-killed.c000.snappy.parquet.0000.tmp"), "half a parquet file");

    List<Path> leftovers = leftovers(table);
    assertThat(leftovers).hasSize(3);
    try (Table t = Table.open(table.toString())) {
      assertThat(t.newScan().count()).isEqualTo(1);
      t.append(List.of(Map.of("writer", 2, "seq", 1L)));
      assertThat(t.verify(true).errors()).isEmpty();
      assertThat(t.vacuum().execute().filesDeleted()).as("inside the retention: kept").isZero();
      for (Path p : leftovers) {
        Files.setLastModifiedTime(p, FileTime.from(Instant.now().minus(Duration.ofDays(31))));
      }
      VacuumResult r = t.vacuum().execute();
      assertThat(r.filesDeleted()).isEqualTo(2); // the orphan data file and the temporary file
      assertThat(r.logFilesDeleted()).isEqualTo(1); // the staged entry, by log cleanup
      assertThat(leftovers(table)).isEmpty();
      assertThat(t.newScan().count()).isEqualTo(2);
      assertThat(t.verify(true).errors()).isEmpty();
    }
    assertThat(KernelOracle.readRows(table)).hasSize(2);
  }

  @Test
  void anOptimizeKilledBeforeItsCommitChangesNothingAndItsFileIsVacuumedLater() throws Exception {
    Path table = dir.resolve("t");
    try (Table t = Table.create(table.toString(), Schema.parse("writer int not null, seq long not null"))) {
      for (long i = 0; i < 5; i++) {
        t.append(List.of(Map.of("writer", 1, "seq", i)));
      }
    }
    List<String> referencedBefore = TestLogs.addPaths(table);
    Process child = ChildJvm.start(BlockingOptimizeWorker.class, dir.resolve("err"), table.toString());
    BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
    assertThat(out.readLine()).as("child stderr: %s", Files.readString(dir.resolve("err")))
        .isEqualTo("about to commit the compaction");
    child.destroyForcibly(); // SIGKILL with the compacted file written, its commit not
    assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();

    List<Path> orphans = leftovers(table);
    assertThat(orphans).as("the compacted file, unreferenced").hasSize(1);
    try (Table t = Table.open(table.toString())) {
      assertThat(t.currentSnapshot().version()).isEqualTo(5);
      assertThat(t.currentSnapshot().fileCount()).isEqualTo(5);
      assertThat(t.newScan().count()).isEqualTo(5);
      assertThat(t.verify(true).errors()).isEmpty();
      Files.setLastModifiedTime(orphans.get(0), FileTime.from(Instant.now().minus(Duration.ofDays(8))));
      assertThat(t.vacuum().execute().files()).containsExactly(table.relativize(orphans.get(0)).toString());
      OptimizeResult r = t.optimize().commit(); // a new compaction completes normally
      assertThat(r.filesRemoved()).isEqualTo(5);
      assertThat(t.newScan().count()).isEqualTo(5);
      KernelInteropTest.assertKernelReadsTheSame(t, table, t.currentSnapshot().version());
    }
    assertThat(TestLogs.addPaths(table)).containsAll(referencedBefore);
  }

  /** The killed writers' files: unreferenced data files and hidden temporary files. */
  private static List<Path> leftovers(Path table) throws Exception {
    List<String> referenced = TestLogs.addPaths(table);
    try (Stream<Path> walk = Files.walk(table)) {
      return walk.filter(Files::isRegularFile).filter(p -> {
        String name = p.getFileName().toString();
        String relative = table.relativize(p).toString();
        boolean orphanData = name.endsWith(".parquet") && !relative.startsWith("_delta_log")
            && !referenced.contains(relative);
        return orphanData || (name.startsWith(".") && name.endsWith(".tmp"));
      }).toList();
    }
  }
}
