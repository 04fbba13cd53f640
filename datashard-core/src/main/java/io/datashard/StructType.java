package io.datashard;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A struct: an ordered list of uniquely named fields. Field names are matched case-insensitively
 * for uniqueness, as Delta requires, but looked up exactly.
 *
 * @param fields the fields, in order
 */
public record StructType(List<Field> fields) implements DataType {

  /** Validates and copies. */
  public StructType {
    fields = List.copyOf(fields);
    Set<String> seen = new HashSet<>();
    for (Field f : fields) {
      if (!seen.add(f.name().toLowerCase(Locale.ROOT))) {
        throw new IllegalArgumentException("duplicate field name: " + f.name());
      }
    }
  }

  /** The field with this exact name, if any. */
  public Optional<Field> field(String name) {
    for (Field f : fields) {
      if (f.name().equals(name)) {
        return Optional.of(f);
      }
    }
    return Optional.empty();
  }

  /** The position of the field with this exact name, or -1. */
  public int indexOf(String name) {
    for (int i = 0; i < fields.size(); i++) {
      if (fields.get(i).name().equals(name)) {
        return i;
      }
    }
    return -1;
  }

  /** The field names in order. */
  public List<String> fieldNames() {
    List<String> names = new ArrayList<>(fields.size());
    for (Field f : fields) {
      names.add(f.name());
    }
    return names;
  }

  /** The number of fields. */
  public int size() {
    return fields.size();
  }

  @Override
  public String toText() {
    return "struct<" + fields.stream().map(Field::toText).collect(Collectors.joining(", ")) + ">";
  }
}
