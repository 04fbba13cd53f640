package io.datashard.internal.table;

import io.datashard.Field;
import io.datashard.InvalidSchemaException;
import io.datashard.PrimitiveType;
import io.datashard.Schema;
import io.datashard.SchemaChange;
import io.datashard.SchemaChange.AddColumn;
import io.datashard.SchemaChange.DropColumn;
import io.datashard.SchemaChange.MakeNullable;
import io.datashard.SchemaChange.RenameColumn;
import io.datashard.SchemaChange.WidenColumn;
import io.datashard.internal.log.Action.Protocol;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Applies {@link SchemaChange}s to a schema, and the protocol change type widening needs. */
final class SchemaEvolution {
  private static final Map<PrimitiveType, Set<PrimitiveType>> WIDENINGS = Map.of(
      PrimitiveType.BYTE, Set.of(PrimitiveType.SHORT, PrimitiveType.INTEGER, PrimitiveType.LONG),
      PrimitiveType.SHORT, Set.of(PrimitiveType.INTEGER, PrimitiveType.LONG),
      PrimitiveType.INTEGER, Set.of(PrimitiveType.LONG),
      PrimitiveType.FLOAT, Set.of(PrimitiveType.DOUBLE));

  /** The evolved schema and whether a column's type was widened. */
  record Result(Schema schema, boolean widened) {}

  private SchemaEvolution() {}

  static Result apply(Schema schema, String table, SchemaChange... changes) {
    List<Field> fields = new ArrayList<>(schema.fields());
    boolean widened = false;
    for (SchemaChange change : changes) {
      if (change instanceof AddColumn add) {
        fields.add(Field.optional(add.name(), add.type()));
        try {
          new Schema(fields);
        } catch (InvalidSchemaException e) {
          throw new InvalidSchemaException("table " + table + ": cannot add column '" + add.name() + "': " + e.getMessage());
        }
      } else if (change instanceof WidenColumn w) {
        int i = index(fields, w.name(), table);
        Field f = fields.get(i);
        if (f.type() == w.to()) {
          continue;
        }
        if (!(f.type() instanceof PrimitiveType from) || !WIDENINGS.getOrDefault(from, Set.of()).contains(w.to())) {
          throw new InvalidSchemaException("table " + table + ": column '" + w.name() + "' cannot change from "
              + f.type().toText() + " to " + w.to().toText() + " (allowed: byte→short/integer/long,"
              + " short→integer/long, integer→long, float→double)");
        }
        Map<String, Object> metadata = new LinkedHashMap<>(f.metadata());
        List<Object> changesSoFar = new ArrayList<>();
        if (metadata.get("delta.typeChanges") instanceof List<?> l) {
          changesSoFar.addAll(l);
        }
        changesSoFar.add(Map.of("fromType", from.deltaName(), "toType", w.to().deltaName()));
        metadata.put("delta.typeChanges", changesSoFar);
        fields.set(i, new Field(f.name(), w.to(), f.nullable(), metadata));
        widened = true;
      } else if (change instanceof MakeNullable n) {
        int i = index(fields, n.name(), table);
        Field f = fields.get(i);
        fields.set(i, new Field(f.name(), f.type(), true, f.metadata()));
      } else if (change instanceof RenameColumn r) {
        index(fields, r.from(), table);
        throw noColumnMapping(table, "rename column '" + r.from() + "'");
      } else if (change instanceof DropColumn d) {
        index(fields, d.name(), table);
        throw noColumnMapping(table, "drop column '" + d.name() + "'");
      }
    }
    return new Result(new Schema(fields), widened);
  }

  private static InvalidSchemaException noColumnMapping(String table, String what) {
    return new InvalidSchemaException("table " + table + ": cannot " + what + ": renaming and dropping columns need"
        + " Delta column mapping, which this table does not use (data files name columns physically)");
  }

  private static int index(List<Field> fields, String name, String table) {
    for (int i = 0; i < fields.size(); i++) {
      if (fields.get(i).name().equals(name)) {
        return i;
      }
    }
    throw new InvalidSchemaException("table " + table + " has no column '" + name + "'");
  }

  /** The protocol with the {@code typeWidening} feature added (upgrading to table features if needed). */
  static Protocol withTypeWidening(Protocol p) {
    Set<String> reader = new LinkedHashSet<>(p.minReaderVersion() >= 3 ? p.readerFeatures().orElse(List.of()) : List.of());
    Set<String> writer = new LinkedHashSet<>();
    if (p.minWriterVersion() >= 7) {
      writer.addAll(p.writerFeatures().orElse(List.of()));
    } else {
      // Writer versions 2..6 imply these legacy features, which table features must list explicitly.
      writer.add("appendOnly");
      writer.add("invariants");
    }
    reader.add("typeWidening");
    writer.add("typeWidening");
    return new Protocol(3, 7, Optional.of(List.copyOf(reader)), Optional.of(List.copyOf(writer)));
  }

  static boolean hasTypeWidening(Protocol p) {
    return p.readerFeatures().orElse(List.of()).contains("typeWidening");
  }
}
