package io.datashard.internal.parquet;

import static io.datashard.internal.parquet.DataFileRoundTripTest.linkedMap;
import static io.datashard.internal.parquet.DataFileRoundTripTest.opt;
import static io.datashard.internal.parquet.DataFileRoundTripTest.struct;
import static io.datashard.internal.parquet.ParquetTestFiles.describe;
import static io.datashard.internal.parquet.ParquetTestFiles.readAll;
import static io.datashard.internal.parquet.ParquetTestFiles.writeExample;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.datashard.ArrayType;
import io.datashard.CorruptTableException;
import io.datashard.DecimalType;
import io.datashard.MapType;
import io.datashard.PrimitiveType;
import io.datashard.Row;
import io.datashard.StructType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.NanoTime;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.api.Binary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files in layouts other writers (Spark, Hive, parquet-avro, parquet-thrift, Impala) produce. */
class LegacyParquetReadTest {
  private static final long JULIAN_EPOCH_DAY = 2_440_588L;

  @TempDir
  Path dir;

  @Test
  void legacyListLayouts() throws Exception {
    Path file = dir.resolve("lists.parquet");
    writeExample(file, "message spark_schema {"
        + " repeated int32 bare;"
        + " optional group l1 (LIST) { repeated int32 array; }"
        + " optional group l2 (LIST) { repeated group array { required binary str (UTF8); } }"
        + " optional group l3 (LIST) { repeated group l3_tuple { required int32 x; } }"
        + " optional group l4 (LIST) { repeated group element { required binary str (UTF8); required int32 num; } }"
        + " optional group l5 (LIST) { repeated group bag { optional int32 array_element; } }"
        + " optional group l6 (LIST) { repeated group array (LIST) { repeated int32 array; } }"
        + " repeated group bareGroup { required int32 a; optional binary b (UTF8); }"
        + " optional group std (LIST) { repeated group list { optional group element { optional int32 v; } } }"
        + "}", sink -> {
          Group r = sink.newRecord();
          r.append("bare", 1).append("bare", 2);
          r.addGroup("l1").append("array", 3).append("array", 4);
          r.addGroup("l2").addGroup("array").append("str", "s1");
          r.addGroup("l3").addGroup("l3_tuple").append("x", 5);
          r.addGroup("l4").addGroup("element").append("str", "t").append("num", 6);
          Group l5 = r.addGroup("l5");
          l5.addGroup("bag").append("array_element", 7);
          l5.addGroup("bag");
          Group l6 = r.addGroup("l6");
          l6.addGroup("array").append("array", 8).append("array", 9);
          l6.addGroup("array");
          r.addGroup("bareGroup").append("a", 1).append("b", "x");
          r.addGroup("bareGroup").append("a", 2);
          Group std = r.addGroup("std");
          std.addGroup("list").addGroup("element").append("v", 10);
          std.addGroup("list");
          sink.write(r);
          sink.write(sink.newRecord());
          Group empty = sink.newRecord();
          empty.addGroup("l1");
          empty.addGroup("l5");
          empty.addGroup("l6");
          sink.write(empty);
        });

    StructType str = struct(opt("str", PrimitiveType.STRING));
    StructType x = struct(opt("x", PrimitiveType.INTEGER));
    StructType strNum = struct(opt("str", PrimitiveType.STRING), opt("num", PrimitiveType.INTEGER));
    StructType ab = struct(opt("a", PrimitiveType.INTEGER), opt("b", PrimitiveType.STRING));
    StructType v = struct(opt("v", PrimitiveType.INTEGER));
    StructType schema = struct(
        opt("bare", new ArrayType(PrimitiveType.INTEGER, false)),
        opt("l1", new ArrayType(PrimitiveType.INTEGER, false)),
        opt("l2", new ArrayType(str, false)),
        opt("l3", new ArrayType(x, false)),
        opt("l4", new ArrayType(strNum, false)),
        opt("l5", new ArrayType(PrimitiveType.INTEGER, true)),
        opt("l6", new ArrayType(new ArrayType(PrimitiveType.INTEGER, false), false)),
        opt("bareGroup", new ArrayType(ab, false)),
        opt("std", new ArrayType(v, true)));
    List<Object[]> rows = readAll(file, schema);
    assertThat(rows).hasSize(3);
    assertThat(rows.get(0)).isEqualTo(new Object[] {
        List.of(1, 2),
        List.of(3, 4),
        List.of(Row.of(str, "s1")),
        List.of(Row.of(x, 5)),
        List.of(Row.of(strNum, "t", 6)),
        Arrays.asList(7, null),
        List.of(List.of(8, 9), List.of()),
        List.of(Row.of(ab, 1, "x"), Row.of(ab, 2, null)),
        Arrays.asList(Row.of(v, 10), null)});
    // A bare repeated field is a required list: absent means empty, never null.
    assertThat(rows.get(1)).isEqualTo(new Object[] {List.of(), null, null, null, null, null, null, List.of(), null});
    assertThat(rows.get(2)).isEqualTo(new Object[] {List.of(), List.of(), null, null, null, List.of(), List.of(),
        List.of(), null});
  }

  @Test
  void legacyMapLayouts() throws Exception {
    Path file = dir.resolve("maps.parquet");
    writeExample(file, "message hive_schema {"
        + " optional group m1 (MAP_KEY_VALUE) {"
        + "   repeated group map { required binary key (UTF8); optional int32 value; } }"
        + " optional group m2 (MAP) {"
        + "   repeated group map (MAP_KEY_VALUE) { required binary str (UTF8); required int32 num; } }"
        + " optional group m3 (MAP) { repeated group key_value { required int32 key; } }"
        + "}", sink -> {
          Group r = sink.newRecord();
          Group m1 = r.addGroup("m1");
          m1.addGroup("map").append("key", "b").append("value", 2);
          m1.addGroup("map").append("key", "a");
          r.addGroup("m2").addGroup("map").append("str", "k").append("num", 1);
          Group m3 = r.addGroup("m3");
          m3.addGroup("key_value").append("key", 9);
          m3.addGroup("key_value").append("key", 8);
          sink.write(r);
          sink.write(sink.newRecord());
        });
    StructType schema = struct(
        opt("m1", new MapType(PrimitiveType.STRING, PrimitiveType.INTEGER, true)),
        opt("m2", new MapType(PrimitiveType.STRING, PrimitiveType.INTEGER, false)),
        opt("m3", new MapType(PrimitiveType.INTEGER, PrimitiveType.STRING, true)));
    List<Object[]> rows = readAll(file, schema);
    assertThat(rows.get(0)).isEqualTo(new Object[] {linkedMap("b", 2, "a", null), Map.of("k", 1),
        linkedMap(9, null, 8, null)});
    assertThat(((Map<?, ?>) rows.get(0)[0]).keySet().toArray()).containsExactly("b", "a");
    assertThat(rows.get(1)).isEqualTo(new Object[] {null, null, null});
  }

  @Test
  void otherWritersPrimitiveEncodings() throws Exception {
    Path file = dir.resolve("primitives.parquet");
    Instant ts = Instant.parse("2021-06-01T12:34:56.789123456Z");
    Instant old = Instant.parse("1900-01-01T00:00:00.000000999Z");
    BigInteger bigUnscaled = new BigInteger("-12345678901234567890123456789");
    writeExample(file, "message spark_schema {"
        + " optional int96 ts96;"
        + " optional int96 old96;"
        + " optional int64 tsMillis (TIMESTAMP(MILLIS,true));"
        + " optional int64 tsNanos (TIMESTAMP(NANOS,true));"
        + " optional int64 ntzMillis (TIMESTAMP(MILLIS,false));"
        + " optional int64 ntzNanos (TIMESTAMP(NANOS,false));"
        + " optional int64 legacyMicros (TIMESTAMP_MICROS);"
        + " optional int32 dec32 (DECIMAL(9,2));"
        + " optional int64 dec64 (DECIMAL(18,4));"
        + " optional fixed_len_byte_array(5) decFixed (DECIMAL(10,3));"
        + " optional binary decBin (DECIMAL(30,5));"
        + " optional binary plainStr;"
        + " optional binary utf8Str (UTF8);"
        + " optional binary enumStr (ENUM);"
        + " optional int32 i8 (INT_8);"
        + " optional int32 i16 (INT_16);"
        + " optional int32 u8 (UINT_8);"
        + " optional int32 plainShort;"
        + " optional int64 i64 (INT_64);"
        + " optional float fl;"
        + "}", sink -> {
          Group r = sink.newRecord();
          r.append("ts96", nanoTime(ts));
          r.append("old96", nanoTime(old));
          r.append("tsMillis", -1L);
          r.append("tsNanos", -1L);
          r.append("ntzMillis", 1_700_000_000_123L);
          r.append("ntzNanos", 1_700_000_000_123_456_789L);
          r.append("legacyMicros", 1L);
          r.append("dec32", -12345);
          r.append("dec64", 123456789012345678L);
          r.append("decFixed", Binary.fromConstantByteArray(new byte[] {-1, -1, -19, 41, 121}));
          r.append("decBin", Binary.fromConstantByteArray(bigUnscaled.toByteArray()));
          r.append("plainStr", "plain");
          r.append("utf8Str", "ütf");
          r.append("enumStr", "RED");
          r.append("i8", -128);
          r.append("i16", 32767);
          r.append("u8", 255);
          r.append("plainShort", -2);
          r.append("i64", Long.MIN_VALUE);
          r.append("fl", 0.1f);
          sink.write(r);
          sink.write(sink.newRecord());
        });
    StructType schema = struct(
        opt("ts96", PrimitiveType.TIMESTAMP), opt("old96", PrimitiveType.TIMESTAMP),
        opt("tsMillis", PrimitiveType.TIMESTAMP), opt("tsNanos", PrimitiveType.TIMESTAMP),
        opt("ntzMillis", PrimitiveType.TIMESTAMP_NTZ), opt("ntzNanos", PrimitiveType.TIMESTAMP_NTZ),
        opt("legacyMicros", PrimitiveType.TIMESTAMP),
        opt("dec32", new DecimalType(9, 2)), opt("dec64", new DecimalType(18, 4)),
        opt("decFixed", new DecimalType(10, 3)), opt("decBin", new DecimalType(30, 5)),
        opt("plainStr", PrimitiveType.STRING), opt("utf8Str", PrimitiveType.STRING),
        opt("enumStr", PrimitiveType.STRING), opt("i8", PrimitiveType.BYTE), opt("i16", PrimitiveType.SHORT),
        opt("u8", PrimitiveType.SHORT), opt("plainShort", PrimitiveType.SHORT), opt("i64", PrimitiveType.LONG),
        opt("fl", PrimitiveType.DOUBLE));
    List<Object[]> rows = readAll(file, schema);
    assertThat(rows.get(0)).isEqualTo(new Object[] {
        Instant.parse("2021-06-01T12:34:56.789123Z"),
        Instant.parse("1900-01-01T00:00:00Z"),
        Instant.parse("1969-12-31T23:59:59.999Z"),
        Instant.parse("1969-12-31T23:59:59.999999Z"),
        LocalDateTime.parse("2023-11-14T22:13:20.123"),
        LocalDateTime.parse("2023-11-14T22:13:20.123456"),
        Instant.parse("1970-01-01T00:00:00.000001Z"),
        new BigDecimal("-123.45"),
        new BigDecimal("12345678901234.5678"),
        new BigDecimal("-1234.567"),
        new BigDecimal(bigUnscaled, 5),
        "plain", "ütf", "RED", (byte) -128, (short) 32767, (short) 255, (short) -2, Long.MIN_VALUE,
        (double) 0.1f});
    assertThat(rows.get(1)).containsOnlyNulls();

    // Decimals widen to a larger precision and scale without changing value.
    assertThat(readAll(file, struct(opt("dec32", new DecimalType(12, 4)))).get(0))
        .containsExactly(new BigDecimal("-123.4500"));
    assertThatThrownBy(() -> readAll(file, struct(opt("ts96", PrimitiveType.TIMESTAMP_NTZ))))
        .isInstanceOf(CorruptTableException.class)
        .hasMessageContaining(describe(file))
        .hasMessageContaining("'ts96'");
    assertThatThrownBy(() -> readAll(file, struct(opt("u8", PrimitiveType.BYTE))))
        .isInstanceOf(CorruptTableException.class)
        .hasMessageContaining(describe(file))
        .hasMessageContaining("'u8'")
        .hasMessageContaining("255");
    assertThatThrownBy(() -> readAll(file, struct(opt("decFixed", new DecimalType(9, 3)))))
        .isInstanceOf(CorruptTableException.class).hasMessageContaining("'decFixed'");
  }

  @Test
  void valuesOutsideTheRequestedTypeFail() throws Exception {
    Path file = dir.resolve("range.parquet");
    writeExample(file, "message m { optional int32 n; optional int32 d (DECIMAL(4,2)); }", sink -> {
      sink.write(sink.newRecord().append("n", 5).append("d", 1234));
      sink.write(sink.newRecord().append("n", 70_000).append("d", 99_999));
    });
    assertThatThrownBy(() -> readAll(file, struct(opt("n", PrimitiveType.SHORT))))
        .isInstanceOf(CorruptTableException.class)
        .hasMessageContaining(describe(file))
        .hasMessageContaining("'n'")
        .hasMessageContaining("70000");
    // The file's decimal(4,2) holds a value with five digits.
    assertThatThrownBy(() -> readAll(file, struct(opt("d", new DecimalType(4, 2)))))
        .isInstanceOf(CorruptTableException.class)
        .hasMessageContaining("'d'")
        .hasMessageContaining("999.99");
  }

  @Test
  void readsEveryRowGroup() throws Exception {
    Path file = dir.resolve("groups.parquet");
    int n = 20_000;
    writeExample(file, "message m { required int64 id; optional binary name (UTF8); }", 4096, sink -> {
      for (long i = 0; i < n; i++) {
        Group r = sink.newRecord().append("id", i);
        if (i % 3 != 0) {
          r.append("name", "n" + i);
        }
        sink.write(r);
      }
    });
    try (SeekableByteChannel channel = Files.newByteChannel(file);
        ParquetFileReader footer = ParquetFileReader.open(new ChannelInputFile(channel, channel.size(), "f", new ReadMetrics()))) {
      assertThat(footer.getRowGroups()).hasSizeGreaterThan(5);
    }
    List<Object[]> rows = readAll(file, struct(opt("name", PrimitiveType.STRING), opt("id", PrimitiveType.LONG)));
    assertThat(rows).hasSize(n);
    for (int i = 0; i < n; i++) {
      assertThat(rows.get(i)).as("row %d", i).containsExactly(i % 3 != 0 ? "n" + i : null, (long) i);
    }
  }

  private static NanoTime nanoTime(Instant t) {
    long epochDay = Math.floorDiv(t.getEpochSecond(), 86_400L);
    long nanosOfDay = Math.floorMod(t.getEpochSecond(), 86_400L) * 1_000_000_000L + t.getNano();
    return new NanoTime((int) (epochDay + JULIAN_EPOCH_DAY), nanosOfDay);
  }
}
