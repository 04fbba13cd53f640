package io.datashard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.datashard.internal.expr.BoundExpression;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Row-group skipping, explain counters, parallel read-ahead, limits and bounded memory of scans. */
class ScanTest {
  private static final Schema SCHEMA =
      Schema.parse("id long not null, i integer, s string, day date, ts timestamp, flag boolean, d double");

  @TempDir
  Path dir;

  private static Map<String, Object> row(long id, Random random) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("id", id);
    r.put("i", random.nextInt(10) == 0 ? null : random.nextInt(2000) - 1000);
    r.put("s", random.nextInt(10) == 0 ? null : "s" + random.nextInt(500));
    r.put("day", random.nextInt(10) == 0 ? null : LocalDate.of(2020, 1, 1).plusDays(random.nextInt(400)));
    r.put("ts", random.nextInt(10) == 0 ? null : Instant.ofEpochSecond(1_600_000_000L + random.nextInt(1_000_000)));
    r.put("flag", random.nextInt(10) == 0 ? null : random.nextBoolean());
    r.put("d", random.nextInt(10) == 0 ? null : random.nextDouble() * 100);
    return r;
  }

  private Table smallRowGroups(Path path) {
    TableOptions options = TableOptions.builder().durability(Durability.NO_SYNC).rowGroupSize(4096).build();
    Table.define(path.toString(), SCHEMA).create().close();
    return Table.open(path.toString(), options);
  }

  @Test
  void pointQueryOnSortedColumnReadsOnlyTheRowGroupHoldingIt() {
    try (Table table = smallRowGroups(dir.resolve("t"))) {
      Random random = new Random(1);
      List<Map<String, Object>> rows = new ArrayList<>();
      for (long id = 0; id < 20_000; id++) {
        rows.add(row(id, random));
      }
      table.append(rows);

      ScanReport point = table.newScan().where(Expression.parse("id = 12345")).explain();
      assertThat(point.rowsReturned()).isEqualTo(1);
      assertThat(point.filesTotal()).isEqualTo(1);
      assertThat(point.rowGroupsTotal()).isGreaterThan(10);
      assertThat(point.rowGroupsTotal() - point.rowGroupsSkipped()).isEqualTo(1);

      ScanReport range = table.newScan().where(Expression.parse("id >= 5000 and id < 5100 and s is not null")).explain();
      ScanReport full = table.newScan().explain();
      assertThat(range.rowGroupsTotal() - range.rowGroupsSkipped()).isLessThanOrEqualTo(2);
      assertThat(range.bytesRead()).isLessThan(full.bytesRead() / 5);
      assertThat(full.rowGroupsSkipped()).isZero();
      assertThat(full.rowsReturned()).isEqualTo(20_000);
      assertThat(table.newScan().where(Expression.parse("id between 5000 and 5099")).count()).isEqualTo(100);

      // A disjunction with an arm that cannot be pushed (a computed value) must not skip anything.
      ScanReport or = table.newScan().where(Expression.parse("id = 3 or i + 1 = 7")).explain();
      assertThat(or.rowGroupsSkipped()).isZero();
      assertThat(or.toJson()).startsWith("{\"filesTotal\":1,\"filesSkipped\":0,\"rowGroupsTotal\":"
          + or.rowGroupsTotal() + ",\"rowGroupsSkipped\":0,\"bytesRead\":" + or.bytesRead() + ",\"rowsReturned\":"
          + or.rowsReturned() + ",");
    }
  }

  /**
   * Random predicates over a table with small row groups, sorted and unsorted files and nulls: the
   * scan (with file and row-group skipping) returns exactly the rows that evaluating the predicate
   * over every row returns.
   */
  @Test
  void skippingNeverChangesTheResult() {
    long seed = Long.getLong("datashard.test.seed", System.nanoTime());
    System.out.println("ScanTest.skippingNeverChangesTheResult seed " + seed + " (rerun with -Ddatashard.test.seed=" + seed + ")");
    Random random = new Random(seed);
    try (Table table = smallRowGroups(dir.resolve("t"))) {
      long id = 0;
      for (int commit = 0; commit < 6; commit++) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int n = 0; n < 1500; n++) {
          rows.add(row(id++, random));
        }
        if (commit % 2 == 0) {
          rows.sort(Comparator.comparing(r -> r.get("i") == null ? Integer.MIN_VALUE : (Integer) r.get("i")));
        }
        table.append(rows);
      }
      List<Row> all = table.newScan().toList();
      StructType struct = SCHEMA.asStruct();
      long skippedGroups = 0;
      for (int q = 0; q < 80; q++) {
        String text = predicate(random, 0);
        Expression e = Expression.parse(text);
        BoundExpression bound = BoundExpression.bindPredicate(e, struct);
        List<Object> expected = new ArrayList<>();
        for (Row r : all) {
          Object[] values = new Object[r.size()];
          for (int c = 0; c < values.length; c++) {
            values[c] = r.get(c);
          }
          if (bound.test(values)) {
            expected.add(r.get("id"));
          }
        }
        List<Object> actual = table.newScan().where(e).stream().map(r -> r.get("id")).toList();
        assertThat(actual).as("rows of " + text + " (seed " + seed + ")").containsExactlyElementsOf(expected);
        if (q % 4 == 0) {
          skippedGroups += table.newScan().where(e).explain().rowGroupsSkipped();
        }
      }
      assertThat(skippedGroups).as("the random predicates skip some row groups").isPositive();
    }
  }

  @Test
  void countIsAnsweredFromStatisticsWherePossible() throws IOException {
    Path path = dir.resolve("t");
    Table.define(path.toString(), Schema.parse("id long not null, kind string not null, v integer"))
        .partitionBy("kind").create().close();
    try (Table table = Table.open(path.toString(), TableOptions.builder().durability(Durability.NO_SYNC).build())) {
      for (int f = 0; f < 10; f++) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int n = 0; n < 100; n++) {
          Map<String, Object> r = new LinkedHashMap<>();
          r.put("id", (long) f * 100 + n);
          r.put("kind", f % 2 == 0 ? "even" : "odd");
          r.put("v", n == 0 ? null : n);
          rows.add(r);
        }
        table.append(rows);
      }
    }
    // Every data file is then made unreadable: a count that opened one would fail. (The writing
    // handle is closed first, so that its background checksum files are all written.)
    for (Path p : TestLogs.files(path)) {
      if (p.toString().endsWith(".parquet") && !p.toString().contains("_delta_log")) {
        Files.write(p, new byte[] {1, 2, 3});
      }
    }
    try (Table table = Table.open(path.toString())) {
      assertThat(table.newScan().count()).isEqualTo(1000);
      assertThat(table.newScan().where(Expression.parse("kind = 'odd'")).count()).isEqualTo(500);
      assertThat(table.newScan().where(Expression.parse("kind = 'odd' and id >= 100")).count()).isEqualTo(500);
      assertThat(table.newScan().where(Expression.parse("id < 300 and id >= 0")).count()).isEqualTo(300);
      assertThat(table.newScan().where(Expression.parse("id < 300 and id >= 0")).limit(7).count()).isEqualTo(7);
      // v has a null in every file, so "v > 0" cannot be decided from statistics: the files are read.
      assertThatThrownBy(() -> table.newScan().where(Expression.parse("v > 0")).count())
          .isInstanceOf(CorruptTableException.class);
    }
  }

  private static String predicate(Random random, int depth) {
    int kind = random.nextInt(depth > 2 ? 6 : 9);
    switch (kind) {
      case 0: return "id " + op(random) + " " + random.nextInt(9500);
      case 1: return "i " + op(random) + " " + (random.nextInt(2200) - 1100);
      case 2: return "s " + op(random) + " 's" + random.nextInt(600) + "'";
      case 3: return "day " + op(random) + " '" + LocalDate.of(2020, 1, 1).plusDays(random.nextInt(420)) + "'";
      case 4: return "ts " + op(random) + " '" + Instant.ofEpochSecond(1_600_000_000L + random.nextInt(1_100_000)) + "'";
      case 5: {
        String[] c = {"i", "s", "day", "ts", "flag", "d"};
        return c[random.nextInt(c.length)] + (random.nextBoolean() ? " is null" : " is not null");
      }
      case 6: return "(" + predicate(random, depth + 1) + " and " + predicate(random, depth + 1) + ")";
      case 7: return "(" + predicate(random, depth + 1) + " or " + predicate(random, depth + 1) + ")";
      default: return random.nextBoolean() ? "not (" + predicate(random, depth + 1) + ")"
          : "flag = " + random.nextBoolean() + " and i in (" + random.nextInt(1000) + ", " + (random.nextInt(1000) - 999) + ")";
    }
  }

  private static String op(Random random) {
    String[] ops = {"=", "<>", "<", "<=", ">", ">="};
    return ops[random.nextInt(ops.length)];
  }

  @Test
  void parallelScansReturnWhatSequentialScansReturnInTheSameOrder() {
    Path path = dir.resolve("t");
    Table.define(path.toString(), SCHEMA).create().close();
    Random random = new Random(7);
    try (Table writer = Table.open(path.toString(), TableOptions.builder().durability(Durability.NO_SYNC).build())) {
      for (long f = 0; f < 40; f++) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int n = 0; n < 1 + random.nextInt(700); n++) {
          rows.add(row(f * 1000 + n, random));
        }
        writer.append(rows);
      }
    }
    try (Table sequential = Table.open(path.toString(), TableOptions.builder().scanThreads(1).build());
        Table parallel = Table.open(path.toString(), TableOptions.builder().scanThreads(4).build())) {
      assertThat(parallel.newScan().toList()).containsExactlyElementsOf(sequential.newScan().toList());
      Expression where = Expression.parse("i > 100 and s < 's3'");
      assertThat(parallel.newScan().where(where).select("id", "s").toList())
          .containsExactlyElementsOf(sequential.newScan().where(where).select("id", "s").toList());

      ScanReport limited = parallel.newScan().limit(5).explain();
      ScanReport full = parallel.newScan().explain();
      assertThat(limited.rowsReturned()).isEqualTo(5);
      assertThat(limited.bytesRead()).as("a limit stops reading early").isLessThan(full.bytesRead() / 2);
      assertThat(parallel.newScan().limit(5).toList())
          .containsExactlyElementsOf(sequential.newScan().limit(5).toList());
    }
  }

  @Test
  void closingAnUnfinishedParallelScanStopsItsThreads() throws InterruptedException {
    Path path = dir.resolve("t");
    Table.define(path.toString(), SCHEMA).create().close();
    try (Table table = Table.open(path.toString(), TableOptions.builder().durability(Durability.NO_SYNC).scanThreads(3).build())) {
      Random random = new Random(3);
      for (long f = 0; f < 30; f++) {
        table.append(List.of(row(f, random), row(f + 100, random)));
      }
      for (int i = 0; i < 20; i++) {
        try (CloseableIterator<Row> it = table.newScan().iterator()) {
          assertThat(it.hasNext()).isTrue();
          it.next();
        }
      }
      // The threads exit once interrupted; wait for that rather than for a fixed time.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (scanThreads() > 0 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(scanThreads()).isZero();
    }
  }

  private static long scanThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("datashard-scan") && t.isAlive()).count();
  }

  @Test
  void aFailingFileFailsTheScanWhereASequentialReadWould() throws IOException {
    Path path = dir.resolve("t");
    Table.define(path.toString(), SCHEMA).create().close();
    try (Table table = Table.open(path.toString(), TableOptions.builder().scanThreads(4).build())) {
      Random random = new Random(5);
      for (long f = 0; f < 8; f++) {
        table.append(List.of(row(f, random)));
      }
      List<Row> before = table.newScan().toList();
      Path victim;
      try (Stream<Path> files = Files.list(path)) {
        victim = files.filter(p -> p.toString().endsWith(".parquet")).findFirst().orElseThrow();
      }
      Files.write(victim, "not parquet".getBytes(StandardCharsets.UTF_8));
      List<Row> seen = new ArrayList<>();
      assertThatThrownBy(() -> {
        try (CloseableIterator<Row> it = table.newScan().iterator()) {
          it.forEachRemaining(seen::add);
        }
      }).isInstanceOf(CorruptTableException.class).hasMessageContaining(victim.getFileName().toString());
      assertThat(seen.size()).isLessThan(before.size());
      assertThat(before.subList(0, seen.size())).isEqualTo(seen);
    }
  }

  /**
   * A child JVM with a 48 MiB heap scans (in parallel) a table whose data files are larger than its
   * heap; rows stream through, so it finishes and counts every row.
   */
  @Test
  void scansATableLargerThanTheHeap() throws Exception {
    Path path = dir.resolve("big");
    Schema schema = Schema.parse("id long not null, payload string");
    Table.define(path.toString(), schema).create().close();
    Random random = new Random(11);
    long rows = 0;
    try (Table table = Table.open(path.toString(),
        TableOptions.builder().durability(Durability.NO_SYNC).compression(Compression.UNCOMPRESSED).rowGroupSize(4 << 20).build())) {
      byte[] bytes = new byte[300];
      for (int commit = 0; commit < 8; commit++) {
        List<Map<String, Object>> batch = new ArrayList<>();
        for (int n = 0; n < 12_000; n++) {
          random.nextBytes(bytes);
          batch.add(Map.of("id", rows++, "payload", java.util.HexFormat.of().formatHex(bytes)));
        }
        table.append(batch);
      }
    }
    long onDisk;
    try (Stream<Path> files = Files.walk(path)) {
      onDisk = files.filter(p -> p.toString().endsWith(".parquet")).mapToLong(p -> p.toFile().length()).sum();
    }
    Path out = dir.resolve("out");
    Process child = ChildJvm.startWithHeap("48m", HeapBoundedScan.class, dir.resolve("err"), path.toString(), out.toString());
    assertThat(child.waitFor(10, TimeUnit.MINUTES)).as("the child finished").isTrue();
    assertThat(child.exitValue()).as("child exit; stderr: " + Files.readString(dir.resolve("err"))).isZero();
    String[] result = Files.readString(out).trim().split(" ");
    long maxHeap = Long.parseLong(result[1]);
    System.out.println("ScanTest: scanned " + onDisk + " bytes of data files with a max heap of " + maxHeap + " bytes");
    assertThat(onDisk).isGreaterThan(maxHeap);
    assertThat(Long.parseLong(result[0])).isEqualTo(rows);
  }

  /** Child process: counts the rows of a table and the characters of their payloads. */
  public static final class HeapBoundedScan {
    public static void main(String[] args) throws IOException {
      long rows = 0;
      long chars = 0;
      try (Table table = Table.open(args[0], TableOptions.builder().scanThreads(2).build());
          CloseableIterator<Row> it = table.newScan().iterator()) {
        while (it.hasNext()) {
          chars += it.next().getString("payload").length();
          rows++;
        }
      }
      if (chars != rows * 600) {
        throw new IllegalStateException("payloads have " + chars + " characters, expected " + rows * 600);
      }
      Files.writeString(Path.of(args[1]), rows + " " + Runtime.getRuntime().maxMemory());
    }
  }
}
