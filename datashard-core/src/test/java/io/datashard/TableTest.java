package io.datashard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TableTest {
  @TempDir Path dir;

  /** Delta Kernel must read every table this test wrote with exactly our rows. */
  @AfterEach
  void kernelReadsEveryTable() throws java.io.IOException {
    KernelInteropTest.assertKernelReadsEveryTableUnder(dir);
  }

  private static final Schema SIMPLE = Schema.parse("id long not null, name string, price decimal(10,2)");

  private static List<Map<String, Object>> simpleRows(int from, int n) {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (int i = from; i < from + n; i++) {
      Map<String, Object> r = new HashMap<>();
      r.put("id", (long) i);
      r.put("name", "n" + i);
      r.put("price", BigDecimal.valueOf(i, 2));
      rows.add(r);
    }
    return rows;
  }

  @Test
  void everyTypeRoundTrips() {
    Path p = dir.resolve("t");
    List<Map<String, Object>> rows = TestData.rows(TestData.ALL_TYPES, 0, 300, 42);
    try (Table t = Table.create(p.toString(), TestData.ALL_TYPES)) {
      CommitResult r = t.append(rows);
      assertThat(r.version()).isEqualTo(1);
      assertThat(r.rowsInserted()).isEqualTo(300);
      assertThat(r.attempts()).isEqualTo(1);
      List<Row> read = t.newScan().toList();
      assertThat(read).hasSize(300);
      for (int i = 0; i < rows.size(); i++) {
        assertSameRow(read.get(i), rows.get(i));
      }
    }
  }

  /** Compares a row read back with the map written, through the documented conversions. */
  static void assertSameRow(Row read, Map<String, Object> written) {
    for (Field f : read.type().fields()) {
      Object expected = written.get(f.name());
      Object actual = read.get(f.name());
      assertThat(normalize(actual)).as("column %s of row %s", f.name(), written.get("id")).isEqualTo(normalize(expected));
    }
  }

  private static Object normalize(Object v) {
    if (v instanceof Row r) {
      Map<String, Object> m = new HashMap<>();
      for (Field f : r.type().fields()) {
        m.put(f.name(), normalize(r.get(f.name())));
      }
      return m;
    }
    if (v instanceof Map<?, ?> map) {
      Map<Object, Object> m = new HashMap<>();
      map.forEach((k, val) -> m.put(normalize(k), normalize(val)));
      return m;
    }
    if (v instanceof List<?> list) {
      return list.stream().map(TableTest::normalize).collect(Collectors.toList());
    }
    if (v instanceof byte[] b) {
      return new String(b, java.nio.charset.StandardCharsets.ISO_8859_1);
    }
    return v;
  }

  @Test
  void createOpenAndLifecycleErrors() throws IOException {
    Path p = dir.resolve("life");
    try (Table t = Table.create(p.toString(), SIMPLE)) {
      Snapshot s = t.currentSnapshot();
      assertThat(s.version()).isZero();
      assertThat(s.schema()).isEqualTo(SIMPLE);
      assertThat(s.fileCount()).isZero();
      assertThat(s.rowCount()).hasValue(0);
    }
    assertThatThrownBy(() -> Table.create(p.toString(), SIMPLE))
        .isInstanceOf(TableAlreadyExistsException.class).hasMessageContaining(p.toString());
    try (Table again = Table.define(p.toString(), SIMPLE).createIfAbsent()) {
      assertThat(again.currentSnapshot().version()).isZero();
    }
    assertThatThrownBy(() -> Table.define(p.toString(), Schema.parse("id long")).createIfAbsent())
        .isInstanceOf(TableAlreadyExistsException.class).hasMessageContaining("different definition");

    assertThatThrownBy(() -> Table.open(dir.resolve("missing").toString()))
        .isInstanceOf(TableNotFoundException.class).hasMessageContaining("does not exist");
    Path file = Files.writeString(dir.resolve("afile"), "x");
    assertThatThrownBy(() -> Table.open(file.toString()))
        .isInstanceOf(TableNotFoundException.class).hasMessageContaining("not a directory");
    assertThatThrownBy(() -> Table.create(file.toString(), SIMPLE))
        .isInstanceOf(DataShardException.class).hasMessageContaining("is a file");
    Path empty = Files.createDirectory(dir.resolve("empty"));
    assertThatThrownBy(() -> Table.open(empty.toString()))
        .isInstanceOf(TableNotFoundException.class).hasMessageContaining("_delta_log");
    assertThatThrownBy(() -> Table.define(dir.resolve("bad").toString(), SIMPLE).partitionBy("nope").create())
        .isInstanceOf(InvalidSchemaException.class).hasMessageContaining("nope");
    assertThatThrownBy(() -> Table.define(dir.resolve("bad").toString(), Schema.parse("a double, b long"))
        .partitionBy("a").create())
        .isInstanceOf(InvalidSchemaException.class).hasMessageContaining("double");
    assertThat(dir.resolve("bad").resolve("_delta_log")).doesNotExist();
  }

  @Test
  void concurrentCreateIfAbsentMakesExactlyOneTable() throws Exception {
    Path p = dir.resolve("race");
    int threads = 8;
    List<Thread> ts = new ArrayList<>();
    List<Throwable> errors = java.util.Collections.synchronizedList(new ArrayList<>());
    java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
    for (int i = 0; i < threads; i++) {
      Thread th = new Thread(() -> {
        try {
          go.await();
          try (Table t = Table.define(p.toString(), SIMPLE).createIfAbsent()) {
            t.append(simpleRows(0, 1));
          }
        } catch (Throwable e) {
          errors.add(e);
        }
      });
      th.start();
      ts.add(th);
    }
    go.countDown();
    for (Thread th : ts) {
      th.join();
    }
    assertThat(errors).isEmpty();
    try (Table t = Table.open(p.toString())) {
      assertThat(t.history()).filteredOn(h -> h.operation().equals("CREATE TABLE")).hasSize(1);
      assertThat(t.newScan().count()).isEqualTo(threads);
    }
  }

  @Test
  void partitionedTablesUseHiveDirectoriesAndRoundTrip() throws IOException {
    Path p = dir.resolve("parts");
    Schema schema = Schema.parse("id long not null, country string, day date, ts timestamp, amount double");
    List<Map<String, Object>> rows = new ArrayList<>();
    String[] countries = {"DE", "a/b=c:d%e f", null, "ü"};
    for (int i = 0; i < 40; i++) {
      Map<String, Object> r = new HashMap<>();
      r.put("id", (long) i);
      r.put("country", countries[i % 4]);
      r.put("day", LocalDate.of(2024, 1, 1 + i % 3));
      r.put("ts", i % 5 == 0 ? null : Instant.parse("2024-03-04T05:06:07.123456Z"));
      r.put("amount", i * 1.5);
      rows.add(r);
    }
    try (Table t = Table.define(p.toString(), schema).partitionBy("country", "day", "ts").create()) {
      CommitResult r = t.append(rows);
      assertThat(r.filesAdded()).isGreaterThan(4);
      Snapshot s = t.currentSnapshot();
      assertThat(s.partitionColumns()).containsExactly("country", "day", "ts");
      assertThat(s.rowCount()).hasValue(40);
      List<Row> read = new ArrayList<>(t.newScan().toList());
      read.sort(Comparator.comparing(x -> x.getLong("id")));
      for (int i = 0; i < 40; i++) {
        assertSameRow(read.get(i), rows.get(i));
      }
      List<Row> projected = t.newScan().select("country", "id").limit(5).toList();
      assertThat(projected).hasSize(5);
      assertThat(projected.get(0).type().fieldNames()).containsExactly("country", "id");
    }
    try (Stream<Path> walk = Files.walk(p)) {
      List<String> dirs = walk.filter(Files::isDirectory).map(x -> p.relativize(x).toString()).toList();
      assertThat(dirs).contains("country=DE", "country=__HIVE_DEFAULT_PARTITION__", "country=a%2Fb%3Dc%3Ad%25e f",
          "country=DE/day=2024-01-01");
    }
    assertThat(TestLogs.addPaths(p)).anyMatch(path -> path.startsWith("country=a%252Fb%253Dc%253Ad%2525e%20f/"));
  }

  @Test
  void emptyStringPartitionValueIsRefused() {
    Path p = dir.resolve("emptypart");
    try (Table t = Table.define(p.toString(), Schema.parse("k string, v long")).partitionBy("k").create()) {
      assertThatThrownBy(() -> t.append(List.of(Map.of("k", "", "v", 1L))))
          .isInstanceOf(InvalidRowException.class).hasMessageContaining("empty string");
      assertThat(t.currentSnapshot().version()).isZero();
    }
  }

  @Test
  void transactionsCommitAtomicallyAndAbortDeletesTheirFiles() throws IOException {
    Path p = dir.resolve("tx");
    try (Table t = Table.create(p.toString(), SIMPLE)) {
      try (Transaction tx = t.newTransaction()) {
        tx.append(simpleRows(0, 10)).append(simpleRows(10, 10));
        assertThat(t.newScan().count()).isZero();
        CommitResult r = tx.commit();
        assertThat(r.filesAdded()).isEqualTo(2);
        assertThat(r.rowsInserted()).isEqualTo(20);
        assertThatThrownBy(() -> tx.append(simpleRows(0, 1))).isInstanceOf(IllegalStateException.class);
      }
      assertThat(t.newScan().count()).isEqualTo(20);
      long filesBefore = TestLogs.parquetFiles(p);
      try (Transaction tx = t.newTransaction()) {
        tx.append(simpleRows(100, 5));
        assertThat(TestLogs.parquetFiles(p)).isEqualTo(filesBefore + 1);
      }
      assertThat(TestLogs.parquetFiles(p)).isEqualTo(filesBefore);
      assertThat(t.currentSnapshot().version()).isEqualTo(1);
    }
  }

  @Test
  void badRowsLeaveTheTableUnchanged() throws IOException {
    Path p = dir.resolve("bad");
    try (Table t = Table.create(p.toString(), SIMPLE)) {
      t.append(simpleRows(0, 3));
      long files = TestLogs.parquetFiles(p);
      List<Map<String, Object>> rows = simpleRows(10, 5);
      rows.get(3).put("id", null);
      assertThatThrownBy(() -> t.append(rows)).isInstanceOf(InvalidRowException.class)
          .hasMessageContaining("row 3").hasMessageContaining("'id'");
      rows.get(3).put("id", "x");
      assertThatThrownBy(() -> t.append(rows)).isInstanceOf(InvalidRowException.class).hasMessageContaining("String");
      rows.get(3).put("id", 3L);
      rows.get(4).put("colour", "red");
      assertThatThrownBy(() -> t.append(rows)).isInstanceOf(InvalidRowException.class).hasMessageContaining("colour");
      rows.get(4).remove("colour");
      rows.get(4).put("price", new BigDecimal("100000000.00"));
      assertThatThrownBy(() -> t.append(rows)).isInstanceOf(InvalidRowException.class).hasMessageContaining("overflows");
      assertThat(t.currentSnapshot().version()).isEqualTo(1);
      assertThat(t.newScan().count()).isEqualTo(3);
      assertThat(TestLogs.parquetFiles(p)).isEqualTo(files);
      assertThatThrownBy(() -> t.newScan().select("nope").toList())
          .isInstanceOf(NoSuchColumnException.class).hasMessageContaining("nope");
    }
  }

  @Test
  void timeTravelAndHistory() throws Exception {
    Path p = dir.resolve("tt");
    try (Table t = Table.create(p.toString(), SIMPLE)) {
      List<Instant> after = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        t.append(simpleRows(i * 10, 10));
        Thread.sleep(15);
        after.add(Instant.now());
        Thread.sleep(15);
      }
      assertThat(t.newScan().useSnapshot(2).count()).isEqualTo(20);
      assertThat(t.newScan().useSnapshot(0).toList()).isEmpty();
      assertThat(t.snapshot(3).rowCount()).hasValue(30);
      assertThat(t.snapshotAsOf(after.get(1)).version()).isEqualTo(2);
      assertThat(t.newScan().asOf(after.get(0)).count()).isEqualTo(10);
      assertThatThrownBy(() -> t.snapshot(9)).isInstanceOf(VersionNotFoundException.class).hasMessageContaining("latest is 4");
      assertThatThrownBy(() -> t.snapshot(-1)).isInstanceOf(VersionNotFoundException.class);
      assertThatThrownBy(() -> t.snapshotAsOf(Instant.EPOCH)).isInstanceOf(VersionNotFoundException.class);
      List<HistoryEntry> h = t.history();
      assertThat(h).extracting(HistoryEntry::version).containsExactly(4L, 3L, 2L, 1L, 0L);
      assertThat(h.get(0).operation()).isEqualTo("WRITE");
      assertThat(h.get(0).operationParameters()).containsEntry("mode", "Append");
      assertThat(h.get(4).operation()).isEqualTo("CREATE TABLE");
      assertThat(h).allSatisfy(e -> assertThat(e.commitToken()).isPresent());
      for (int i = 1; i < h.size(); i++) {
        assertThat(h.get(i - 1).timestamp()).isAfter(h.get(i).timestamp());
      }
    }
  }

  @Test
  void aSecondHandleSeesCommitsOfTheFirst() {
    Path p = dir.resolve("handles");
    try (Table a = Table.create(p.toString(), SIMPLE); Table b = Table.open(p.toString())) {
      a.append(simpleRows(0, 2));
      assertThat(b.currentSnapshot().version()).isEqualTo(1);
      CommitResult r = b.append(simpleRows(2, 2));
      assertThat(r.version()).isEqualTo(2);
      assertThat(a.newScan().count()).isEqualTo(4);
    }
  }

  @Test
  void compressionCodecsAreConfigurable() throws IOException {
    for (Compression c : Compression.values()) {
      Path p = dir.resolve("codec-" + c);
      TableOptions opts = TableOptions.builder().compression(c).durability(Durability.NO_SYNC).build();
      try (Table t = Table.define(p.toString(), SIMPLE).options(opts).create()) {
        t.append(simpleRows(0, 50));
        assertThat(t.newScan().count()).isEqualTo(50);
        assertThat(t.newScan().toList().get(49).getString("name")).isEqualTo("n49");
      }
    }
  }
}
