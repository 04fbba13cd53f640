package io.datashard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
 * Vacuum deletes only unreferenced files older than the window, never through symbolic links,
 * never outside the table or in {@code _delta_log}; including the failures audits found in other stores.
 */
class VacuumTest {
  private static final TableOptions FAST = TableOptions.builder().durability(Durability.NO_SYNC).build();
  private static final FileTime LONG_AGO = FileTime.from(Instant.now().minus(Duration.ofDays(8)));
  @TempDir Path dir;
  private Path path;

  @BeforeEach
  void setUp() {
    path = dir.resolve("t");
    try (Table t = Table.define(path.toString(), Schema.parse("id long not null, day string")).partitionBy("day")
        .options(FAST).create()) {
      for (long i = 0; i < 6; i++) {
        t.append(List.of(Map.of("id", i, "day", "d" + (i % 2))));
      }
    }
  }

  /** Every file under the table root, relative, sorted. */
  private static List<String> filesUnder(Path root) throws IOException {
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(Files::isRegularFile).map(p -> root.relativize(p).toString()).sorted().toList();
    }
  }

  /** An unreferenced file, as an aborted or killed writer leaves it, last modified 8 days ago. */
  private Path orphan(String relative) throws IOException {
    Path p = path.resolve(relative);
    Files.createDirectories(p.getParent());
    Files.write(p, "orphan".getBytes(StandardCharsets.UTF_8));
    Files.setLastModifiedTime(p, LONG_AGO);
    return p;
  }

  @Test
  void deletesOnlyOldUnreferencedFilesAndReportsThem() throws IOException {
    Path old = orphan("day=d0/part-00000-old.c000.snappy.parquet");
    Path killedTemp = orphan("day=d1/.part-00000-x.c000.snappy.parquet.1234.tmp");
    Path fresh = path.resolve("day=d0/part-00000-fresh.c000.snappy.parquet");
    Files.writeString(fresh, "a writer's uncommitted file");
    Path hidden = orphan(".keep");
    Path underscore = orphan("_meta/notes.txt");
    Path logLeftover = orphan("_delta_log/old-notes.txt");
    try (Table t = Table.open(path.toString(), FAST)) {
      List<String> before = t.newScan().toList().stream().map(Row::toString).sorted().toList();

      VacuumResult dry = t.vacuum().dryRun().execute();
      assertThat(dry.files()).containsExactly("day=d0/part-00000-old.c000.snappy.parquet",
          "day=d1/.part-00000-x.c000.snappy.parquet.1234.tmp");
      assertThat(old).exists();

      VacuumResult r = t.vacuum().execute();
      assertThat(r.filesDeleted()).isEqualTo(2);
      assertThat(r.bytesDeleted()).isEqualTo(12);
      assertThat(r.retention()).isEqualTo(Duration.ofDays(7));
      assertThat(old).doesNotExist();
      assertThat(killedTemp).doesNotExist();
      assertThat(fresh).exists();
      assertThat(hidden).exists();
      assertThat(underscore).exists();
      assertThat(logLeftover).exists();
      assertThat(t.newScan().toList().stream().map(Row::toString).sorted().toList()).isEqualTo(before);
      assertThat(t.verify(true).isClean()).isTrue();
      KernelInteropTest.assertKernelReadsTheSame(t, path, t.currentSnapshot().version());
    }
  }

  @Test
  void keepsFilesOfSnapshotsInsideTheWindowAndDeletesThemAfterIt() throws IOException {
    try (Table t = Table.open(path.toString(), FAST)) {
      t.optimize().commit();
      long compacted = t.currentSnapshot().version();
      // Replaced files are old, but the previous versions (inside the 7-day window) still read them.
      try (Stream<Path> files = Files.walk(path)) {
        for (Path p : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".parquet")
            && !f.toString().contains("_delta_log"))::iterator) {
          Files.setLastModifiedTime(p, LONG_AGO);
        }
      }
      assertThat(t.vacuum().execute().filesDeleted()).isZero();
      assertThat(t.newScan().useSnapshot(compacted - 1).count()).isEqualTo(6);

      VacuumResult r = t.vacuum().retain(Duration.ZERO).unsafeRetention().execute();
      assertThat(r.filesDeleted()).isEqualTo(6);
      assertThat(t.newScan().count()).isEqualTo(6);
      assertThat(t.verify(true).isClean()).isTrue();
      KernelInteropTest.assertKernelReadsTheSame(t, path, compacted);
    }
  }

  @Test
  void refusesARetentionBelowTheMinimumUnlessAllowed() throws IOException {
    orphan("day=d0/part-00000-old.c000.snappy.parquet");
    List<String> before = filesUnder(path);
    try (Table t = Table.open(path.toString(), FAST)) {
      assertThatThrownBy(() -> t.vacuum().retain(Duration.ofHours(167)).execute())
          .isInstanceOf(InvalidRetentionException.class).hasMessageContaining("PT167H").hasMessageContaining(path.toString());
      assertThatThrownBy(() -> t.vacuum().retain(Duration.ofDays(-1))).isInstanceOf(IllegalArgumentException.class);
    }
    assertThat(filesUnder(path)).isEqualTo(before);
  }

  @Test
  void aLongTransactionThatCommitsAfterTheVacuumKeepsItsFiles() {
    try (Table t = Table.open(path.toString(), FAST); Table vacuumer = Table.open(path.toString(), FAST)) {
      Transaction tx = t.newTransaction();
      tx.append(List.of(Map.of("id", 100L, "day", "d0")));
      assertThat(vacuumer.vacuum().execute().filesDeleted()).isZero();
      assertThat(tx.commit().committed()).isTrue();
      assertThat(t.newScan().where(Expression.parse("id = 100")).count()).isEqualTo(1);
      assertThat(t.verify(false).isClean()).isTrue();
    }
  }

  @Test
  void theUnsafeRetentionDeletesAnOpenTransactionsFilesWhichIsWhyItIsRefusedByDefault() {
    try (Table t = Table.open(path.toString(), FAST); Table vacuumer = Table.open(path.toString(), FAST)) {
      Transaction tx = t.newTransaction();
      tx.append(List.of(Map.of("id", 100L, "day", "d0")));
      assertThat(vacuumer.vacuum().retain(Duration.ZERO).unsafeRetention().execute().filesDeleted()).isEqualTo(1);
      tx.commit();
      assertThat(t.verify(false).errors()).anyMatch(e -> e.contains("is missing"));
    }
  }

  @Test
  void aTableOpenedThroughASymlinkedRootIsVacuumedExactlyAsThroughItsRealPath() throws IOException {
    orphan("day=d0/part-00000-old.c000.snappy.parquet");
    Path link = Files.createSymbolicLink(dir.resolve("link"), path);
    List<String> dryReal;
    try (Table real = Table.open(path.toString(), FAST)) {
      dryReal = real.vacuum().dryRun().execute().files();
    }
    try (Table viaLink = Table.open(link.toString(), FAST)) {
      assertThat(viaLink.vacuum().dryRun().execute().files()).isEqualTo(dryReal)
          .containsExactly("day=d0/part-00000-old.c000.snappy.parquet");
      assertThat(viaLink.vacuum().execute().filesDeleted()).isEqualTo(1);
      assertThat(viaLink.newScan().count()).isEqualTo(6);
      assertThat(viaLink.verify(true).isClean()).isTrue();
    }
    try (Table real = Table.open(path.toString(), FAST)) {
      KernelInteropTest.assertKernelReadsTheSame(real, path, real.currentSnapshot().version());
    }
  }

  @Test
  void neverFollowsOrDeletesSymlinksInsideTheTable() throws IOException {
    Path outside = Files.createDirectories(dir.resolve("outside"));
    Path victim = outside.resolve("part-00000-victim.c000.snappy.parquet");
    Files.writeString(victim, "not the table's");
    Files.setLastModifiedTime(victim, LONG_AGO);
    Path dirLink = Files.createSymbolicLink(path.resolve("day=d9"), outside);
    Path fileLink = Files.createSymbolicLink(path.resolve("part-00000-link.c000.snappy.parquet"), victim);
    try (Table t = Table.open(path.toString(), FAST)) {
      VacuumResult r = t.vacuum().retain(Duration.ZERO).unsafeRetention().execute();
      assertThat(r.files()).noneMatch(f -> f.contains("victim") || f.contains("link"));
    }
    assertThat(victim).exists();
    assertThat(Files.isSymbolicLink(dirLink)).isTrue();
    assertThat(Files.isSymbolicLink(fileLink)).isTrue();
  }

  @Test
  void logEntriesWithEscapingPathsMakeVacuumDeleteNothing() throws IOException {
    Path outsideFile = Files.writeString(dir.resolve("outside.parquet"), "not the table's");
    Path old = orphan("day=d0/part-00000-old.c000.snappy.parquet");
    for (String hostile : List.of("../outside.parquet", outsideFile.toString(), "day%3Dd0/..%2F..%2Foutside.parquet")) {
      long next;
      try (Table t = Table.open(path.toString(), FAST)) {
        next = t.currentSnapshot().version() + 1;
      }
      Path entry = path.resolve(String.format("_delta_log/%020d.json", next));
      Files.writeString(entry, "{\"commitInfo\":{\"operation\":\"WRITE\"}}\n{\"remove\":{\"path\":\""
          + hostile.replace("\\", "\\\\") + "\",\"deletionTimestamp\":" + System.currentTimeMillis()
          + ",\"dataChange\":true}}\n");
      try (Table t = Table.open(path.toString(), FAST)) {
        assertThatThrownBy(() -> t.vacuum().retain(Duration.ZERO).unsafeRetention().execute())
            .isInstanceOf(CorruptTableException.class).hasMessageContaining("refused");
        assertThat(t.verify(false).errors()).anyMatch(e -> e.contains("refused"));
      }
      assertThat(old).exists();
      assertThat(outsideFile).exists();
      Files.delete(entry);
    }
  }
}
