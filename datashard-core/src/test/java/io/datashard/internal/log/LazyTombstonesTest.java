package io.datashard.internal.log;

import static org.assertj.core.api.Assertions.assertThat;

import io.datashard.Durability;
import io.datashard.Expression;
import io.datashard.Schema;
import io.datashard.Table;
import io.datashard.TableOptions;
import io.datashard.internal.storage.LocalStorage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opening from a checkpoint leaves its tombstones unread until needed; the tombstones then derived
 * (and the checkpoints written from them) equal those of a replay of every commit.
 */
class LazyTombstonesTest {
  @TempDir
  Path dir;

  private static Map<String, Action.RemoveFile> tombstones(Path table, long version) {
    try (LocalStorage storage = new LocalStorage(table, false)) {
      return new TableLog(storage).load(version).tombstones();
    }
  }

  @Test
  void tombstonesLoadedLaterEqualThoseOfAFullReplay() throws IOException {
    Path table = dir.resolve("t");
    Table.define(table.toString(), Schema.parse("id long not null, v long")).create().close();
    TableOptions options = TableOptions.builder().durability(Durability.NO_SYNC).build();
    try (Table t = Table.open(table.toString(), options)) {
      t.append(List.of(Map.of("id", 1L, "v", 0L), Map.of("id", 2L, "v", 0L)));
      for (int i = 0; i < 20; i++) {
        t.increment(Expression.parse("id = 1"), "v", 1);
      }
      t.checkpoint(); // version 21
    }
    // A new handle loads version 21 from the checkpoint without tombstones, commits on top of it and
    // writes the next checkpoint, which needs them.
    try (Table t = Table.open(table.toString(), options)) {
      for (int i = 0; i < 15; i++) {
        t.increment(Expression.parse("id = " + (1 + i % 2)), "v", 1);
      }
      assertThat(t.checkpoint()).isEqualTo(36);
    }
    Map<String, Action.RemoveFile> fromCheckpoint = tombstones(table, 36);
    Map<String, Action.RemoveFile> afterTail = tombstones(table, 30); // checkpoint 21 plus nine commits

    Path replayOnly = dir.resolve("replay");
    copyWithoutCheckpoints(table, replayOnly);
    assertThat(fromCheckpoint.keySet()).hasSize(35).isEqualTo(tombstones(replayOnly, 36).keySet());
    assertThat(afterTail.keySet()).isEqualTo(tombstones(replayOnly, 30).keySet());
  }

  private static void copyWithoutCheckpoints(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path p : files.toList()) {
        String name = p.getFileName().toString();
        if (name.contains("checkpoint")) {
          continue;
        }
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }
}
