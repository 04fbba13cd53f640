package io.datashard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.datashard.internal.log.SchemaJson;
import java.util.List;
import org.junit.jupiter.api.Test;

class SchemaTest {

  @Test
  void parsesTheDocumentedTextForm() {
    Schema s = Schema.parse("id long not null, name string, price decimal(10,2), tags array<string>,"
        + " attrs map<string,long>, loc struct<lat double, lon double>");
    assertThat(s.fieldNames()).containsExactly("id", "name", "price", "tags", "attrs", "loc");
    assertThat(s.fields().get(0)).isEqualTo(Field.required("id", PrimitiveType.LONG));
    assertThat(s.fields().get(2).type()).isEqualTo(new DecimalType(10, 2));
    assertThat(s.fields().get(3).type()).isEqualTo(new ArrayType(PrimitiveType.STRING, true));
    assertThat(s.fields().get(4).type()).isEqualTo(new MapType(PrimitiveType.STRING, PrimitiveType.LONG, true));
    assertThat(s.fields().get(5).type()).isEqualTo(new StructType(List.of(
        Field.optional("lat", PrimitiveType.DOUBLE), Field.optional("lon", PrimitiveType.DOUBLE))));
  }

  @Test
  void textFormRoundTrips() {
    Schema s = TestData.ALL_TYPES;
    assertThat(Schema.parse(s.toText())).isEqualTo(s);
    Schema quoted = Schema.parse("`weird name` long, `a``b` string not null, x array<integer not null>");
    assertThat(quoted.fieldNames()).containsExactly("weird name", "a`b", "x");
    assertThat(Schema.parse(quoted.toText())).isEqualTo(quoted);
  }

  @Test
  void acceptsAliasesAndColons() {
    Schema s = Schema.parse("a BIGINT, b: int, c smallint, d tinyint, e bool");
    assertThat(s.fields()).extracting(Field::type).containsExactly(
        PrimitiveType.LONG, PrimitiveType.INTEGER, PrimitiveType.SHORT, PrimitiveType.BYTE, PrimitiveType.BOOLEAN);
  }

  @Test
  void deltaJsonRoundTripsEveryType() {
    String json = SchemaJson.toJson(TestData.ALL_TYPES);
    assertThat(json).contains("\"type\":\"timestamp_ntz\"").contains("\"decimal(38,10)\"")
        .contains("\"containsNull\":true").contains("\"valueContainsNull\":true");
    assertThat(SchemaJson.parse(json)).isEqualTo(TestData.ALL_TYPES);
  }

  @Test
  void errorsNameThePosition() {
    assertThatThrownBy(() -> Schema.parse("id long, name strin"))
        .isInstanceOf(InvalidSchemaException.class)
        .hasMessageContaining("unknown type 'strin'")
        .hasMessageContaining("position 14");
    assertThatThrownBy(() -> Schema.parse("id long,, x int"))
        .isInstanceOf(InvalidSchemaException.class).hasMessageContaining("position 8");
    assertThatThrownBy(() -> Schema.parse("a array<string"))
        .isInstanceOf(InvalidSchemaException.class).hasMessageContaining("expected '>'");
    assertThatThrownBy(() -> Schema.parse("a decimal(40,2)"))
        .isInstanceOf(InvalidSchemaException.class).hasMessageContaining("precision");
    assertThatThrownBy(() -> Schema.parse("a long, A string"))
        .isInstanceOf(InvalidSchemaException.class).hasMessageContaining("duplicate");
    assertThatThrownBy(() -> Schema.parse("a long not nul"))
        .isInstanceOf(InvalidSchemaException.class).hasMessageContaining("expected 'null'");
    assertThatThrownBy(() -> Schema.parse("  "))
        .isInstanceOf(InvalidSchemaException.class);
    assertThatThrownBy(() -> SchemaJson.parse("{\"type\":\"struct\",\"fields\":[{\"name\":\"a\",\"type\":\"uuid\"}]}"))
        .isInstanceOf(InvalidSchemaException.class).hasMessageContaining("unknown type 'uuid'");
  }
}
