package io.datashard.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checks {@link KernelOracle} against Spark-written golden tables whose contents are known: the
 * expected rows below follow the generators in Delta's {@code GoldenTables.scala}
 * (connectors/golden-tables) that wrote these very tables, and agree with the row counts in their
 * commit logs. Tests on golden tables are skipped when the tables are not available.
 */
class KernelOracleTest {

  private static List<Object> row(Object... values) {
    return Arrays.asList(values);
  }

  /** Both sides made equals-comparable and sorted the same way. */
  private static List<List<Object>> sorted(List<List<Object>> rows) {
    List<List<Object>> out = new ArrayList<>(KernelOracle.canonicalRows(rows));
    out.sort(KernelOracle.ROW_ORDER);
    return out;
  }

  // data-reader-primitives: a row of nulls, then for i in 0..9:
  // Row(i, i.longValue, i.toByte, i.shortValue, i % 2 == 0, i.floatValue, i.doubleValue,
  //     i.toString, Array[Byte](i.toByte, i.toByte), new JBigDecimal(i))
  @Test
  void readsPrimitives() {
    Path table = GoldenTables.table("data-reader-primitives");

    List<List<Object>> expected = new ArrayList<>();
    expected.add(row(null, null, null, null, null, null, null, null, null, null));
    for (int i = 0; i < 10; i++) {
      expected.add(
          row(
              i,
              (long) i,
              (byte) i,
              (short) i,
              i % 2 == 0,
              (float) i,
              (double) i,
              Integer.toString(i),
              new byte[] {(byte) i, (byte) i},
              new BigDecimal(i)));
    }

    List<List<Object>> actual = KernelOracle.readRows(table);

    assertThat(KernelOracle.latestVersion(table)).isZero();
    assertThat(KernelOracle.columnNames(table))
        .containsExactly(
            "as_int", "as_long", "as_byte", "as_short", "as_boolean", "as_float", "as_double",
            "as_string", "as_binary", "as_big_decimal");
    assertThat(KernelOracle.partitionColumns(table)).isEmpty();
    assertThat(actual).hasSize(11);
    // Exact Java types, not just equal-looking values (Integer 7 does not equal Long 7).
    List<Object> seven =
        actual.stream().filter(r -> Integer.valueOf(7).equals(r.get(0))).findFirst().orElseThrow();
    assertThat(seven.get(1)).isEqualTo(7L);
    assertThat(seven.get(2)).isEqualTo((byte) 7);
    assertThat(seven.get(3)).isEqualTo((short) 7);
    assertThat(seven.get(4)).isEqualTo(false);
    assertThat(seven.get(5)).isEqualTo(7.0f);
    assertThat(seven.get(6)).isEqualTo(7.0d);
    assertThat(seven.get(7)).isEqualTo("7");
    assertThat(seven.get(8)).isInstanceOf(byte[].class).isEqualTo(new byte[] {7, 7});
    assertThat(seven.get(9)).isEqualTo(new BigDecimal("7"));
    assertThat(((BigDecimal) seven.get(9)).scale()).isZero();
    assertThat(sorted(actual)).containsExactlyElementsOf(sorted(expected));
  }

  // data-reader-partition-values: partitioned by the first 12 columns; rows i = 0, 1:
  // Row(i, i.longValue, i.toByte, i.shortValue, i % 2 == 0, i.floatValue, i.doubleValue,
  //     i.toString, "null", Date 2021-09-08, Timestamp "2021-09-08 11:11:11", new JBigDecimal(i),
  //     Array(Row(i), Row(i), Row(i)), Row(i.toString, i.toString, Row(i, i.toLong)), i.toString)
  // plus a row with all 12 partition values null and data values as for i = 2.
  @Test
  void fillsInPartitionValues() {
    Path table = GoldenTables.table("data-reader-partition-values");
    // The log stores the timestamp partition value without a zone ("2021-09-08 11:11:11");
    // Kernel reads it as UTC.
    Instant timestamp = Instant.parse("2021-09-08T11:11:11Z");
    LocalDate date = LocalDate.of(2021, 9, 8);

    List<List<Object>> expected = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      String s = Integer.toString(i);
      expected.add(
          row(
              i, (long) i, (byte) i, (short) i, i % 2 == 0, (float) i, (double) i, s, "null", date,
              timestamp, new BigDecimal(i), List.of(List.of(i), List.of(i), List.of(i)),
              List.of(s, s, List.of(i, (long) i)), s));
    }
    expected.add(
        row(
            null, null, null, null, null, null, null, null, null, null, null, null,
            List.of(List.of(2), List.of(2), List.of(2)), List.of("2", "2", List.of(2, 2L)), "2"));

    assertThat(KernelOracle.partitionColumns(table))
        .containsExactly(
            "as_int", "as_long", "as_byte", "as_short", "as_boolean", "as_float", "as_double",
            "as_string", "as_string_lit_null", "as_date", "as_timestamp", "as_big_decimal");
    assertThat(KernelOracle.columnNames(table))
        .hasSize(15)
        .endsWith("as_list_of_records", "as_nested_struct", "value");
    assertThat(sorted(KernelOracle.readRows(table))).containsExactlyElementsOf(sorted(expected));
  }

  // data-reader-nested-struct: Row(Row(i.toString, i.toString, Row(i, i.toLong)), i), i in 0..9
  @Test
  void readsNestedStructs() {
    Path table = GoldenTables.table("data-reader-nested-struct");
    List<List<Object>> expected = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      String s = Integer.toString(i);
      expected.add(row(List.of(s, s, List.of(i, (long) i)), i));
    }

    assertThat(KernelOracle.columnNames(table)).containsExactly("a", "b");
    assertThat(sorted(KernelOracle.readRows(table))).containsExactlyElementsOf(sorted(expected));
  }

  // data-reader-array-primitives: Row(Array(i), Array(i.longValue), Array(i.toByte),
  //   Array(i.shortValue), Array(i % 2 == 0), Array(i.floatValue), Array(i.doubleValue),
  //   Array(i.toString), Array(Array(i.toByte, i.toByte)), Array(new JBigDecimal(i))), i in 0..9
  @Test
  void readsArraysOfPrimitives() {
    Path table = GoldenTables.table("data-reader-array-primitives");
    List<List<Object>> expected = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      expected.add(
          row(
              List.of(i),
              List.of((long) i),
              List.of((byte) i),
              List.of((short) i),
              List.of(i % 2 == 0),
              List.of((float) i),
              List.of((double) i),
              List.of(Integer.toString(i)),
              List.of(new byte[] {(byte) i, (byte) i}),
              List.of(new BigDecimal(i))));
    }

    List<List<Object>> actual = KernelOracle.readRows(table);

    assertThat(actual).hasSize(10);
    assertThat((List<?>) actual.get(0).get(8)).singleElement().isInstanceOf(byte[].class);
    assertThat(sorted(actual)).containsExactlyElementsOf(sorted(expected));
  }

  // data-reader-map: Row(i, Map(i -> i), Map(i.toLong -> i.toByte), Map(i.toShort -> (i%2 == 0)),
  //   Map(i.toFloat -> i.toDouble), Map(i.toString -> new JBigDecimal(i)),
  //   Map(i -> Array(Row(i), Row(i), Row(i)))), i in 0..9
  @Test
  void readsMaps() {
    Path table = GoldenTables.table("data-reader-map");
    List<List<Object>> expected = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      expected.add(
          row(
              i,
              Map.of(i, i),
              Map.of((long) i, (byte) i),
              Map.of((short) i, i % 2 == 0),
              Map.of((float) i, (double) i),
              Map.of(Integer.toString(i), new BigDecimal(i)),
              Map.of(i, List.of(List.of(i), List.of(i), List.of(i)))));
    }

    List<List<Object>> actual = KernelOracle.readRows(table);

    assertThat(KernelOracle.columnNames(table)).containsExactly("i", "a", "b", "c", "d", "e", "f");
    assertThat(actual).hasSize(10);
    assertThat(actual).allSatisfy(r -> assertThat(r.get(1)).isInstanceOf(LinkedHashMap.class));
    assertThat(sorted(actual)).containsExactlyElementsOf(sorted(expected));
  }

  // dv-with-columnmapping (column mapping mode "name", deletion vectors, a checkpoint at 10):
  // version 0 writes (x % 10, x, "foo" + x % 5) for x in 0..49, partitioned by the first column;
  // versions 1..15 each run DELETE WHERE col1 = 2 * (version - 1).
  @Test
  void appliesDeletionVectorsAndColumnMappingAndTimeTravel() {
    Path table = GoldenTables.table("dv-with-columnmapping");

    assertThat(KernelOracle.latestVersion(table)).isEqualTo(15);
    assertThat(KernelOracle.columnNames(table)).containsExactly("part", "col1", "col2");
    assertThat(sorted(KernelOracle.readRows(table)))
        .containsExactlyElementsOf(sorted(dvTableRows(15)))
        .hasSize(35);
    assertThat(sorted(KernelOracle.readRows(table, 0))).containsExactlyElementsOf(sorted(dvTableRows(0)));
    assertThat(sorted(KernelOracle.readRows(table, 5)))
        .containsExactlyElementsOf(sorted(dvTableRows(5)))
        .hasSize(45);
  }

  private static List<List<Object>> dvTableRows(int version) {
    List<List<Object>> rows = new ArrayList<>();
    IntStream.range(0, 50)
        .filter(x -> !(x % 2 == 0 && x < 2 * version))
        .forEach(x -> rows.add(row(x % 10, x, "foo" + x % 5)));
    return rows;
  }

  @Test
  void failsOnAMissingTable(@TempDir Path dir) {
    assertThatThrownBy(() -> KernelOracle.readRows(dir.resolve("nothing-here")))
        .satisfies(
            e -> assertThat(e.getClass().getName()).isEqualTo("io.delta.kernel.exceptions.TableNotFoundException"));
    assertThatThrownBy(() -> KernelOracle.readRows(dir, -1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void canonicalMakesBinaryComparable() {
    List<Object> a = row(1, new byte[] {1, (byte) 0xAB}, List.of(new byte[] {0}), Map.of("k", new byte[] {2}));
    List<Object> b = row(1, new byte[] {1, (byte) 0xAB}, List.of(new byte[] {0}), Map.of("k", new byte[] {2}));

    assertThat(a).isNotEqualTo(b);
    assertThat(KernelOracle.canonical(a)).isEqualTo(KernelOracle.canonical(b));
    assertThat(KernelOracle.canonical(a))
        .isEqualTo(List.of(1, "01ab", List.of("00"), Map.of("k", "02")));
    assertThat(KernelOracle.canonical(null)).isNull();
    assertThat(KernelOracle.canonical(new byte[] {1}))
        .isNotEqualTo(KernelOracle.canonical(new byte[] {2}));
  }

  @Test
  void rowOrderIsATotalOrderOverNormalizedValues() {
    List<List<Object>> rows =
        new ArrayList<>(
            List.of(
                row("b", 1L),
                row(null, 5L),
                row("a", 2L),
                row("a", null),
                row("a", 1L),
                row("a"),
                row(new byte[] {2}, 0L),
                row(new byte[] {1}, 0L)));
    rows.sort(KernelOracle.ROW_ORDER);

    assertThat(rows.stream().map(KernelOracle::canonicalString))
        .containsExactly(
            "[null, 5]",
            "[\"a\"]",
            "[\"a\", null]",
            "[\"a\", 1]",
            "[\"a\", 2]",
            "[\"b\", 1]",
            "[0x01, 0]",
            "[0x02, 0]");
    assertThat(KernelOracle.ROW_ORDER.compare(row(new byte[] {1}), row(new byte[] {1}))).isZero();
    assertThat(KernelOracle.ROW_ORDER.compare(row("x", 1), row("x", 2))).isNegative();
    assertThat(KernelOracle.ROW_ORDER.compare(row("x", 2), row("x", 1))).isPositive();
  }
}
