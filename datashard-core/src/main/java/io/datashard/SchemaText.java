package io.datashard;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Parser for the schema text form; see {@link Schema#parse(String)}. */
final class SchemaText {
  private final String text;
  private int pos;

  private SchemaText(String text) {
    this.text = text;
  }

  static List<Field> parse(String text) {
    if (text == null || text.isBlank()) {
      throw new InvalidSchemaException("empty schema");
    }
    SchemaText p = new SchemaText(text);
    List<Field> fields = p.fieldList(false);
    p.skipSpace();
    if (p.pos < text.length()) {
      throw p.error("unexpected '" + text.charAt(p.pos) + "'");
    }
    return fields;
  }

  static String quoteIfNeeded(String name) {
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (!(Character.isLetterOrDigit(c) || c == '_')) {
        return "`" + name.replace("`", "``") + "`";
      }
    }
    return name;
  }

  private List<Field> fieldList(boolean inStruct) {
    List<Field> fields = new ArrayList<>();
    List<String> lowerNames = new ArrayList<>();
    while (true) {
      skipSpace();
      if (inStruct && peek() == '>') {
        return fields;
      }
      int nameStart = pos;
      String name = name();
      skipSpace();
      if (peek() == ':') {
        pos++;
      }
      DataType type = type();
      boolean nullable = !notNull();
      String lower = name.toLowerCase(Locale.ROOT);
      if (lowerNames.contains(lower)) {
        throw new InvalidSchemaException("duplicate column name '" + name + "'", nameStart);
      }
      lowerNames.add(lower);
      fields.add(new Field(name, type, nullable));
      skipSpace();
      if (peek() == ',') {
        pos++;
        continue;
      }
      return fields;
    }
  }

  private DataType type() {
    skipSpace();
    int start = pos;
    String word = word();
    if (word.isEmpty()) {
      throw error(pos < text.length() ? "expected a type, found '" + text.charAt(pos) + "'" : "expected a type");
    }
    String lower = word.toLowerCase(Locale.ROOT);
    switch (lower) {
      case "decimal":
      case "numeric": {
        skipSpace();
        if (peek() != '(') {
          return new DecimalType(10, 0);
        }
        pos++;
        int precision = integer();
        int scale = 0;
        skipSpace();
        if (peek() == ',') {
          pos++;
          scale = integer();
        }
        expect(')');
        try {
          return new DecimalType(precision, scale);
        } catch (IllegalArgumentException e) {
          throw new InvalidSchemaException(e.getMessage(), start);
        }
      }
      case "array": {
        expect('<');
        DataType element = type();
        boolean containsNull = !notNull();
        expect('>');
        return new ArrayType(element, containsNull);
      }
      case "map": {
        expect('<');
        DataType key = type();
        expect(',');
        DataType value = type();
        boolean valueContainsNull = !notNull();
        expect('>');
        return new MapType(key, value, valueContainsNull);
      }
      case "struct": {
        expect('<');
        List<Field> fields = fieldList(true);
        expect('>');
        if (fields.isEmpty()) {
          throw new InvalidSchemaException("a struct needs at least one field", start);
        }
        return new StructType(fields);
      }
      default:
        return PrimitiveType.byName(lower)
            .orElseThrow(() -> new InvalidSchemaException("unknown type '" + word + "'", start));
    }
  }

  private boolean notNull() {
    skipSpace();
    int save = pos;
    if (word().equalsIgnoreCase("not")) {
      skipSpace();
      int nullPos = pos;
      if (word().equalsIgnoreCase("null")) {
        return true;
      }
      throw new InvalidSchemaException("expected 'null' after 'not'", nullPos);
    }
    pos = save;
    return false;
  }

  private String name() {
    skipSpace();
    if (peek() == '`') {
      int start = pos++;
      StringBuilder sb = new StringBuilder();
      while (pos < text.length()) {
        char c = text.charAt(pos++);
        if (c == '`') {
          if (peek() == '`') {
            sb.append('`');
            pos++;
          } else {
            if (sb.length() == 0) {
              throw new InvalidSchemaException("empty column name", start);
            }
            return sb.toString();
          }
        } else {
          sb.append(c);
        }
      }
      throw new InvalidSchemaException("unterminated quoted name", start);
    }
    String w = word();
    if (w.isEmpty()) {
      throw error(pos < text.length() ? "expected a column name, found '" + text.charAt(pos) + "'" : "expected a column name");
    }
    return w;
  }

  private String word() {
    int start = pos;
    while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_')) {
      pos++;
    }
    return text.substring(start, pos);
  }

  private int integer() {
    skipSpace();
    int start = pos;
    while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
      pos++;
    }
    if (start == pos || pos - start > 3) {
      throw new InvalidSchemaException("expected a small number", start);
    }
    return Integer.parseInt(text.substring(start, pos));
  }

  private void expect(char c) {
    skipSpace();
    if (peek() != c) {
      throw error("expected '" + c + "'" + (pos < text.length() ? ", found '" + text.charAt(pos) + "'" : ""));
    }
    pos++;
  }

  private char peek() {
    return pos < text.length() ? text.charAt(pos) : '\0';
  }

  private void skipSpace() {
    while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
      pos++;
    }
  }

  private InvalidSchemaException error(String message) {
    return new InvalidSchemaException(message, pos);
  }
}
