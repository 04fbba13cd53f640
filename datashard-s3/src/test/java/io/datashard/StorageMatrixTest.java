package io.datashard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.datashard.s3.S3ProxyServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The same commit, conflict and read behaviour on every storage: a local directory and S3 (a real
 * S3Proxy server, through {@code Table.open("s3://...")} and the {@link io.datashard.storage.StorageProvider}
 * lookup). Delta Kernel reads every table written here, the S3 ones through the server's files.
 */
@Timeout(300)
class StorageMatrixTest {
  @TempDir static Path dir;
  static S3ProxyServer server;

  enum Kind { LOCAL, S3 }

  @BeforeAll
  static void startServer() throws Exception {
    server = S3ProxyServer.start(dir.resolve("s3"), 0);
    server.useForThisJvm();
  }

  @AfterAll
  static void stopServer() throws Exception {
    server.close();
  }

  /** A fresh table location of this kind. */
  private static String location(Kind kind) {
    String name = UUID.randomUUID().toString();
    return kind == Kind.LOCAL ? dir.resolve("local").resolve(name).toString()
        : "s3://" + S3ProxyServer.BUCKET + "/tables/" + name;
  }

  /** Where Kernel reads the table: the directory itself, or the S3 server's files of it. */
  private static Path localPath(Kind kind, String location) {
    return kind == Kind.LOCAL ? Path.of(location) : server.localPath(location);
  }

  private static List<Map<String, Object>> row(long k, long v) {
    return List.of(Map.of("k", k, "v", v));
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void createAppendReadTimeTravelAndCheckpoints(Kind kind) {
    String loc = location(kind);
    try (Table t = Table.define(loc, Schema.parse("k long not null, v long not null"))
        .property("delta.checkpointInterval", "4").create()) {
      for (long k = 0; k < 10; k++) {
        t.append(row(k, k * 10));
      }
      assertThat(t.currentSnapshot().version()).isEqualTo(10);
      assertThat(t.newScan().count()).isEqualTo(10);
      assertThat(t.newScan().useSnapshot(3).count()).isEqualTo(3);
      assertThat(t.newScan().where(Expression.parse("v >= 50")).count()).isEqualTo(5);
      assertThat(t.history()).hasSize(11);
      assertThat(t.checkpoint()).isEqualTo(10);
      KernelInteropTest.assertKernelReadsTheSame(t, localPath(kind, loc), 10);
      KernelInteropTest.assertKernelReadsTheSame(t, localPath(kind, loc), 5);
    }
    try (Table reopened = Table.open(loc)) {
      assertThat(reopened.currentSnapshot().version()).isEqualTo(10);
      assertThat(reopened.newScan().count()).isEqualTo(10);
      reopened.append(row(99, 0));
      assertThat(reopened.currentSnapshot().version()).isEqualTo(11);
    }
    assertThat(Files.exists(localPath(kind, loc).resolve("_delta_log/00000000000000000010.checkpoint.parquet"))).isTrue();
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void optimizeThenVacuumKeepEveryRow(Kind kind) {
    String loc = location(kind);
    try (Table t = Table.create(loc, Schema.parse("k long not null, v long not null"))) {
      for (long k = 0; k < 6; k++) {
        t.append(row(k, k));
      }
      assertThat(t.optimize().commit().filesRemoved()).isEqualTo(6);
      VacuumResult dry = t.vacuum().retain(java.time.Duration.ZERO).unsafeRetention().dryRun().execute();
      assertThat(dry.filesDeleted()).isEqualTo(6);
      VacuumResult done = t.vacuum().retain(java.time.Duration.ZERO).unsafeRetention().execute();
      assertThat(done.filesDeleted()).isEqualTo(6);
      assertThat(t.newScan().count()).isEqualTo(6);
      assertThat(t.verify(true).isClean()).isTrue();
      KernelInteropTest.assertKernelReadsTheSame(t, localPath(kind, loc), t.currentSnapshot().version());
    }
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void missingAndExistingTablesAreReported(Kind kind) {
    String loc = location(kind);
    assertThatThrownBy(() -> Table.open(loc)).isInstanceOf(TableNotFoundException.class).hasMessageContaining(loc);
    Table.create(loc, Schema.parse("k long not null")).close();
    assertThatThrownBy(() -> Table.create(loc, Schema.parse("k long not null")))
        .isInstanceOf(TableAlreadyExistsException.class);
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void concurrentHandlesAppendAndIncrementExactly(Kind kind) throws Exception {
    String loc = location(kind);
    Table.create(loc, Schema.parse("k long not null, v long not null")).close();
    try (Table t = Table.open(loc)) {
      t.append(row(-1, 0)); // the counter row
    }
    int threads = 4;
    int ops = 10;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<Future<?>> done = new ArrayList<>();
    for (int w = 0; w < threads; w++) {
      int writer = w;
      done.add(pool.submit(() -> {
        try (Table t = Table.open(loc)) {
          for (int i = 0; i < ops; i++) {
            t.append(row(writer * 1000L + i, writer));
            t.increment(Expression.parse("k = -1"), "v", 1);
          }
        }
        return null;
      }));
    }
    pool.shutdown();
    for (Future<?> f : done) {
      f.get(240, TimeUnit.SECONDS);
    }
    try (Table t = Table.open(loc)) {
      assertThat(t.currentSnapshot().version()).isEqualTo(1L + 2L * threads * ops);
      Map<Long, Integer> seen = new HashMap<>();
      long counter = -1;
      for (Row r : t.newScan().toList()) {
        long k = (Long) r.get("k");
        if (k == -1) {
          counter = (Long) r.get("v");
        }
        seen.merge(k, 1, Integer::sum);
      }
      assertThat(counter).as("increments are re-planned, never lost").isEqualTo((long) threads * ops);
      assertThat(seen).hasSize(threads * ops + 1);
      assertThat(seen.values()).allMatch(c -> c == 1);
      KernelInteropTest.assertKernelReadsTheSame(t, localPath(kind, loc), t.currentSnapshot().version());
    }
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void conflictsRebaseReplanOrFailTheSameWay(Kind kind) {
    String loc = location(kind);
    try (Table t = Table.create(loc, Schema.parse("k long not null, v long not null"));
        Table other = Table.open(loc)) {
      for (long k = 0; k < 6; k++) {
        t.append(row(k, 0));
      }
      Expression row5 = Expression.parse("k = 5");
      // A user read-modify-write whose read was changed by a winner fails with the specific exception.
      Transaction tx = t.newTransaction();
      tx.scan().where(row5).toList();
      tx.delete(row5);
      other.update(row5, Map.of("v", Expressions.literal(7L)));
      assertThatThrownBy(tx::commit).isInstanceOf(ConcurrentModificationException.class);
      tx.close();
      // A blind append rebases over a concurrent commit.
      Transaction append = t.newTransaction();
      append.append(row(100, 0));
      other.append(row(101, 0));
      long before = other.currentSnapshot().version();
      assertThat(append.commit().version()).isEqualTo(before + 1);
      // An idempotent write with the same app version is refused the second time.
      try (Transaction a = t.newTransaction()) {
        a.append(row(200, 0)).idempotent("app", 1).commit();
      }
      assertThat(t.newScan().where(Expression.parse("k = 5 and v = 7")).count()).isEqualTo(1);
      assertThat(t.newScan().count()).isEqualTo(9);
    }
  }
}
