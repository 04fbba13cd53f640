package io.datashard.internal.parquet;

import static io.datashard.internal.parquet.DataFileRoundTripTest.opt;
import static io.datashard.internal.parquet.DataFileRoundTripTest.req;
import static io.datashard.internal.parquet.DataFileRoundTripTest.struct;
import static org.assertj.core.api.Assertions.assertThat;

import io.datashard.ArrayType;
import io.datashard.DecimalType;
import io.datashard.MapType;
import io.datashard.PrimitiveType;
import io.datashard.StructType;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileStatsTest {
  @TempDir
  Path dir;

  private String stats(StructType schema, Object[]... rows) throws Exception {
    DataFileWriter.WrittenFile written =
        ParquetTestFiles.write(dir.resolve("f" + System.nanoTime() + ".parquet"), schema, List.of(rows));
    assertThat(written.numRecords()).isEqualTo(rows.length);
    return written.statsJson();
  }

  @Test
  void minMaxAndNullCountOfEveryOrderableType() throws Exception {
    StructType schema = struct(
        opt("s", PrimitiveType.STRING), opt("l", PrimitiveType.LONG), opt("i", PrimitiveType.INTEGER),
        opt("sh", PrimitiveType.SHORT), opt("b", PrimitiveType.BYTE), opt("f", PrimitiveType.FLOAT),
        opt("d", PrimitiveType.DOUBLE), opt("dt", PrimitiveType.DATE), opt("ts", PrimitiveType.TIMESTAMP),
        opt("ntz", PrimitiveType.TIMESTAMP_NTZ), opt("dec", new DecimalType(10, 2)),
        opt("tiny", new DecimalType(9, 8)), opt("big", new DecimalType(30, 3)),
        opt("bo", PrimitiveType.BOOLEAN), opt("bin", PrimitiveType.BINARY));
    String json = stats(schema,
        new Object[] {"b", 5L, -3, (short) 300, (byte) -8, 1.5f, -2.25, LocalDate.of(2024, 3, 1),
            Instant.parse("2024-01-01T00:00:00.000001Z"), LocalDateTime.parse("2024-01-01T10:00:00.999999"),
            new BigDecimal("1.50"), new BigDecimal("0.00000010"), new BigDecimal("-12345678901234567890.123"),
            true, new byte[] {1}},
        new Object[] {null, null, null, null, null, null, null, null, null, null, null, null, null, null, null},
        new Object[] {"a", -5L, 7, (short) -1, (byte) 9, -0.5f, 1e300, LocalDate.of(1969, 7, 20),
            Instant.parse("1969-12-31T23:59:59.999999Z"), LocalDateTime.parse("1999-12-31T23:59:59.000001"),
            new BigDecimal("-0.10"), new BigDecimal("0.12345678"), new BigDecimal("5.000"), false, null},
        new Object[] {"ab", 0L, 0, (short) 0, (byte) 0, 0f, 0d, LocalDate.of(2000, 1, 1),
            Instant.parse("2024-01-01T00:00:00.999000Z"), LocalDateTime.parse("2000-01-01T00:00:00"),
            new BigDecimal("0.00"), new BigDecimal("0.00000000"), new BigDecimal("0.000"), null, new byte[0]});
    assertThat(json).isEqualTo("{\"numRecords\":4,"
        + "\"minValues\":{\"s\":\"a\",\"l\":-5,\"i\":-3,\"sh\":-1,\"b\":-8,\"f\":-0.5,\"d\":-2.25,"
        + "\"dt\":\"1969-07-20\",\"ts\":\"1969-12-31T23:59:59.999Z\",\"ntz\":\"1999-12-31T23:59:59.000\","
        + "\"dec\":-0.10,\"tiny\":0.00000000,\"big\":-12345678901234567890.123},"
        + "\"maxValues\":{\"s\":\"b\",\"l\":5,\"i\":7,\"sh\":300,\"b\":9,\"f\":1.5,\"d\":1.0E300,"
        + "\"dt\":\"2024-03-01\",\"ts\":\"2024-01-01T00:00:00.999Z\",\"ntz\":\"2024-01-01T10:00:01.000\""
        + ",\"dec\":1.50,\"tiny\":0.12345678,\"big\":5.000},"
        + "\"nullCount\":{\"s\":1,\"l\":1,\"i\":1,\"sh\":1,\"b\":1,\"f\":1,\"d\":1,\"dt\":1,\"ts\":1,\"ntz\":1,"
        + "\"dec\":1,\"tiny\":1,\"big\":1,\"bo\":2,\"bin\":2}}");
  }

  @Test
  void timestampsRoundOutwardToMilliseconds() throws Exception {
    StructType schema = struct(opt("ts", PrimitiveType.TIMESTAMP), opt("ntz", PrimitiveType.TIMESTAMP_NTZ));
    String json = stats(schema,
        new Object[] {Instant.parse("2024-05-05T10:00:00.123456Z"), LocalDateTime.parse("2024-05-05T10:00:00.123456")},
        new Object[] {Instant.parse("2024-05-05T10:00:00.999999Z"), LocalDateTime.parse("2024-05-05T23:59:59.999001")});
    assertThat(json).isEqualTo("{\"numRecords\":2,"
        + "\"minValues\":{\"ts\":\"2024-05-05T10:00:00.123Z\",\"ntz\":\"2024-05-05T10:00:00.123\"},"
        + "\"maxValues\":{\"ts\":\"2024-05-05T10:00:01.000Z\",\"ntz\":\"2024-05-06T00:00:00.000\"},"
        + "\"nullCount\":{\"ts\":0,\"ntz\":0}}");
  }

  @Test
  void exactMillisecondsAreNotRounded() throws Exception {
    String json = stats(struct(opt("ts", PrimitiveType.TIMESTAMP)),
        new Object[] {Instant.parse("2024-05-05T10:00:00.500Z")});
    assertThat(json).contains("\"minValues\":{\"ts\":\"2024-05-05T10:00:00.500Z\"}",
        "\"maxValues\":{\"ts\":\"2024-05-05T10:00:00.500Z\"}");
  }

  @Test
  void nanAndInfinityLeaveOutBounds() throws Exception {
    StructType schema = struct(opt("d", PrimitiveType.DOUBLE), opt("f", PrimitiveType.FLOAT),
        opt("inf", PrimitiveType.DOUBLE));
    String json = stats(schema,
        new Object[] {1.0, 2.0f, Double.NEGATIVE_INFINITY},
        new Object[] {Double.NaN, Float.NaN, 3.0},
        new Object[] {null, 0.5f, 4.0});
    assertThat(json).isEqualTo("{\"numRecords\":3,\"minValues\":{},\"maxValues\":{\"inf\":4.0},"
        + "\"nullCount\":{\"d\":1,\"f\":0,\"inf\":0}}");
  }

  @Test
  void allNullColumnsHaveNoBounds() throws Exception {
    String json = stats(struct(opt("a", PrimitiveType.LONG), opt("b", PrimitiveType.STRING)),
        new Object[] {null, "x"}, new Object[] {null, null});
    assertThat(json).isEqualTo("{\"numRecords\":2,\"minValues\":{\"b\":\"x\"},\"maxValues\":{\"b\":\"x\"},"
        + "\"nullCount\":{\"a\":2,\"b\":1}}");
  }

  @Test
  void nestedStructsNestAndNullParentsCountForChildren() throws Exception {
    StructType geo = struct(opt("lat", PrimitiveType.DOUBLE), opt("lon", PrimitiveType.DOUBLE),
        opt("meta", struct(opt("src", PrimitiveType.STRING))));
    StructType schema = struct(req("id", PrimitiveType.LONG), opt("loc", geo),
        opt("tags", new ArrayType(PrimitiveType.STRING, true)),
        opt("attrs", new MapType(PrimitiveType.STRING, PrimitiveType.LONG, true)),
        opt("empty", struct(opt("never", PrimitiveType.INTEGER))));
    String json = stats(schema,
        new Object[] {1L, new Object[] {1.5, null, new Object[] {"gps"}}, Arrays.asList("z", null), Map.of("k", 1L),
            null},
        new Object[] {2L, null, null, null, new Object[] {null}},
        new Object[] {3L, new Object[] {-2.0, 3.0, null}, List.of(), null, null});
    assertThat(json).isEqualTo("{\"numRecords\":3,"
        + "\"minValues\":{\"id\":1,\"loc\":{\"lat\":-2.0,\"lon\":3.0,\"meta\":{\"src\":\"gps\"}}},"
        + "\"maxValues\":{\"id\":3,\"loc\":{\"lat\":1.5,\"lon\":3.0,\"meta\":{\"src\":\"gps\"}}},"
        + "\"nullCount\":{\"id\":0,\"loc\":{\"lat\":1,\"lon\":2,\"meta\":{\"src\":2}},\"tags\":1,\"attrs\":2,"
        + "\"empty\":{\"never\":3}}}");
  }

  @Test
  void stringsCompareByUtf8Bytes() throws Exception {
    // U+FFFD sorts before U+1F600 in UTF-8 (code point) order, after it in UTF-16 order.
    String json = stats(struct(opt("s", PrimitiveType.STRING)),
        new Object[] {"\uD83D\uDE00"}, new Object[] {"\uFFFD"}, new Object[] {"\uE000x"});
    assertThat(json).contains("\"minValues\":{\"s\":\"\uE000x\"}", "\"maxValues\":{\"s\":\"\uD83D\uDE00\"}");
    assertThat(FileStats.compareUtf8("\uFFFD", "\uD83D\uDE00")).isNegative();
    assertThat(FileStats.compareUtf8("\uD83D\uDE00", "\uD83D\uDE01")).isNegative();
    assertThat(FileStats.compareUtf8("a", "ab")).isNegative();
    assertThat(FileStats.compareUtf8("\u00e9", "z")).isPositive();
    assertThat(FileStats.compareUtf8("same", "same")).isZero();
  }

  @Test
  void longStringsAreTruncatedToBounds() throws Exception {
    String a32 = "a".repeat(32);
    String max = "\uDBFF\uDFFF";
    String json = stats(struct(opt("s", PrimitiveType.STRING)),
        new Object[] {a32 + "bcd"}, new Object[] {a32 + "b"}, new Object[] {a32 + "zzz"});
    assertThat(json).contains("\"minValues\":{\"s\":\"" + a32 + "\"}",
        "\"maxValues\":{\"s\":\"" + a32 + max + "\"}");

    // Code points, not chars: 40 emoji keep 32 emoji (64 chars).
    String emoji = "\uD83D\uDE00";
    assertThat(FileStats.truncateMin(emoji.repeat(40))).isEqualTo(emoji.repeat(32));
    assertThat(FileStats.truncateMax(emoji.repeat(40))).isEqualTo(emoji.repeat(32) + max);
    assertThat(FileStats.truncateMax(emoji.repeat(32))).isEqualTo(emoji.repeat(32));
    assertThat(FileStats.truncateMax(a32)).isEqualTo(a32);
    // U+10FFFF right after the prefix cannot be exceeded by appending U+10FFFF: extend over it.
    assertThat(FileStats.truncateMax(a32 + max + max + "b" + "tail")).isEqualTo(a32 + max + max + max);
    assertThat(FileStats.truncateMax(a32 + max + max)).isEqualTo(a32 + max + max);
    assertThat(FileStats.truncateMin(a32 + max + max)).isEqualTo(a32);
  }

  @Test
  void truncatedMaxStillBoundsValues() {
    String max = "\uDBFF\uDFFF";
    for (String s : List.of("a".repeat(50), "a".repeat(32) + max + "x", "\uFFFD".repeat(40),
        "\uD83D\uDE00".repeat(33) + "\uFFFF")) {
      assertThat(FileStats.compareUtf8(FileStats.truncateMax(s), s)).as(s).isGreaterThanOrEqualTo(0);
      assertThat(FileStats.compareUtf8(FileStats.truncateMin(s), s)).as(s).isLessThanOrEqualTo(0);
    }
  }

  @Test
  void emptyFileStats() throws Exception {
    assertThat(stats(struct(opt("a", PrimitiveType.LONG), opt("s", struct(opt("x", PrimitiveType.INTEGER))))))
        .isEqualTo("{\"numRecords\":0,\"minValues\":{},\"maxValues\":{},\"nullCount\":{\"a\":0,\"s\":{\"x\":0}}}");
  }
}
