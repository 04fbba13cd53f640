package io.datashard;

import static org.assertj.core.api.Assertions.assertThat;

import io.datashard.testing.KernelOracle;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Delta Kernel 4.4.0 must read every table we write with exactly the rows our reader returns. */
class KernelInteropTest {
  @TempDir Path dir;

  /** Our rows in the oracle's normalized form (struct → list of field values). */
  static List<List<Object>> ours(Table t, long version) {
    List<List<Object>> rows = new ArrayList<>();
    for (Row r : t.newScan().useSnapshot(version).toList()) {
      rows.add(toList(r));
    }
    return rows;
  }

  private static List<Object> toList(Row r) {
    List<Object> values = new ArrayList<>();
    for (int i = 0; i < r.size(); i++) {
      values.add(normalize(r.get(i)));
    }
    return values;
  }

  private static Object normalize(Object v) {
    if (v instanceof Row r) {
      return toList(r);
    }
    if (v instanceof List<?> l) {
      List<Object> out = new ArrayList<>();
      l.forEach(e -> out.add(normalize(e)));
      return out;
    }
    if (v instanceof Map<?, ?> m) {
      Map<Object, Object> out = new LinkedHashMap<>();
      m.forEach((k, val) -> out.put(normalize(k), normalize(val)));
      return out;
    }
    return v;
  }

  static void assertKernelReadsTheSame(Table t, Path path, long version) {
    List<List<Object>> expected = KernelOracle.canonicalRows(ours(t, version));
    List<List<Object>> actual = KernelOracle.canonicalRows(KernelOracle.readRows(path, version));
    expected.sort(KernelOracle.ROW_ORDER);
    actual.sort(KernelOracle.ROW_ORDER);
    assertThat(actual).as("Kernel's rows of %s at version %d", path, version).hasSameSizeAs(expected);
    assertThat(actual).containsExactlyElementsOf(expected);
  }

  /**
   * For every table under {@code root} that DataShard can open: Kernel reads its latest version with
   * exactly our rows. Tables a test left deliberately broken (ours refuses to open them) are skipped.
   *
   * @return how many tables were compared
   */
  static int assertKernelReadsEveryTableUnder(Path root) throws java.io.IOException {
    List<Path> tables;
    try (java.util.stream.Stream<Path> walk = java.nio.file.Files.walk(root)) {
      tables = walk.filter(p -> p.getFileName().toString().equals("_delta_log")).map(Path::getParent).toList();
    }
    int compared = 0;
    for (Path t : tables) {
      Table table;
      try {
        table = Table.open(t.toString());
      } catch (DataShardException e) {
        continue;
      }
      try (table) {
        assertKernelReadsTheSame(table, t, table.currentSnapshot().version());
        compared++;
      }
    }
    return compared;
  }

  @Test
  void everyTypeOverSeveralCommits() {
    Path p = dir.resolve("types");
    try (Table t = Table.create(p.toString(), TestData.ALL_TYPES)) {
      for (int c = 0; c < 5; c++) {
        t.append(TestData.rows(TestData.ALL_TYPES, c * 100L, 100, c));
      }
      assertThat(KernelOracle.columnNames(p)).isEqualTo(TestData.ALL_TYPES.fieldNames());
      assertThat(KernelOracle.latestVersion(p)).isEqualTo(5);
      assertKernelReadsTheSame(t, p, 5);
      assertKernelReadsTheSame(t, p, 2);
    }
  }

  @Test
  void protocolOneTwoTableWithEveryOtherType() {
    Path p = dir.resolve("v12");
    try (Table t = Table.create(p.toString(), TestData.ALL_TYPES_NO_NTZ)) {
      t.append(TestData.rows(TestData.ALL_TYPES_NO_NTZ, 0, 200, 7));
      assertKernelReadsTheSame(t, p, 1);
    }
  }

  @Test
  void partitionsOfEveryPartitionableTypeWithNullsAndSpecialCharacters() {
    Path p = dir.resolve("parts");
    Schema schema = Schema.parse("id long not null, s string, l long, i integer, sh short, b byte, flag boolean,"
        + " day date, ts timestamp, ntz timestamp_ntz, dec decimal(12,3), v double");
    String[] strings = {"plain", "a/b=c:d%e f", "ünï €", "x#?*[]{}^'\"\\", null};
    List<Map<String, Object>> rows = new ArrayList<>();
    for (int n = 0; n < 30; n++) {
      Map<String, Object> r = new HashMap<>();
      r.put("id", (long) n);
      r.put("s", strings[n % strings.length]);
      r.put("l", n % 3 == 0 ? null : (long) n % 4 - 2);
      r.put("i", n % 2);
      r.put("sh", (short) (n % 2));
      r.put("b", (byte) -1);
      r.put("flag", n % 4 == 0 ? null : n % 2 == 0);
      r.put("day", LocalDate.of(2020, 2, 29));
      r.put("ts", n % 5 == 0 ? null : Instant.parse("2021-06-07T08:09:10.123456Z").plusSeconds(n % 2));
      r.put("ntz", LocalDateTime.parse("2022-01-02T03:04:05.000001"));
      r.put("dec", new BigDecimal("-12.345"));
      r.put("v", n * 0.5);
      rows.add(r);
    }
    try (Table t = Table.define(p.toString(), schema)
        .partitionBy("s", "l", "i", "sh", "b", "flag", "day", "ts", "ntz", "dec").create()) {
      t.append(rows.subList(0, 15));
      t.append(rows.subList(15, 30));
      assertThat(KernelOracle.partitionColumns(p)).containsExactly("s", "l", "i", "sh", "b", "flag", "day", "ts", "ntz", "dec");
      assertKernelReadsTheSame(t, p, 2);
    }
  }

  @Test
  void manySmallCommits() {
    Path p = dir.resolve("many");
    TableOptions fast = TableOptions.builder().durability(Durability.NO_SYNC).build();
    try (Table t = Table.define(p.toString(), Schema.parse("k long not null, v string")).options(fast).create()) {
      for (long k = 0; k < 120; k++) {
        t.append(List.of(Map.of("k", k, "v", "v" + k)));
      }
      assertThat(KernelOracle.latestVersion(p)).isEqualTo(120);
      assertKernelReadsTheSame(t, p, 120);
      assertKernelReadsTheSame(t, p, 60);
    }
  }
}
