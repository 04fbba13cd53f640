package io.datashard.internal.log;

import io.datashard.Field;
import io.datashard.UnsupportedTableFeatureException;
import io.datashard.internal.log.Action.Protocol;
import io.datashard.internal.parquet.ColumnMapping;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which Delta protocol versions and table features DataShard reads and writes. Reading supports
 * every reader feature whose absence would change the rows returned; writing is allowed only where
 * the writer honours every feature the table has active, checked before anything is written.
 */
public final class ProtocolSupport {
  /** Reader features DataShard implements; any other is refused rather than read wrongly. */
  private static final Set<String> READER_FEATURES = Set.of("columnMapping", "deletionVectors", "timestampNtz",
      "typeWidening", "typeWidening-preview", "v2Checkpoint", "vacuumProtocolCheck");
  /**
   * Writer features DataShard's writer honours: {@code appendOnly} (deletes and updates are refused
   * when {@code delta.appendOnly} is true), {@code vacuumProtocolCheck} (DataShard does not vacuum),
   * and features that only constrain data DataShard refuses to write while they are in use
   * ({@code invariants}, {@code checkConstraints}, {@code generatedColumns}, {@code identityColumns},
   * {@code changeDataFeed}; see {@link #checkWritable}). Everything else (deletion vectors, column
   * mapping, v2 checkpoints, domain metadata, row tracking ...) needs writer support DataShard lacks.
   */
  private static final Set<String> WRITER_FEATURES = Set.of("appendOnly", "invariants", "timestampNtz",
      "typeWidening", "vacuumProtocolCheck", "checkConstraints", "generatedColumns", "identityColumns",
      "changeDataFeed");

  private ProtocolSupport() {}

  /** @throws UnsupportedTableFeatureException naming what cannot be read */
  public static void checkReadable(TableState state, String table) {
    Protocol p = state.protocol();
    List<String> unsupported = new ArrayList<>();
    if (p.minReaderVersion() > 3) {
      unsupported.add("reader version " + p.minReaderVersion());
    } else if (p.minReaderVersion() == 3) {
      for (String f : p.readerFeatures().orElse(List.of())) {
        if (!READER_FEATURES.contains(f)) {
          unsupported.add("reader feature '" + f + "'");
        }
      }
    }
    if (!unsupported.isEmpty()) {
      throw new UnsupportedTableFeatureException("table " + table + " at version " + state.version() + " needs "
          + String.join(", ", unsupported) + ", which this version of DataShard cannot read");
    }
    if (p.minReaderVersion() >= 2) {
      ColumnMapping.of(state.metadata().configuration(), table); // refuses an unknown mode
    }
  }

  /** @throws UnsupportedTableFeatureException naming what cannot be written correctly */
  public static void checkWritable(TableState state, String table) {
    Protocol p = state.protocol();
    Map<String, String> config = state.metadata().configuration();
    List<String> unsupported = new ArrayList<>();
    if (p.minWriterVersion() == 7) {
      for (String f : p.writerFeatures().orElse(List.of())) {
        if (!WRITER_FEATURES.contains(f)) {
          unsupported.add("writer feature '" + f + "'");
        }
      }
    } else if (p.minWriterVersion() > 7) {
      unsupported.add("writer version " + p.minWriterVersion());
    }
    // Writer versions 3 to 6 imply legacy features; like table features, they only matter while in use.
    if (!config.getOrDefault(ColumnMapping.MODE_PROPERTY, "none").equals("none")) {
      unsupported.add("column mapping (mode " + config.get(ColumnMapping.MODE_PROPERTY) + ")");
    }
    if ("true".equalsIgnoreCase(config.get("delta.enableChangeDataFeed"))) {
      unsupported.add("change data feed (delta.enableChangeDataFeed)");
    }
    for (String key : config.keySet()) {
      if (key.startsWith("delta.constraints.")) {
        unsupported.add("CHECK constraint '" + key.substring("delta.constraints.".length()) + "'");
      }
    }
    for (Field f : state.schema().fields()) {
      if (f.metadata().containsKey("delta.invariants")) {
        unsupported.add("column invariants (on '" + f.name() + "')");
      }
      if (f.metadata().containsKey("delta.generationExpression")) {
        unsupported.add("generated column '" + f.name() + "'");
      }
      if (f.metadata().keySet().stream().anyMatch(k -> k.startsWith("delta.identity."))) {
        unsupported.add("identity column '" + f.name() + "'");
      }
    }
    if (!unsupported.isEmpty()) {
      throw new UnsupportedTableFeatureException("table " + table + " at version " + state.version() + " needs "
          + String.join(", ", unsupported) + ", which this version of DataShard cannot write");
    }
  }

  /** The protocol DataShard writes for a new table: 1/2, or table features when a type needs one. */
  public static Protocol forNewTable(boolean usesTimestampNtz) {
    if (usesTimestampNtz) {
      return new Protocol(3, 7, java.util.Optional.of(List.of("timestampNtz")), java.util.Optional.of(List.of("timestampNtz")));
    }
    return new Protocol(1, 2, java.util.Optional.empty(), java.util.Optional.empty());
  }
}
