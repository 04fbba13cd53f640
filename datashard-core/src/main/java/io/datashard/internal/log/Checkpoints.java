package io.datashard.internal.log;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.datashard.CloseableIterator;
import io.datashard.Compression;
import io.datashard.CorruptTableException;
import io.datashard.Row;
import io.datashard.Schema;
import io.datashard.StructType;
import io.datashard.internal.log.Action.AddFile;
import io.datashard.internal.log.Action.Metadata;
import io.datashard.internal.log.Action.Protocol;
import io.datashard.internal.log.Action.RemoveFile;
import io.datashard.internal.log.TableState.CheckpointContent;
import io.datashard.internal.parquet.ColumnMapping;
import io.datashard.internal.parquet.DataFileReader;
import io.datashard.internal.parquet.DataFileWriter;
import io.datashard.internal.parquet.ReadMetrics;
import io.datashard.internal.parquet.RowGroupFilter;
import io.datashard.storage.FileInfo;
import io.datashard.storage.NewFile;
import io.datashard.storage.Storage;
import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * Classic Delta checkpoints: {@code N.checkpoint.parquet} in the protocol's checkpoint schema (one
 * action per row), plus the {@code _last_checkpoint} pointer. Multi-part checkpoints are read too.
 */
public final class Checkpoints {
  private static final String DV = "struct<storageType string, pathOrInlineDv string, offset integer,"
      + " sizeInBytes integer, cardinality long>";
  /** The checkpoint schema (the subset of fields DataShard writes and reads). */
  static final StructType SCHEMA = Schema.parse(
      "txn struct<appId string, version long, lastUpdated long>,"
          + " add struct<path string, partitionValues map<string,string>, size long, modificationTime long,"
          + " dataChange boolean, tags map<string,string>, stats string>,"
          + " remove struct<path string, deletionTimestamp long, dataChange boolean, extendedFileMetadata boolean,"
          + " partitionValues map<string,string>, size long, tags map<string,string>>,"
          + " metaData struct<id string, name string, description string,"
          + " format struct<provider string, options map<string,string>>, schemaString string,"
          + " partitionColumns array<string>, configuration map<string,string>, createdTime long>,"
          + " protocol struct<minReaderVersion integer, minWriterVersion integer, readerFeatures array<string>,"
          + " writerFeatures array<string>>").asStruct();
  /**
   * What is read from checkpoints (ours and other writers'): the written schema plus deletion
   * vectors and the v2 checkpoint actions ({@code sidecar}, {@code checkpointMetadata}).
   */
  static final StructType READ_SCHEMA = Schema.parse(
      "txn struct<appId string, version long, lastUpdated long>,"
          + " add struct<path string, partitionValues map<string,string>, size long, modificationTime long,"
          + " dataChange boolean, tags map<string,string>, stats string, deletionVector " + DV + ">,"
          + " remove struct<path string, deletionTimestamp long, dataChange boolean, extendedFileMetadata boolean,"
          + " partitionValues map<string,string>, size long, tags map<string,string>, deletionVector " + DV + ">,"
          + " metaData struct<id string, name string, description string,"
          + " format struct<provider string, options map<string,string>>, schemaString string,"
          + " partitionColumns array<string>, configuration map<string,string>, createdTime long>,"
          + " protocol struct<minReaderVersion integer, minWriterVersion integer, readerFeatures array<string>,"
          + " writerFeatures array<string>>,"
          + " sidecar struct<path string, sizeInBytes long, modificationTime long>,"
          + " checkpointMetadata struct<version long>").asStruct();
  /** Small enough that a checkpoint's tombstones fill row groups of their own. */
  private static final long CHECKPOINT_ROW_GROUP_SIZE = 1 << 20;

  /**
   * The row groups holding live state (files, metadata, protocol, transactions, v2 pointers): those
   * where one of these columns has a value. Tombstone-only row groups are skipped by their statistics.
   */
  private static final RowGroupFilter LIVE_STATE = RowGroupFilter.anyNonNull(List.of("add.path", "metaData.id",
      "protocol.minReaderVersion", "txn.appId", "sidecar.path", "checkpointMetadata.version"));

  /** {@link #READ_SCHEMA} without {@code remove}: the tombstones are left unread (and undecoded). */
  private static final StructType READ_SCHEMA_WITHOUT_TOMBSTONES = new StructType(
      READ_SCHEMA.fields().stream().filter(f -> !f.name().equals("remove")).toList());
  private static final long DEFAULT_TOMBSTONE_RETENTION_MS = Duration.ofDays(7).toMillis();

  private Checkpoints() {}

  /** The single-file checkpoint of a version. */
  static String path(long version) {
    return LogFiles.LOG_DIR + "/" + LogFiles.padded(version) + ".checkpoint.parquet";
  }

  /**
   * Writes a classic checkpoint of a state and points {@code _last_checkpoint} at it (unless it
   * already points at a newer one). Another writer having written the same checkpoint is fine.
   *
   * @throws io.datashard.UnsupportedTableFeatureException if the table has a writer feature DataShard
   *     cannot write (a classic checkpoint would lose or misstate it)
   */
  public static void write(Storage storage, TableState state) throws IOException {
    ProtocolSupport.checkWritable(state, storage.location()); // e.g. v2 checkpoints or deletion vectors
    CheckpointContent content = state.checkpointContent();
    long now = System.currentTimeMillis();
    long retention = duration(state.metadata().configuration().get("delta.deletedFileRetentionDuration"),
        DEFAULT_TOMBSTONE_RETENTION_MS);
    List<Object[]> rows = new ArrayList<>();
    rows.add(row(4, new Object[] {content.protocol().minReaderVersion(), content.protocol().minWriterVersion(),
        content.protocol().readerFeatures().orElse(null), content.protocol().writerFeatures().orElse(null)}));
    Metadata m = content.metadata();
    rows.add(row(3, new Object[] {m.id(), m.name().orElse(null), m.description().orElse(null),
        new Object[] {"parquet", new LinkedHashMap<>()}, m.schemaString(), m.partitionColumns(),
        new LinkedHashMap<>(m.configuration()), m.createdTime().orElse(null)}));
    for (Map.Entry<String, Long> app : content.appVersions().entrySet()) {
      rows.add(row(0, new Object[] {app.getKey(), app.getValue(), null}));
    }
    for (AddFile a : content.files().values()) {
      rows.add(row(1, new Object[] {a.path(), new LinkedHashMap<>(a.partitionValues()), a.size(), a.modificationTime(),
          false, null, a.stats().orElse(null)}));
    }
    for (RemoveFile r : content.tombstones().values()) {
      if (r.deletionTimestamp() > now - retention) {
        rows.add(row(2, new Object[] {r.path(), r.deletionTimestamp(), false, true,
            new LinkedHashMap<>(r.partitionValues()), r.size().orElse(null), null}));
      }
    }
    String path = path(state.version());
    long size;
    try (NewFile out = storage.create(path)) {
      // Tombstones come last; in row groups of their own, a reader of the live state skips them.
      DataFileWriter.write(out, SCHEMA, rows, Compression.SNAPPY, CHECKPOINT_ROW_GROUP_SIZE);
      size = out.publish();
      out.awaitDurable();
    } catch (FileAlreadyExistsException e) {
      return; // another writer checkpointed this version
    }
    OptionalLong current = readLastCheckpoint(storage);
    if (current.isEmpty() || current.getAsLong() < state.version()) {
      ObjectNode last = LogCodec.MAPPER.createObjectNode();
      last.put("version", state.version());
      last.put("size", rows.size());
      last.put("sizeInBytes", size);
      last.put("numOfAddFiles", content.files().size());
      storage.replace(LogFiles.LAST_CHECKPOINT, last.toString().getBytes(StandardCharsets.UTF_8));
    }
  }

  private static Object[] row(int column, Object[] value) {
    Object[] row = new Object[SCHEMA.size()];
    row[column] = value;
    return row;
  }

  /** The version {@code _last_checkpoint} names, if it exists and parses. */
  static OptionalLong readLastCheckpoint(Storage storage) throws IOException {
    byte[] content;
    try {
      content = storage.readAll(LogFiles.LAST_CHECKPOINT);
    } catch (java.nio.file.NoSuchFileException e) {
      return OptionalLong.empty();
    }
    try {
      JsonNode node = LogCodec.MAPPER.readTree(content);
      JsonNode v = node == null ? null : node.get("version");
      return v != null && v.canConvertToExactIntegral() && v.asLong() >= 0 ? OptionalLong.of(v.asLong()) : OptionalLong.empty();
    } catch (IOException e) {
      return OptionalLong.empty(); // a corrupt pointer is only a hint
    }
  }

  /** A complete checkpoint found in the log: its version and part files (one for single-file and v2 checkpoints). */
  record Found(long version, List<String> parts) {}

  /** Where v2 checkpoints keep their sidecar files. */
  static final String SIDECAR_DIR = LogFiles.LOG_DIR + "/_sidecars";
  private static final java.util.regex.Pattern UUID_NAMED =
      java.util.regex.Pattern.compile("\\.[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  /**
   * The complete checkpoints in the log, newest first: single-file, multi-part with all parts, and
   * UUID-named v2 ({@code N.checkpoint.<uuid>.json} or {@code .parquet}).
   */
  static List<Found> list(Storage storage) throws IOException {
    Map<Long, Map<Integer, Map<Integer, String>>> multi = new HashMap<>();
    TreeMap<Long, Found> found = new TreeMap<>();
    for (FileInfo f : storage.listFrom(LogFiles.LOG_DIR, "")) {
      String name = f.name();
      OptionalLong v = LogFiles.checkpointVersion(name);
      if (v.isEmpty()) {
        continue;
      }
      String extension = name.endsWith(".parquet") ? ".parquet" : name.endsWith(".json") ? ".json" : null;
      if (extension == null) {
        continue;
      }
      String rest = name.substring(21 + "checkpoint".length(), name.length() - extension.length());
      if (rest.isEmpty() && extension.equals(".parquet")) {
        found.put(v.getAsLong(), new Found(v.getAsLong(), List.of(f.path())));
      } else if (UUID_NAMED.matcher(rest).matches()) {
        found.putIfAbsent(v.getAsLong(), new Found(v.getAsLong(), List.of(f.path())));
      } else if (rest.matches("\\.\\d{10}\\.\\d{10}") && extension.equals(".parquet")) {
        int part = Integer.parseInt(rest.substring(1, 11));
        int parts = Integer.parseInt(rest.substring(12));
        multi.computeIfAbsent(v.getAsLong(), k -> new HashMap<>()).computeIfAbsent(parts, k -> new TreeMap<>())
            .put(part, f.path());
      }
    }
    multi.forEach((version, byCount) -> byCount.forEach((count, parts) -> {
      if (parts.size() == count && !found.containsKey(version)) {
        found.put(version, new Found(version, List.copyOf(parts.values())));
      }
    }));
    return new ArrayList<>(found.descendingMap().values());
  }

  /**
   * The checkpoint {@code _last_checkpoint} names, if it names a v2 checkpoint file ({@code
   * v2Checkpoint.path}) that is a plain file name in the log directory.
   */
  static java.util.Optional<Found> lastV2Checkpoint(Storage storage) throws IOException {
    byte[] content;
    try {
      content = storage.readAll(LogFiles.LAST_CHECKPOINT);
    } catch (java.nio.file.NoSuchFileException e) {
      return java.util.Optional.empty();
    }
    try {
      JsonNode node = LogCodec.MAPPER.readTree(content);
      JsonNode path = node == null ? null : node.path("v2Checkpoint").get("path");
      JsonNode v = node == null ? null : node.get("version");
      if (path == null || !path.isTextual() || v == null || !v.canConvertToExactIntegral()) {
        return java.util.Optional.empty();
      }
      String name = path.asText();
      OptionalLong named = LogFiles.checkpointVersion(name);
      if (name.contains("/") || named.isEmpty() || named.getAsLong() != v.asLong()) {
        return java.util.Optional.empty(); // only a hint: the listing finds the checkpoint otherwise
      }
      return java.util.Optional.of(new Found(v.asLong(), List.of(LogFiles.LOG_DIR + "/" + name)));
    } catch (IOException e) {
      return java.util.Optional.empty(); // a corrupt pointer is only a hint
    }
  }

  /** The reconciled actions of a checkpoint while it is read. */
  private static final class Content {
    Protocol protocol;
    Metadata metadata;
    final Map<String, Long> apps = new HashMap<>();
    final Map<String, AddFile> files = new LinkedHashMap<>();
    final Map<String, RemoveFile> tombstones = new HashMap<>();
    final List<String> sidecars = new ArrayList<>();
  }

  /**
   * Reads a checkpoint's content: its parts, and for v2 checkpoints its sidecar files.
   *
   * @throws CorruptTableException if a part cannot be read or holds invalid actions
   */
  static CheckpointContent read(Storage storage, Found checkpoint, String table) throws IOException {
    return read(storage, checkpoint, table, true);
  }

  /**
   * As {@link #read(Storage, Found, String)}; without tombstones its {@code tombstones} are empty and
   * the {@code remove} column of Parquet checkpoints is not read at all.
   */
  static CheckpointContent read(Storage storage, Found checkpoint, String table, boolean withTombstones)
      throws IOException {
    Content content = new Content();
    for (String part : checkpoint.parts()) {
      if (part.endsWith(".json")) {
        readJson(storage, part, checkpoint.version(), table, content, withTombstones);
      } else {
        readParquet(storage, part, table, content, withTombstones);
      }
    }
    for (String sidecar : content.sidecars) {
      readParquet(storage, sidecar, table, content, withTombstones);
    }
    if (content.protocol == null || content.metadata == null) {
      throw new CorruptTableException("table " + table + ", checkpoint of version " + checkpoint.version() + " has no "
          + (content.protocol == null ? "protocol" : "metaData") + " action");
    }
    return new CheckpointContent(content.protocol, content.metadata, content.apps, content.files, content.tombstones);
  }

  /** A v2 checkpoint in JSON: one action per line, like a commit. */
  private static void readJson(Storage storage, String part, long version, String table, Content content,
      boolean withTombstones) throws IOException {
    for (Action a : LogCodec.parse(storage.readAll(part), table, version, part)) {
      if (a instanceof Protocol p) {
        content.protocol = p;
      } else if (a instanceof Metadata m) {
        content.metadata = m;
      } else if (a instanceof Action.SetTransaction t) {
        content.apps.put(t.appId(), t.version());
      } else if (a instanceof AddFile add) {
        content.files.put(add.key(), add);
      } else if (a instanceof RemoveFile rm && withTombstones) {
        content.tombstones.put(rm.key(), rm);
      } else if (a instanceof Action.Sidecar sc) {
        content.sidecars.add(sidecarPath(sc.path(), "table " + table + ", checkpoint " + part));
      }
    }
  }

  private static void readParquet(Storage storage, String part, String table, Content content, boolean withTombstones)
      throws IOException {
    String where = "table " + table + ", checkpoint " + part;
    StructType schema = withTombstones ? READ_SCHEMA : READ_SCHEMA_WITHOUT_TOMBSTONES;
    int txnAt = schema.indexOf("txn");
    int addAt = schema.indexOf("add");
    int removeAt = schema.indexOf("remove");
    int metaDataAt = schema.indexOf("metaData");
    int protocolAt = schema.indexOf("protocol");
    int sidecarAt = schema.indexOf("sidecar");
    SeekableByteChannel ch = storage.openRead(part);
    try (CloseableIterator<Object[]> rows = DataFileReader.read(ch, ch.size(), schema, "checkpoint " + part
        + " of table " + table, ColumnMapping.NONE, row -> false,
        withTombstones ? Optional.empty() : Optional.of(LIVE_STATE), new ReadMetrics())) {
      while (rows.hasNext()) {
        Object[] r = rows.next();
        if (r[txnAt] instanceof Row t) {
          content.apps.put(string(t, "appId", where), number(t, "version", where));
        } else if (r[addAt] instanceof Row a) {
          AddFile add = new AddFile(string(a, "path", where), stringMap(a.get("partitionValues")),
              number(a, "size", where), number(a, "modificationTime", where), true,
              Optional.ofNullable((String) a.get("stats")), deletionVector(a, where));
          content.files.put(add.key(), add);
        } else if (removeAt >= 0 && r[removeAt] instanceof Row rm) {
          Object size = rm.get("size");
          RemoveFile remove = new RemoveFile(string(rm, "path", where),
              rm.get("deletionTimestamp") == null ? 0 : (Long) rm.get("deletionTimestamp"), false,
              stringMap(rm.get("partitionValues")), Optional.ofNullable((Long) size), deletionVector(rm, where));
          content.tombstones.put(remove.key(), remove);
        } else if (r[metaDataAt] instanceof Row md) {
          Row format = (Row) md.get("format");
          if (format != null && format.get("provider") != null && !"parquet".equals(format.get("provider"))) {
            throw new CorruptTableException(where + ": metaData.format.provider is " + format.get("provider"));
          }
          @SuppressWarnings("unchecked")
          List<String> partitionColumns = md.get("partitionColumns") == null ? List.of() : (List<String>) md.get("partitionColumns");
          content.metadata = new Metadata(string(md, "id", where), Optional.ofNullable((String) md.get("name")),
              Optional.ofNullable((String) md.get("description")), string(md, "schemaString", where), partitionColumns,
              stringMap(md.get("configuration")), Optional.ofNullable((Long) md.get("createdTime")));
        } else if (r[protocolAt] instanceof Row p) {
          content.protocol = new Protocol(intNumber(p, "minReaderVersion", where), intNumber(p, "minWriterVersion", where),
              optionalList(p.get("readerFeatures")), optionalList(p.get("writerFeatures")));
        } else if (r[sidecarAt] instanceof Row sc) {
          content.sidecars.add(sidecarPath(string(sc, "path", where), where));
        }
      }
    }
  }

  private static Optional<Action.DeletionVector> deletionVector(Row file, String where) {
    if (!(file.get("deletionVector") instanceof Row dv)) {
      return Optional.empty();
    }
    Object size = dv.get("sizeInBytes");
    if (!(size instanceof Integer s) || s < 0) {
      throw new CorruptTableException(where + ": deletionVector.sizeInBytes is missing or negative");
    }
    long cardinality = number(dv, "cardinality", where);
    if (cardinality < 0) {
      throw new CorruptTableException(where + ": deletionVector.cardinality is negative");
    }
    return Optional.of(new Action.DeletionVector(string(dv, "storageType", where), string(dv, "pathOrInlineDv", where),
        Optional.ofNullable((Integer) dv.get("offset")), s, cardinality));
  }

  /**
   * The log-relative path of a sidecar: sidecars always live in {@code _delta_log/_sidecars/}, so
   * only a file name (or a URI ending in that directory and a file name) is accepted.
   */
  static String sidecarPath(String path, String where) {
    String decoded;
    try {
      decoded = new java.net.URI(path).getPath();
    } catch (java.net.URISyntaxException e) {
      throw new CorruptTableException(where + ": sidecar path '" + path + "' is not a valid URI");
    }
    if (decoded == null) {
      throw new CorruptTableException(where + ": sidecar path '" + path + "' has no path");
    }
    int slash = decoded.lastIndexOf('/');
    String name = decoded.substring(slash + 1);
    if ((slash >= 0 && !decoded.substring(0, slash).endsWith(SIDECAR_DIR)) || name.isEmpty() || name.equals("..")
        || name.equals(".")) {
      throw new CorruptTableException(where + ": sidecar path '" + path + "' is not a file in " + SIDECAR_DIR);
    }
    return SIDECAR_DIR + "/" + name;
  }

  private static String string(Row r, String field, String where) {
    Object v = r.get(field);
    if (!(v instanceof String s)) {
      throw new CorruptTableException(where + ": " + field + " is missing");
    }
    return s;
  }

  private static long number(Row r, String field, String where) {
    Object v = r.get(field);
    if (!(v instanceof Long l)) {
      throw new CorruptTableException(where + ": " + field + " is missing");
    }
    return l;
  }

  private static int intNumber(Row r, String field, String where) {
    Object v = r.get(field);
    if (!(v instanceof Integer i)) {
      throw new CorruptTableException(where + ": " + field + " is missing");
    }
    return i;
  }

  private static Map<String, String> stringMap(Object v) {
    Map<String, String> out = new LinkedHashMap<>();
    if (v instanceof Map<?, ?> m) {
      m.forEach((k, val) -> out.put(String.valueOf(k), val == null ? null : String.valueOf(val)));
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static Optional<List<String>> optionalList(Object v) {
    return v == null ? Optional.empty() : Optional.of((List<String>) v);
  }

  /** Parses a Delta interval such as {@code interval 7 days} or {@code 168 hours}; the default if absent or invalid. */
  public static long duration(String text, long defaultMillis) {
    if (text == null) {
      return defaultMillis;
    }
    String[] parts = text.trim().toLowerCase(java.util.Locale.ROOT).replaceFirst("^interval\\s+", "").split("\\s+");
    if (parts.length != 2) {
      return defaultMillis;
    }
    long n;
    try {
      n = Long.parseLong(parts[0]);
    } catch (NumberFormatException e) {
      return defaultMillis;
    }
    String unit = parts[1].endsWith("s") ? parts[1].substring(0, parts[1].length() - 1) : parts[1];
    switch (unit) {
      case "millisecond": return n;
      case "second": return n * 1000;
      case "minute": return n * 60_000;
      case "hour": return n * 3_600_000;
      case "day": return n * 86_400_000;
      case "week": return n * 7 * 86_400_000;
      default: return defaultMillis;
    }
  }
}
