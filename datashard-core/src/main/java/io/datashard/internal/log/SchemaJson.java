package io.datashard.internal.log;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.datashard.ArrayType;
import io.datashard.DataType;
import io.datashard.DecimalType;
import io.datashard.Field;
import io.datashard.InvalidSchemaException;
import io.datashard.MapType;
import io.datashard.PrimitiveType;
import io.datashard.Schema;
import io.datashard.StructType;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The Delta schema serialization ({@code metaData.schemaString}): Spark's StructType JSON. */
public final class SchemaJson {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final Pattern DECIMAL = Pattern.compile("decimal\\(\\s*(\\d+)\\s*,\\s*(-?\\d+)\\s*\\)");

  private SchemaJson() {}

  /** The schema string of a schema. */
  public static String toJson(Schema schema) {
    return structNode(schema.asStruct()).toString();
  }

  /**
   * Parses a schema string.
   *
   * @throws InvalidSchemaException if it is not valid JSON or names an unknown type
   */
  public static Schema parse(String json) {
    JsonNode node;
    try {
      node = MAPPER.readTree(json);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new InvalidSchemaException("schema string is not valid JSON: " + e.getOriginalMessage());
    }
    if (node == null || !node.isObject() || !"struct".equals(node.path("type").asText())) {
      throw new InvalidSchemaException("schema string is not a struct type");
    }
    try {
      return new Schema(parseStruct(node).fields());
    } catch (IllegalArgumentException e) {
      throw new InvalidSchemaException("invalid schema string: " + e.getMessage());
    }
  }

  private static ObjectNode structNode(StructType struct) {
    ObjectNode node = NODES.objectNode();
    node.put("type", "struct");
    ArrayNode fields = node.putArray("fields");
    for (Field f : struct.fields()) {
      ObjectNode fn = fields.addObject();
      fn.put("name", f.name());
      fn.set("type", typeNode(f.type()));
      fn.put("nullable", f.nullable());
      fn.set("metadata", MAPPER.valueToTree(f.metadata()));
    }
    return node;
  }

  private static JsonNode typeNode(DataType type) {
    if (type instanceof PrimitiveType p) {
      return NODES.textNode(p.deltaName());
    }
    if (type instanceof DecimalType d) {
      return NODES.textNode(d.toText());
    }
    if (type instanceof StructType s) {
      return structNode(s);
    }
    if (type instanceof ArrayType a) {
      ObjectNode node = NODES.objectNode();
      node.put("type", "array");
      node.set("elementType", typeNode(a.elementType()));
      node.put("containsNull", a.containsNull());
      return node;
    }
    MapType m = (MapType) type;
    ObjectNode node = NODES.objectNode();
    node.put("type", "map");
    node.set("keyType", typeNode(m.keyType()));
    node.set("valueType", typeNode(m.valueType()));
    node.put("valueContainsNull", m.valueContainsNull());
    return node;
  }

  private static StructType parseStruct(JsonNode node) {
    JsonNode fields = node.get("fields");
    if (fields == null || !fields.isArray()) {
      throw new InvalidSchemaException("struct type without a 'fields' array");
    }
    List<Field> result = new ArrayList<>();
    for (JsonNode f : fields) {
      JsonNode name = f.get("name");
      if (name == null || !name.isTextual()) {
        throw new InvalidSchemaException("struct field without a name");
      }
      JsonNode type = f.get("type");
      if (type == null) {
        throw new InvalidSchemaException("field '" + name.asText() + "' has no type");
      }
      boolean nullable = !f.has("nullable") || f.get("nullable").asBoolean();
      Map<String, Object> metadata = new LinkedHashMap<>();
      JsonNode meta = f.get("metadata");
      if (meta != null && meta.isObject()) {
        for (Iterator<Map.Entry<String, JsonNode>> it = meta.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          metadata.put(e.getKey(), MAPPER.convertValue(e.getValue(), Object.class));
        }
      }
      result.add(new Field(name.asText(), parseType(type, name.asText()), nullable, metadata));
    }
    return new StructType(result);
  }

  private static DataType parseType(JsonNode node, String fieldName) {
    if (node.isTextual()) {
      String text = node.asText();
      Matcher m = DECIMAL.matcher(text);
      if (m.matches()) {
        try {
          return new DecimalType(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
        } catch (IllegalArgumentException e) {
          throw new InvalidSchemaException("field '" + fieldName + "': " + e.getMessage());
        }
      }
      if (text.equals("decimal")) {
        return new DecimalType(10, 0);
      }
      for (PrimitiveType p : PrimitiveType.values()) {
        if (p.deltaName().equals(text)) {
          return p;
        }
      }
      throw new InvalidSchemaException("field '" + fieldName + "' has unknown type '" + text + "'");
    }
    String kind = node.path("type").asText();
    switch (kind) {
      case "struct":
        return parseStruct(node);
      case "array":
        return new ArrayType(parseType(required(node, "elementType", fieldName), fieldName),
            !node.has("containsNull") || node.get("containsNull").asBoolean());
      case "map":
        return new MapType(parseType(required(node, "keyType", fieldName), fieldName),
            parseType(required(node, "valueType", fieldName), fieldName),
            !node.has("valueContainsNull") || node.get("valueContainsNull").asBoolean());
      default:
        throw new InvalidSchemaException("field '" + fieldName + "' has unknown type " + node);
    }
  }

  private static JsonNode required(JsonNode node, String key, String fieldName) {
    JsonNode v = node.get(key);
    if (v == null) {
      throw new InvalidSchemaException("field '" + fieldName + "': type is missing '" + key + "'");
    }
    return v;
  }
}
