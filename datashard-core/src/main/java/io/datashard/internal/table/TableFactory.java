package io.datashard.internal.table;

import io.datashard.DataShardException;
import io.datashard.DataType;
import io.datashard.Durability;
import io.datashard.Field;
import io.datashard.InvalidSchemaException;
import io.datashard.PrimitiveType;
import io.datashard.Schema;
import io.datashard.StorageException;
import io.datashard.StructType;
import io.datashard.Table;
import io.datashard.TableAlreadyExistsException;
import io.datashard.TableOptions;
import io.datashard.ArrayType;
import io.datashard.MapType;
import io.datashard.internal.log.Action;
import io.datashard.internal.log.Action.Metadata;
import io.datashard.internal.log.LogCodec;
import io.datashard.internal.log.LogFiles;
import io.datashard.internal.log.ProtocolSupport;
import io.datashard.internal.log.SchemaJson;
import io.datashard.internal.log.TableLog;
import io.datashard.internal.log.TableState;
import io.datashard.internal.storage.LocalStorage;
import io.datashard.storage.StagedFile;
import io.datashard.storage.Storage;
import io.datashard.storage.StorageProvider;
import io.datashard.internal.commit.Committer;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.UUID;

/** Opens and creates tables; the implementation behind {@link Table}'s static methods. */
public final class TableFactory {
  /** Table properties DataShard understands; other {@code delta.*} properties are refused at create. */
  private static final Set<String> KNOWN_DELTA_PROPERTIES = Set.of(
      "delta.checkpointInterval", "delta.logRetentionDuration", "delta.deletedFileRetentionDuration",
      "delta.appendOnly");

  private TableFactory() {}

  public static Table open(String location, TableOptions options) {
    return open(storageFor(location, options), options);
  }

  public static Table open(Storage storage, TableOptions options) {
    TableLog log = new TableLog(storage);
    return new TableImpl(log, log.loadLatest(), options);
  }

  public static Table create(String location, Storage givenStorage, Schema schema, List<String> partitionColumns,
      Map<String, String> properties, TableOptions options, boolean ifAbsent) {
    Storage storage = givenStorage != null ? givenStorage : storageFor(location, options);
    validate(schema, partitionColumns, properties);
    TableLog log = new TableLog(storage);
    try {
      if (Files.isRegularFile(Paths.get(storage.location())) && givenStorage == null) {
        throw new DataShardException("cannot create a table at " + storage.location() + ": it is a file");
      }
    } catch (java.nio.file.InvalidPathException e) {
      // not a local path: nothing to check here
    }
    if (log.latestVersion(-1).isPresent()) {
      return existing(log, schema, partitionColumns, options, ifAbsent);
    }
    long now = System.currentTimeMillis();
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("partitionBy", JsonText.of(partitionColumns));
    params.put("properties", JsonText.of(properties));
    List<Action> actions = new ArrayList<>();
    actions.add(CommitInfos.create("CREATE TABLE", params, false, now, -1));
    actions.add(ProtocolSupport.forNewTable(usesTimestampNtz(schema.asStruct())));
    actions.add(new Metadata(UUID.randomUUID().toString(), Optional.empty(), Optional.empty(), SchemaJson.toJson(schema),
        partitionColumns, properties, Optional.of(now)));
    byte[] entry = LogCodec.serialize(actions);
    boolean created;
    try (StagedFile staged = storage.stage(LogFiles.LOG_DIR, entry)) {
      String token = ((Action.CommitInfo) actions.get(0)).string("txnId").orElse("");
      created = Committer.publish(storage, staged, LogFiles.commit(0), entry, token, 0, storage.location());
    } catch (IOException e) {
      throw new StorageException("cannot create table at " + storage.location(), e);
    }
    if (!created) {
      return existing(log, schema, partitionColumns, options, ifAbsent);
    }
    return new TableImpl(log, log.loadLatest(), options);
  }

  private static Table existing(TableLog log, Schema schema, List<String> partitionColumns, TableOptions options,
      boolean ifAbsent) {
    if (!ifAbsent) {
      throw new TableAlreadyExistsException("a table already exists at " + log.location());
    }
    TableState state = log.loadLatest();
    if (!state.schema().equals(schema) || !state.partitionColumns().equals(partitionColumns)) {
      throw new TableAlreadyExistsException("a table with a different definition already exists at " + log.location()
          + ": it has schema (" + state.schema().toText() + ") partitioned by " + state.partitionColumns()
          + ", not (" + schema.toText() + ") partitioned by " + partitionColumns);
    }
    return new TableImpl(log, state, options);
  }

  private static void validate(Schema schema, List<String> partitionColumns, Map<String, String> properties) {
    Set<String> seen = new HashSet<>();
    for (String column : partitionColumns) {
      Field f = schema.field(column).orElseThrow(() -> new InvalidSchemaException("partition column '" + column
          + "' is not a column of the schema " + schema.fieldNames()));
      if (!seen.add(column)) {
        throw new InvalidSchemaException("partition column '" + column + "' is listed twice");
      }
      if (!PartitionCodec.isPartitionable(f.type())) {
        throw new InvalidSchemaException("partition column '" + column + "' has type " + f.type().toText()
            + "; partition columns must be string, integral, boolean, date, timestamp, timestamp_ntz or decimal");
      }
    }
    if (!partitionColumns.isEmpty() && partitionColumns.size() == schema.fields().size()) {
      throw new InvalidSchemaException("all columns are partition columns; a table needs at least one data column");
    }
    for (String key : properties.keySet()) {
      if (key.toLowerCase(Locale.ROOT).startsWith("delta.") && !KNOWN_DELTA_PROPERTIES.contains(key)) {
        throw new InvalidSchemaException("table property '" + key + "' is not supported by DataShard (supported: "
            + KNOWN_DELTA_PROPERTIES + ")");
      }
    }
  }

  private static boolean usesTimestampNtz(DataType type) {
    if (type == PrimitiveType.TIMESTAMP_NTZ) {
      return true;
    }
    if (type instanceof StructType s) {
      return s.fields().stream().anyMatch(f -> usesTimestampNtz(f.type()));
    }
    if (type instanceof ArrayType a) {
      return usesTimestampNtz(a.elementType());
    }
    if (type instanceof MapType m) {
      return usesTimestampNtz(m.keyType()) || usesTimestampNtz(m.valueType());
    }
    return false;
  }

  /** The storage for a location string: a local path or {@code file:} URI. */
  static Storage storageFor(String location, TableOptions options) {
    if (location == null || location.isBlank()) {
      throw new DataShardException("table location is empty");
    }
    Path path;
    if (location.startsWith("file:")) {
      path = Paths.get(URI.create(location));
    } else if (location.matches("^[a-zA-Z][a-zA-Z0-9+.-]+://.*")) {
      return providedStorage(location, options);
    } else {
      path = Paths.get(location);
    }
    return new LocalStorage(path, options.durability() == Durability.SYNC);
  }

  /** Modules that provide storage for a URI scheme, named in the error when the module is missing. */
  private static final Map<String, String> KNOWN_PROVIDERS = Map.of("s3", "io.datashard:datashard-s3");

  /** The storage for a URI location, from the {@link StorageProvider} of its scheme on the class path. */
  private static Storage providedStorage(String location, TableOptions options) {
    String scheme = location.substring(0, location.indexOf(':')).toLowerCase(Locale.ROOT);
    URI uri;
    try {
      uri = new URI(location);
    } catch (URISyntaxException e) {
      throw new DataShardException("table location '" + location + "' is not a valid URI: " + e.getMessage());
    }
    for (StorageProvider provider : ServiceLoader.load(StorageProvider.class, TableFactory.class.getClassLoader())) {
      if (provider.scheme().equals(scheme)) {
        try {
          return provider.open(uri, options);
        } catch (IllegalArgumentException e) {
          throw new DataShardException("table location '" + location + "': " + e.getMessage());
        } catch (IOException e) {
          throw new StorageException("cannot open storage for table " + location, e);
        }
      }
    }
    String module = KNOWN_PROVIDERS.get(scheme);
    throw new DataShardException("no storage for scheme '" + scheme + "' of table location '" + location + "': "
        + (module != null ? "add the module " + module + " to the class path"
            : "no StorageProvider on the class path handles it"));
  }
}
