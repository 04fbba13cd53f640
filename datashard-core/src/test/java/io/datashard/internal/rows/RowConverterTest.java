package io.datashard.internal.rows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.datashard.InvalidRowException;
import io.datashard.Schema;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RowConverterTest {
  private final RowConverter converter = new RowConverter(Schema.parse(
      "id long not null, n integer, price decimal(10,2), ts timestamp, f float, d double,"
          + " loc struct<lat double not null, lon double>, tags array<string not null>").asStruct());

  record Point(double lat, Double lon) {}

  record Item(long id, Integer n, BigDecimal price, Point loc) {}

  public static final class Bean {
    private final long id;

    Bean(long id) {
      this.id = id;
    }

    public long getId() {
      return id;
    }

    public Integer getN() {
      return 7;
    }
  }

  @Test
  void widensAndNormalizes() {
    Object[] v = converter.convert(Map.of("id", 5, "n", (short) 3, "price", 12, "ts",
        OffsetDateTime.of(2024, 1, 2, 3, 4, 5, 123_456_789, ZoneOffset.ofHours(2)), "f", 1.5, "d", 3), 0);
    assertThat(v[0]).isEqualTo(5L);
    assertThat(v[1]).isEqualTo(3);
    assertThat(v[2]).isEqualTo(new BigDecimal("12.00"));
    assertThat(v[3]).isEqualTo(Instant.parse("2024-01-02T01:04:05.123456Z"));
    assertThat(v[4]).isEqualTo(1.5f);
    assertThat(v[5]).isEqualTo(3.0);
  }

  @Test
  void readsRecordsAndBeans() {
    Object[] v = converter.convert(new Item(9, null, new BigDecimal("1.5"), new Point(1, null)), 0);
    assertThat(v[0]).isEqualTo(9L);
    assertThat(v[2]).isEqualTo(new BigDecimal("1.50"));
    assertThat((Object[]) v[6]).containsExactly(1.0, null);
    Object[] b = converter.convert(new Bean(4), 0);
    assertThat(b[0]).isEqualTo(4L);
    assertThat(b[1]).isEqualTo(7);
  }

  @Test
  void refusesWhatDoesNotFit() {
    assertThatThrownBy(() -> converter.convert(Map.of("n", 1), 3))
        .isInstanceOf(InvalidRowException.class).hasMessageContaining("row 3").hasMessageContaining("'id'")
        .hasMessageContaining("not-null");
    assertThatThrownBy(() -> converter.convert(Map.of("id", "5"), 0))
        .isInstanceOf(InvalidRowException.class).hasMessageContaining("String").hasMessageContaining("long");
    assertThatThrownBy(() -> converter.convert(Map.of("id", 1, "nme", 2), 0))
        .isInstanceOf(InvalidRowException.class).hasMessageContaining("'nme'").hasMessageContaining("unknown column");
    assertThatThrownBy(() -> converter.convert(Map.of("id", 1, "price", new BigDecimal("123456789.00")), 0))
        .isInstanceOf(InvalidRowException.class).hasMessageContaining("overflows decimal(10,2)");
    assertThatThrownBy(() -> converter.convert(Map.of("id", 1, "price", new BigDecimal("1.005")), 0))
        .isInstanceOf(InvalidRowException.class).hasMessageContaining("digits after the point");
    assertThatThrownBy(() -> converter.convert(Map.of("id", 1, "n", 1L << 40), 0))
        .isInstanceOf(InvalidRowException.class).hasMessageContaining("out of range");
    assertThatThrownBy(() -> converter.convert(Map.of("id", BigInteger.ONE.shiftLeft(70)), 0))
        .isInstanceOf(InvalidRowException.class).hasMessageContaining("out of range");
    assertThatThrownBy(() -> converter.convert(Map.of("id", 1, "f", 0.1), 0))
        .isInstanceOf(InvalidRowException.class).hasMessageContaining("float");
    assertThatThrownBy(() -> converter.convert(Map.of("id", 1, "ts", LocalDateTime.now()), 0))
        .isInstanceOf(InvalidRowException.class).hasMessageContaining("timestamp_ntz");
    Map<String, Object> loc = new HashMap<>();
    loc.put("lat", null);
    assertThatThrownBy(() -> converter.convert(Map.of("id", 1, "loc", loc), 0))
        .isInstanceOf(InvalidRowException.class).hasMessageContaining("'loc.lat'");
    assertThatThrownBy(() -> converter.convert(Map.of("id", 1, "tags", java.util.Arrays.asList("a", null)), 0))
        .isInstanceOf(InvalidRowException.class).hasMessageContaining("'tags[1]'");
    assertThatThrownBy(() -> converter.convert(Map.of("id", 1, "tags", "abc"), 0))
        .isInstanceOf(InvalidRowException.class).hasMessageContaining("List");
    assertThatThrownBy(() -> converter.convert(null, 2))
        .isInstanceOf(InvalidRowException.class).hasMessageContaining("row 2");
    assertThatThrownBy(() -> converter.convert("not a row", 0))
        .isInstanceOf(InvalidRowException.class).hasMessageContaining("cannot read fields");
    assertThat(converter.convert(Map.of("id", 1, "tags", List.of("x")), 0)[7]).isEqualTo(List.of("x"));
  }
}
