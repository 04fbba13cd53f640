package io.datashard.internal.parquet;

import io.datashard.ArrayType;
import io.datashard.CorruptTableException;
import io.datashard.DataType;
import io.datashard.Field;
import io.datashard.MapType;
import io.datashard.PrimitiveType;
import io.datashard.StructType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.parquet.io.api.Converter;
import org.apache.parquet.io.api.GroupConverter;
import org.apache.parquet.io.api.RecordMaterializer;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Type.Repetition;

/**
 * How to read one file as rows of a requested schema: the projection of the file's Parquet schema
 * to the requested columns (matched by name), and the converters assembling values. Both come
 * from one walk over the file schema, so the interpretation of legacy list and map layouts is
 * decided once, on the file's own structure.
 */
final class ReadPlan {
  private final String fileDescription;
  private final ColumnMapping mapping;
  private final StructType readSchema;
  private final MessageType requestedSchema;
  private final List<Child> rootChildren;

  /**
   * A planned value: its projected Parquet type, and how to make its converter given where the
   * converted values go.
   */
  record Node(Type type, Function<Consumer<Object>, Converter> converter) {}

  /**
   * A field of a struct (or of the row) that is read from the file.
   *
   * @param index the field's position in the Delta struct, or -1 for a column read only to tell
   *     a struct with no requested column in the file from a null struct
   * @param repeatedList the file stores the field as an unannotated repeated field, which is a
   *     list of its occurrences
   * @param node the field's plan (the element's, for a repeated field)
   */
  record Child(int index, boolean repeatedList, Node node) {}

  /**
   * Plans reading {@code fileSchema} as {@code readSchema}.
   *
   * @throws CorruptTableException naming the file and column if a column cannot be read as requested
   */
  ReadPlan(StructType readSchema, MessageType fileSchema, String fileDescription) {
    this(readSchema, fileSchema, fileDescription, ColumnMapping.NONE);
  }

  /** Plans reading {@code fileSchema} as {@code readSchema}, finding columns as {@code mapping} says. */
  ReadPlan(StructType readSchema, MessageType fileSchema, String fileDescription, ColumnMapping mapping) {
    this.fileDescription = fileDescription;
    this.mapping = mapping;
    this.readSchema = readSchema;
    this.rootChildren = children(readSchema, fileSchema, "", false);
    this.requestedSchema = new MessageType(fileSchema.getName(), types(rootChildren));
  }

  /** The file's schema reduced to what is read. */
  MessageType requestedSchema() {
    return requestedSchema;
  }

  /** A materializer producing each record as an {@code Object[]} in read schema order. */
  RecordMaterializer<Object[]> newMaterializer() {
    return new RecordMaterializer<>() {
      private Object[] current;
      private final GroupConverter root =
          new Converters.StructConverter(readSchema, rootChildren, false, v -> current = (Object[]) v);

      @Override
      public Object[] getCurrentRecord() {
        return current;
      }

      @Override
      public GroupConverter getRootConverter() {
        return root;
      }
    };
  }

  private List<Child> children(StructType type, GroupType file, String path, boolean probeIfEmpty) {
    List<Child> children = new ArrayList<>();
    for (int i = 0; i < type.size(); i++) {
      Field f = type.fields().get(i);
      Type stored = find(file, f);
      if (stored == null) {
        continue;
      }
      String column = path.isEmpty() ? f.name() : path + "." + f.name();
      if (stored.isRepetition(Repetition.REPEATED)) {
        // A bare repeated field is a required list of required elements (Parquet compatibility rules).
        if (!(f.type() instanceof ArrayType array)) {
          throw incompatible(column, stored, f.type());
        }
        children.add(new Child(i, true, node(array.elementType(), stored, column + ".element")));
      } else {
        children.add(new Child(i, false, node(f.type(), stored, column)));
      }
    }
    if (children.isEmpty() && probeIfEmpty) {
      children.add(new Child(-1, false, probe(file.getType(0))));
    }
    return children;
  }

  /**
   * The file field of a table field: by field id in column mapping mode {@code id} when the file
   * has ids; otherwise by its (physical) name, failing an exact match the one field equal ignoring
   * case (Delta names are unique ignoring case, and some writers change the case).
   */
  private Type find(GroupType file, Field field) {
    return find(file, field, mapping);
  }

  /** As {@link #find(GroupType, Field)}, for a given column mapping mode. */
  static Type find(GroupType file, Field field, ColumnMapping mapping) {
    java.util.OptionalInt id = mapping.fieldId(field);
    if (id.isPresent()) {
      boolean fileHasIds = false;
      for (Type t : file.getFields()) {
        if (t.getId() != null) {
          fileHasIds = true;
          if (t.getId().intValue() == id.getAsInt()) {
            return t;
          }
        }
      }
      if (fileHasIds) {
        return null;
      }
    }
    String name = mapping.physicalName(field);
    if (file.containsField(name)) {
      return file.getType(name);
    }
    Type found = null;
    for (Type t : file.getFields()) {
      if (t.getName().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
        if (found != null) {
          return null;
        }
        found = t;
      }
    }
    return found;
  }

  private Node node(DataType type, Type stored, String column) {
    if (type instanceof StructType struct) {
      if (stored.isPrimitive() || isList(stored) || isMap(stored)) {
        throw incompatible(column, stored, type);
      }
      GroupType group = stored.asGroupType();
      List<Child> children = children(struct, group, column, true);
      return new Node(group.withNewFields(types(children)),
          sink -> new Converters.StructConverter(struct, children, true, sink));
    }
    if (type instanceof ArrayType array) {
      if (!isList(stored)) {
        throw incompatible(column, stored, type);
      }
      return list(array, stored.asGroupType(), column);
    }
    if (type instanceof MapType map) {
      if (!isMap(stored)) {
        throw incompatible(column, stored, type);
      }
      return map(map, stored.asGroupType(), column);
    }
    if (!stored.isPrimitive()) {
      throw incompatible(column, stored, type);
    }
    ValueDecoders.Decoder decoder = ValueDecoders.decoder(type, stored.asPrimitiveType(), column, fileDescription);
    // byte[] values are mutable, so each one must be a fresh copy rather than a shared dictionary entry.
    boolean shareDictionaryValues = type != PrimitiveType.BINARY;
    return new Node(stored, sink -> new Converters.ValueConverter(
        decoder, stored.asPrimitiveType().getPrimitiveTypeName(), shareDictionaryValues, sink));
  }

  /** A LIST group: the standard 3 levels, or one of the legacy 2-level layouts. */
  private Node list(ArrayType type, GroupType group, String column) {
    if (group.getFieldCount() != 1 || !group.getType(0).isRepetition(Repetition.REPEATED)) {
      throw malformed(column, group, "a LIST group must hold exactly one repeated field");
    }
    Type repeated = group.getType(0);
    String elementColumn = column + ".element";
    if (repeatedIsElement(repeated, group.getName(), column)) {
      Node element = node(type.elementType(), repeated, elementColumn);
      return new Node(group.withNewFields(element.type()),
          sink -> new Converters.ListConverter(element, false, sink));
    }
    GroupType middle = repeated.asGroupType();
    Node element = node(type.elementType(), middle.getType(0), elementColumn);
    return new Node(group.withNewFields(middle.withNewFields(element.type())),
        sink -> new Converters.ListConverter(element, true, sink));
  }

  /** The backward-compatibility rules of the Parquet LIST specification, 1 to 4. */
  private boolean repeatedIsElement(Type repeated, String listName, String column) {
    if (repeated.isPrimitive()) {
      return true;
    }
    GroupType group = repeated.asGroupType();
    if (group.getFieldCount() == 0) {
      throw malformed(column, group, "a repeated group has no fields");
    }
    return group.getFieldCount() > 1
        || group.getType(0).isRepetition(Repetition.REPEATED)
        || group.getName().equals("array")
        || group.getName().equals(listName + "_tuple");
  }

  /** A MAP (or legacy MAP_KEY_VALUE) group; key and value are told by position, not name. */
  private Node map(MapType type, GroupType group, String column) {
    if (group.getFieldCount() != 1 || group.getType(0).isPrimitive()
        || !group.getType(0).isRepetition(Repetition.REPEATED)) {
      throw malformed(column, group, "a MAP group must hold exactly one repeated group");
    }
    GroupType keyValue = group.getType(0).asGroupType();
    if (keyValue.getFieldCount() > 2) {
      throw malformed(column, group, "a map entry must hold a key and at most a value");
    }
    Node key = node(type.keyType(), keyValue.getType(0), column + ".key");
    Node value = keyValue.getFieldCount() == 2 ? node(type.valueType(), keyValue.getType(1), column + ".value") : null;
    List<Type> entryTypes = value == null ? List.of(key.type()) : List.of(key.type(), value.type());
    return new Node(group.withNewFields(keyValue.withNewFields(entryTypes)),
        sink -> new Converters.MapConverter(key, value, sink));
  }

  /** The first leaf below a type, read and discarded so that its enclosing groups are seen. */
  private static Node probe(Type stored) {
    if (stored.isPrimitive()) {
      return new Node(stored, sink -> Converters.IGNORED_VALUE);
    }
    GroupType group = stored.asGroupType();
    Node child = probe(group.getType(0));
    return new Node(group.withNewFields(child.type()),
        sink -> new Converters.IgnoredGroupConverter(child.converter().apply(sink)));
  }

  private static List<Type> types(List<Child> children) {
    List<Type> types = new ArrayList<>(children.size());
    for (Child c : children) {
      types.add(c.node().type());
    }
    return types;
  }

  private static boolean isList(Type t) {
    return !t.isPrimitive() && t.getLogicalTypeAnnotation() instanceof LogicalTypeAnnotation.ListLogicalTypeAnnotation;
  }

  private static boolean isMap(Type t) {
    LogicalTypeAnnotation a = t.getLogicalTypeAnnotation();
    return !t.isPrimitive()
        && (a instanceof LogicalTypeAnnotation.MapLogicalTypeAnnotation
            || a instanceof LogicalTypeAnnotation.MapKeyValueTypeAnnotation);
  }

  private CorruptTableException incompatible(String column, Type stored, DataType type) {
    return new CorruptTableException(fileDescription + ": column '" + column + "' is stored as Parquet "
        + describe(stored) + ", which cannot be read as " + type.toText());
  }

  private CorruptTableException malformed(String column, Type stored, String problem) {
    return new CorruptTableException(fileDescription + ": column '" + column + "' has an invalid Parquet layout ("
        + problem + "): " + describe(stored));
  }

  /** A one-line description of a Parquet type (a group's full text spans lines). */
  private static String describe(Type t) {
    if (t.isPrimitive()) {
      return "'" + t + "'";
    }
    LogicalTypeAnnotation a = t.getLogicalTypeAnnotation();
    return "'" + t.getRepetition().name().toLowerCase(Locale.ROOT) + " group " + t.getName()
        + (a == null ? "" : " (" + a + ")") + "' with " + t.asGroupType().getFieldCount() + " field(s)";
  }
}
