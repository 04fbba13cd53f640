package io.datashard.internal.log;

import io.datashard.Field;
import io.datashard.UnsupportedTableFeatureException;
import io.datashard.internal.log.Action.Protocol;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Which Delta protocol versions and table features DataShard reads and writes. */
public final class ProtocolSupport {
  /** Reader features whose absence of support would change the rows returned; everything else is refused. */
  private static final Set<String> READER_FEATURES = Set.of("timestampNtz", "typeWidening");
  private static final Set<String> WRITER_FEATURES = Set.of("appendOnly", "invariants", "timestampNtz", "typeWidening");

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
    } else if (p.minReaderVersion() == 2) {
      String mode = state.metadata().configuration().getOrDefault("delta.columnMapping.mode", "none");
      if (!mode.equals("none")) {
        unsupported.add("column mapping (mode " + mode + ")");
      }
    }
    if (!unsupported.isEmpty()) {
      throw new UnsupportedTableFeatureException("table " + table + " at version " + state.version() + " needs "
          + String.join(", ", unsupported) + ", which this version of DataShard cannot read");
    }
  }

  /** @throws UnsupportedTableFeatureException naming what cannot be written correctly */
  public static void checkWritable(TableState state, String table) {
    Protocol p = state.protocol();
    List<String> unsupported = new ArrayList<>();
    if (p.minWriterVersion() == 7) {
      for (String f : p.writerFeatures().orElse(List.of())) {
        if (!WRITER_FEATURES.contains(f)) {
          unsupported.add("writer feature '" + f + "'");
        }
      }
    } else if (p.minWriterVersion() > 2) {
      unsupported.add("writer version " + p.minWriterVersion());
    }
    for (Field f : state.schema().fields()) {
      if (f.metadata().containsKey("delta.invariants")) {
        unsupported.add("column invariants (on '" + f.name() + "')");
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
