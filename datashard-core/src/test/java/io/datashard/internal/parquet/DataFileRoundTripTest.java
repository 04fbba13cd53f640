package io.datashard.internal.parquet;

import static io.datashard.internal.parquet.ParquetTestFiles.readAll;
import static io.datashard.internal.parquet.ParquetTestFiles.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.datashard.ArrayType;
import io.datashard.Compression;
import io.datashard.CorruptTableException;
import io.datashard.DataType;
import io.datashard.DecimalType;
import io.datashard.Field;
import io.datashard.MapType;
import io.datashard.PrimitiveType;
import io.datashard.Row;
import io.datashard.StructType;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class DataFileRoundTripTest {
  @TempDir
  Path dir;

  static StructType struct(Field... fields) {
    return new StructType(List.of(fields));
  }

  static Field opt(String name, DataType type) {
    return Field.optional(name, type);
  }

  static Field req(String name, DataType type) {
    return Field.required(name, type);
  }

  static final StructType INNER = struct(opt("z", PrimitiveType.DOUBLE));
  static final StructType POINT = struct(req("x", PrimitiveType.INTEGER), opt("y", PrimitiveType.STRING),
      opt("inner", INNER));
  static final StructType AB = struct(opt("a", PrimitiveType.INTEGER), opt("b", PrimitiveType.STRING));
  static final StructType PQ = struct(opt("p", PrimitiveType.STRING),
      opt("q", new ArrayType(PrimitiveType.SHORT, true)));

  static final StructType ALL_TYPES = struct(
      opt("s", PrimitiveType.STRING),
      req("l", PrimitiveType.LONG),
      opt("i", PrimitiveType.INTEGER),
      opt("sh", PrimitiveType.SHORT),
      opt("b", PrimitiveType.BYTE),
      opt("f", PrimitiveType.FLOAT),
      opt("d", PrimitiveType.DOUBLE),
      opt("bo", PrimitiveType.BOOLEAN),
      opt("bin", PrimitiveType.BINARY),
      opt("dt", PrimitiveType.DATE),
      opt("ts", PrimitiveType.TIMESTAMP),
      opt("ntz", PrimitiveType.TIMESTAMP_NTZ),
      opt("d1", new DecimalType(5, 2)),
      opt("d2", new DecimalType(15, 3)),
      opt("d3", new DecimalType(25, 4)),
      opt("d4", new DecimalType(38, 0)),
      opt("st", POINT),
      opt("arr", new ArrayType(PrimitiveType.STRING, true)),
      opt("arrNN", new ArrayType(PrimitiveType.LONG, false)),
      opt("arrSt", new ArrayType(AB, true)),
      opt("arrArr", new ArrayType(new ArrayType(PrimitiveType.INTEGER, true), true)),
      opt("m", new MapType(PrimitiveType.STRING, PrimitiveType.LONG, true)),
      opt("mSt", new MapType(PrimitiveType.INTEGER, PQ, true)),
      req("reqSt", struct(req("k", PrimitiveType.STRING))));

  static List<Object[]> allTypesRows() {
    Object[] full = {
        "héllo 😀", Long.MIN_VALUE, Integer.MAX_VALUE, Short.MIN_VALUE, Byte.MIN_VALUE, -0.0f, Double.MAX_VALUE,
        true, new byte[] {0, -1, 127}, LocalDate.of(1969, 12, 31), Instant.parse("1969-12-31T23:59:59.999999Z"),
        LocalDateTime.parse("2024-02-29T12:34:56.123456"), new BigDecimal("-123.45"),
        new BigDecimal("999999999999.999"), new BigDecimal("-123456789012345678901.2345"),
        new BigDecimal("99999999999999999999999999999999999999"),
        new Object[] {7, "seven", new Object[] {2.5}},
        Arrays.asList("a", null, ""),
        List.of(1L, 2L, 3L),
        Arrays.asList(new Object[] {1, "one"}, null, new Object[] {null, null}),
        Arrays.asList(List.of(1, 2), null, List.of(), Arrays.asList(3, null)),
        linkedMap("z", 26L, "a", null, "m", 13L),
        linkedMap(1, new Object[] {"p1", Arrays.asList((short) 1, null)}, 2, null, 3, new Object[] {null, List.of()}),
        new Object[] {"k1"}};
    Object[] nulls = new Object[ALL_TYPES.size()];
    nulls[1] = 0L;
    nulls[ALL_TYPES.size() - 1] = new Object[] {"k2"};
    Object[] empties = nulls.clone();
    empties[0] = "";
    empties[1] = Long.MAX_VALUE;
    empties[8] = new byte[0];
    empties[15] = new BigDecimal("-99999999999999999999999999999999999999");
    empties[16] = new Object[] {-1, null, null};
    empties[17] = List.of();
    empties[18] = List.of();
    empties[19] = List.of();
    empties[20] = List.of(List.of());
    empties[21] = Map.of();
    empties[22] = Map.of();
    return List.of(full, nulls, empties);
  }

  static <K> Map<K, Object> linkedMap(Object... kv) {
    Map<K, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      @SuppressWarnings("unchecked")
      K key = (K) kv[i];
      map.put(key, kv[i + 1]);
    }
    return map;
  }

  /** The value as the reader returns it: structs become Rows. */
  static Object readForm(DataType type, Object v) {
    if (v == null) {
      return null;
    }
    if (type instanceof StructType s) {
      return Row.of(s, readForm(s, (Object[]) v));
    }
    if (type instanceof ArrayType a) {
      List<Object> out = new ArrayList<>();
      for (Object e : (List<?>) v) {
        out.add(readForm(a.elementType(), e));
      }
      return out;
    }
    if (type instanceof MapType m) {
      Map<Object, Object> out = new LinkedHashMap<>();
      ((Map<?, ?>) v).forEach((k, e) -> out.put(readForm(m.keyType(), k), readForm(m.valueType(), e)));
      return out;
    }
    return v;
  }

  static Object[] readForm(StructType type, Object[] row) {
    Object[] out = new Object[row.length];
    for (int i = 0; i < row.length; i++) {
      out[i] = readForm(type.fields().get(i).type(), row[i]);
    }
    return out;
  }

  static void assertRows(List<Object[]> actual, StructType type, List<Object[]> written) {
    assertThat(actual).hasSameSizeAs(written);
    for (int i = 0; i < written.size(); i++) {
      assertThat(actual.get(i)).as("row %d", i).isEqualTo(readForm(type, written.get(i)));
    }
  }

  @ParameterizedTest
  @EnumSource(Compression.class)
  void everyTypeRoundTripsWithEveryCodec(Compression codec) throws Exception {
    Path file = dir.resolve("all." + codec + ".parquet");
    List<Object[]> rows = allTypesRows();
    DataFileWriter.WrittenFile written = write(file, ALL_TYPES, rows, codec);
    assertThat(written.numRecords()).isEqualTo(3);

    List<Object[]> read = readAll(file, ALL_TYPES);
    assertRows(read, ALL_TYPES, rows);
    // Exact Java types and map order, which equals() alone does not show.
    Object[] first = read.get(0);
    assertThat(first[3]).isInstanceOf(Short.class);
    assertThat(first[4]).isInstanceOf(Byte.class);
    assertThat(Float.floatToRawIntBits((Float) first[5])).isEqualTo(Float.floatToRawIntBits(-0.0f));
    assertThat(((BigDecimal) first[12]).scale()).isEqualTo(2);
    assertThat(((BigDecimal) first[14]).scale()).isEqualTo(4);
    assertThatThrownBy(() -> ((Map<?, ?>) first[21]).clear()).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> ((List<?>) first[17]).clear()).isInstanceOf(UnsupportedOperationException.class);
    assertThat(((Map<?, ?>) first[21]).keySet().toArray()).containsExactly("z", "a", "m");
    assertThat(((Row) first[16]).getStruct("inner").getDouble("z")).isEqualTo(2.5);
    Object[] empties = read.get(2);
    assertThat((List<?>) empties[17]).isEmpty();
    assertThat((Map<?, ?>) empties[21]).isEmpty();
    assertThat(((Row) empties[16]).get("inner")).isNull();
    assertThat(read.get(1)[17]).isNull();
  }

  @Test
  void writtenSchemaFollowsDeltaLayout() throws Exception {
    assertThat(ParquetSchemas.toParquet(ALL_TYPES).toString().replaceAll("\\s+", " ")).contains(
        "optional binary s (STRING);",
        "required int64 l;",
        "optional int32 i;",
        "optional int32 sh (INTEGER(16,true));",
        "optional int32 b (INTEGER(8,true));",
        "optional float f;",
        "optional double d;",
        "optional boolean bo;",
        "optional binary bin;",
        "optional int32 dt (DATE);",
        "optional int64 ts (TIMESTAMP(MICROS,true));",
        "optional int64 ntz (TIMESTAMP(MICROS,false));",
        "optional int32 d1 (DECIMAL(5,2));",
        "optional int64 d2 (DECIMAL(15,3));",
        "optional fixed_len_byte_array(11) d3 (DECIMAL(25,4));",
        "optional fixed_len_byte_array(16) d4 (DECIMAL(38,0));",
        "optional group st { required int32 x; optional binary y (STRING);"
            + " optional group inner { optional double z; } }",
        "optional group arr (LIST) { repeated group list { optional binary element (STRING); } }",
        "optional group arrNN (LIST) { repeated group list { required int64 element; } }",
        "optional group m (MAP) { repeated group key_value { required binary key (STRING); optional int64 value; } }",
        "required group reqSt { required binary k (STRING); }");
    assertThat(ParquetSchemas.decimalBytes(9)).isEqualTo(4);
    assertThat(ParquetSchemas.decimalBytes(18)).isEqualTo(8);
    assertThat(ParquetSchemas.decimalBytes(19)).isEqualTo(9);
    assertThat(ParquetSchemas.decimalBytes(38)).isEqualTo(16);
  }

  @Test
  void emptyFileHasNoRows() throws Exception {
    Path file = dir.resolve("empty.parquet");
    DataFileWriter.WrittenFile written = write(file, ALL_TYPES, List.of());
    assertThat(written.numRecords()).isZero();
    assertThat(readAll(file, ALL_TYPES)).isEmpty();
  }

  @Test
  void readsOnlyRequestedColumnsInRequestedOrder() throws Exception {
    Path file = dir.resolve("proj.parquet");
    List<Object[]> rows = allTypesRows();
    write(file, ALL_TYPES, rows);

    StructType projected = struct(
        opt("missing", PrimitiveType.STRING),
        opt("st", struct(opt("inner", INNER), opt("nope", PrimitiveType.LONG), opt("y", PrimitiveType.STRING))),
        opt("m", new MapType(PrimitiveType.STRING, PrimitiveType.LONG, true)),
        opt("arrSt", new ArrayType(struct(opt("b", PrimitiveType.STRING)), true)),
        req("l", PrimitiveType.LONG));
    List<Object[]> read = readAll(file, projected);
    StructType stType = (StructType) projected.fields().get(1).type();
    StructType bOnly = struct(opt("b", PrimitiveType.STRING));
    assertThat(read.get(0)).isEqualTo(new Object[] {
        null,
        Row.of(stType, Row.of(INNER, 2.5), null, "seven"),
        rows.get(0)[21],
        Arrays.asList(Row.of(bOnly, "one"), null, Row.of(bOnly, (Object) null)),
        Long.MIN_VALUE});
    assertThat(read.get(1)).isEqualTo(new Object[] {null, null, null, null, 0L});
    assertThat(read.get(2)).isEqualTo(new Object[] {null, Row.of(stType, null, null, null), Map.of(), List.of(),
        Long.MAX_VALUE});

    MessageTypeAssert.assertColumns(new ReadPlan(projected, ParquetSchemas.toParquet(ALL_TYPES), "f")
        .requestedSchema(), "st.inner.z", "st.y", "m.key_value.key", "m.key_value.value", "arrSt.list.element.b", "l");
  }

  @Test
  void structWithoutRequestedColumnsStillTellsNullFromPresent() throws Exception {
    Path file = dir.resolve("probe.parquet");
    List<Object[]> rows = allTypesRows();
    write(file, ALL_TYPES, rows);
    StructType onlyUnknown = struct(opt("unknown", PrimitiveType.STRING));
    StructType read = struct(opt("st", onlyUnknown), opt("arrSt", new ArrayType(onlyUnknown, true)));

    List<Object[]> result = readAll(file, read);
    Row empty = Row.of(onlyUnknown, (Object) null);
    assertThat(result.get(0)).isEqualTo(new Object[] {empty, Arrays.asList(empty, null, empty)});
    assertThat(result.get(1)).isEqualTo(new Object[] {null, null});
    assertThat(result.get(2)).isEqualTo(new Object[] {empty, List.of()});
    // One leaf of each group is read for its definition levels only.
    MessageTypeAssert.assertColumns(new ReadPlan(read, ParquetSchemas.toParquet(ALL_TYPES), "f").requestedSchema(),
        "st.x", "arrSt.list.element.a");
  }

  @Test
  void noRequestedColumnInFileGivesNullRows() throws Exception {
    Path file = dir.resolve("none.parquet");
    write(file, ALL_TYPES, allTypesRows());
    List<Object[]> read = readAll(file, struct(opt("other", PrimitiveType.LONG), opt("x", PrimitiveType.STRING)));
    assertThat(read).hasSize(3).allSatisfy(r -> assertThat(r).containsExactly(null, null));
  }

  @Test
  void columnsMatchIgnoringCaseWhenNoExactMatch() throws Exception {
    Path file = dir.resolve("case.parquet");
    StructType written = struct(opt("UserId", PrimitiveType.LONG));
    write(file, written, List.<Object[]>of(new Object[] {5L}));
    assertThat(readAll(file, struct(opt("userid", PrimitiveType.LONG))).get(0)).containsExactly(5L);
  }

  @Test
  void readsWidenedTypes() throws Exception {
    Path file = dir.resolve("widen.parquet");
    StructType written = struct(opt("i", PrimitiveType.INTEGER), opt("b", PrimitiveType.BYTE),
        opt("f", PrimitiveType.FLOAT), opt("d", new DecimalType(5, 2)), opt("n", PrimitiveType.INTEGER));
    write(file, written, List.<Object[]>of(
        new Object[] {-7, (byte) 3, 1.1f, new BigDecimal("-999.99"), Integer.MIN_VALUE}));
    StructType widened = struct(opt("i", PrimitiveType.LONG), opt("b", PrimitiveType.SHORT),
        opt("f", PrimitiveType.DOUBLE), opt("d", new DecimalType(10, 4)), opt("n", new DecimalType(12, 2)));
    assertThat(readAll(file, widened).get(0)).containsExactly(
        -7L, (short) 3, (double) 1.1f, new BigDecimal("-999.9900"), new BigDecimal("-2147483648.00"));
  }

  @Test
  void refusesTypesThatCannotBeRead() throws Exception {
    Path file = dir.resolve("mismatch.parquet");
    write(file, ALL_TYPES, allTypesRows());
    String name = ParquetTestFiles.describe(file);
    assertThatThrownBy(() -> readAll(file, struct(opt("l", PrimitiveType.STRING))))
        .isInstanceOf(CorruptTableException.class)
        .hasMessageContaining(name)
        .hasMessageContaining("'l'")
        .hasMessageContaining("string");
    assertThatThrownBy(() -> readAll(file, struct(opt("st", struct(opt("y", PrimitiveType.INTEGER))))))
        .isInstanceOf(CorruptTableException.class)
        .hasMessageContaining(name)
        .hasMessageContaining("'st.y'");
    assertThatThrownBy(() -> readAll(file, struct(opt("ntz", PrimitiveType.TIMESTAMP))))
        .isInstanceOf(CorruptTableException.class).hasMessageContaining("'ntz'");
    assertThatThrownBy(() -> readAll(file, struct(opt("ts", PrimitiveType.TIMESTAMP_NTZ))))
        .isInstanceOf(CorruptTableException.class).hasMessageContaining("'ts'");
    assertThatThrownBy(() -> readAll(file, struct(opt("d2", new DecimalType(15, 2)))))
        .isInstanceOf(CorruptTableException.class).hasMessageContaining("'d2'");
    assertThatThrownBy(() -> readAll(file, struct(opt("d2", new DecimalType(14, 3)))))
        .isInstanceOf(CorruptTableException.class).hasMessageContaining("'d2'");
    assertThatThrownBy(() -> readAll(file, struct(opt("arr", PrimitiveType.STRING))))
        .isInstanceOf(CorruptTableException.class).hasMessageContaining("'arr'");
    assertThatThrownBy(() -> readAll(file, struct(opt("st", new ArrayType(PrimitiveType.STRING, true)))))
        .isInstanceOf(CorruptTableException.class).hasMessageContaining("'st'");
    assertThatThrownBy(() -> readAll(file, struct(opt("m", new MapType(PrimitiveType.STRING, PrimitiveType.STRING,
        true))))).isInstanceOf(CorruptTableException.class).hasMessageContaining("'m.value'");
    assertThatThrownBy(() -> readAll(file, struct(opt("l", PrimitiveType.INTEGER))))
        .isInstanceOf(CorruptTableException.class).hasMessageContaining("'l'");
  }

  @Test
  void manyRowsAcrossPagesAndDictionaries() throws Exception {
    Path file = dir.resolve("many.parquet");
    StructType schema = struct(req("id", PrimitiveType.LONG), opt("tag", PrimitiveType.STRING),
        opt("amount", new DecimalType(12, 2)), opt("payload", PrimitiveType.BINARY));
    List<Object[]> rows = new ArrayList<>();
    int n = 200_000;
    for (int i = 0; i < n; i++) {
      rows.add(new Object[] {(long) i, i % 7 == 0 ? null : "tag-" + (i % 5), BigDecimal.valueOf(i % 1000, 2),
          new byte[] {(byte) (i % 3)}});
    }
    write(file, schema, rows);
    List<Object[]> read = readAll(file, schema);
    assertThat(read).hasSize(n);
    for (int i = 0; i < n; i += 997) {
      assertThat(read.get(i)).as("row %d", i).isEqualTo(rows.get(i));
    }
    assertThat(read.get(n - 1)).isEqualTo(rows.get(n - 1));
    // Dictionary-decoded binaries must not share one array between rows.
    assertThat((byte[]) read.get(3)[3]).isNotSameAs(read.get(6)[3]).isEqualTo(read.get(6)[3]);
  }

  @Test
  void concurrentWritersAndReadersShareNothingMutable() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(6);
    try {
      List<Future<?>> tasks = new ArrayList<>();
      for (int t = 0; t < 6; t++) {
        int thread = t;
        tasks.add(pool.submit(() -> {
          for (int i = 0; i < 20; i++) {
            Path file = dir.resolve("c-" + thread + "-" + i + ".parquet");
            List<Object[]> rows = allTypesRows();
            rows.get(0)[1] = (long) thread * 1000 + i;
            write(file, ALL_TYPES, rows, Compression.values()[(thread + i) % Compression.values().length]);
            assertRows(readAll(file, ALL_TYPES), ALL_TYPES, rows);
          }
          return null;
        }));
      }
      for (Future<?> task : tasks) {
        task.get();
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
