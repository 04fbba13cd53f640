package io.datashard;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Schemas and reproducible rows covering every type, for tests. */
public final class TestData {
  private TestData() {}

  /** Every primitive type, decimals of each physical width, and nested struct/array/map. */
  public static final Schema ALL_TYPES = Schema.parse(
      "id long not null, s string, i integer, sh short, b byte, f float, d double, dec9 decimal(9,2),"
          + " dec18 decimal(18,4), dec38 decimal(38,10), flag boolean, bin binary, day date, ts timestamp,"
          + " ntz timestamp_ntz, tags array<string>, attrs map<string,long>,"
          + " loc struct<lat double not null, lon double, names array<string>>,"
          + " nested array<struct<k string, v map<string, array<integer>>>>");

  /** Same without timestamp_ntz (protocol 1/2 tables). */
  public static final Schema ALL_TYPES_NO_NTZ = new Schema(ALL_TYPES.fields().stream()
      .filter(f -> !f.name().equals("ntz")).toList());

  /** A row of {@link #ALL_TYPES} (or a schema with a subset of its columns) derived from a seed; id = index. */
  public static Map<String, Object> row(Schema schema, long index, Random random) {
    Map<String, Object> all = new LinkedHashMap<>();
    all.put("id", index);
    all.put("s", nullOr(random, "str-" + random.nextInt(1000) + (random.nextBoolean() ? "ü€𝄞" : "")));
    all.put("i", nullOr(random, random.nextInt()));
    all.put("sh", nullOr(random, (short) random.nextInt(Short.MAX_VALUE)));
    all.put("b", nullOr(random, (byte) random.nextInt(127)));
    all.put("f", nullOr(random, random.nextFloat() * 1000 - 500));
    all.put("d", nullOr(random, random.nextDouble() * 1e6 - 5e5));
    all.put("dec9", nullOr(random, BigDecimal.valueOf(random.nextInt(10_000_000), 2)));
    all.put("dec18", nullOr(random, BigDecimal.valueOf(random.nextLong() % 100_000_000_000_000L, 4)));
    all.put("dec38", nullOr(random, new BigDecimal("12345678901234567890.0123456789").add(BigDecimal.valueOf(random.nextInt(1000)))));
    all.put("flag", nullOr(random, random.nextBoolean()));
    all.put("bin", nullOr(random, ("b" + random.nextInt()).getBytes(StandardCharsets.UTF_8)));
    all.put("day", nullOr(random, LocalDate.of(1900 + random.nextInt(200), 1 + random.nextInt(12), 1 + random.nextInt(28))));
    all.put("ts", nullOr(random, Instant.ofEpochSecond(random.nextInt(2_000_000_000), random.nextInt(1_000_000) * 1000L)));
    all.put("ntz", nullOr(random, LocalDateTime.of(2000 + random.nextInt(30), 5, 6, 7, 8, 9, random.nextInt(1_000_000) * 1000)));
    all.put("tags", nullOr(random, Arrays.asList("a" + random.nextInt(9), null, "c")));
    Map<String, Long> attrs = new LinkedHashMap<>();
    attrs.put("x", (long) random.nextInt());
    attrs.put("y", null);
    all.put("attrs", nullOr(random, attrs));
    Map<String, Object> loc = new LinkedHashMap<>();
    loc.put("lat", random.nextDouble());
    loc.put("lon", random.nextBoolean() ? null : random.nextDouble());
    loc.put("names", random.nextBoolean() ? List.of() : List.of("n1", "n2"));
    all.put("loc", nullOr(random, loc));
    Map<String, Object> inner = new LinkedHashMap<>();
    inner.put("k", "key" + random.nextInt(5));
    inner.put("v", Map.of("m", List.of(1, 2, 3)));
    List<Object> nested = new ArrayList<>();
    nested.add(inner);
    nested.add(null);
    all.put("nested", nullOr(random, nested));
    Map<String, Object> row = new LinkedHashMap<>();
    for (Field f : schema.fields()) {
      row.put(f.name(), all.get(f.name()));
    }
    return row;
  }

  private static Object nullOr(Random random, Object value) {
    return random.nextInt(8) == 0 ? null : value;
  }

  /** {@code count} rows starting at id {@code from}. */
  public static List<Map<String, Object>> rows(Schema schema, long from, int count, long seed) {
    Random random = new Random(seed);
    List<Map<String, Object>> rows = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      rows.add(row(schema, from + i, random));
    }
    return rows;
  }
}
