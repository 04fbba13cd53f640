package io.datashard.internal.log;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A Delta log action. Only the fields DataShard reads or writes are modelled. */
public sealed interface Action {

  /** {@code add}: a data file joins the table. Partition values may be null (a null partition). */
  record AddFile(String path, Map<String, String> partitionValues, long size, long modificationTime,
      boolean dataChange, Optional<String> stats) implements Action {
    public AddFile {
      partitionValues = Collections.unmodifiableMap(new LinkedHashMap<>(partitionValues));
    }
  }

  /** {@code remove}: a data file leaves the table. */
  record RemoveFile(String path, long deletionTimestamp, boolean dataChange, Map<String, String> partitionValues,
      Optional<Long> size) implements Action {
    public RemoveFile {
      partitionValues = Collections.unmodifiableMap(new LinkedHashMap<>(partitionValues));
    }
  }

  /** {@code metaData}: the schema, partitioning and properties. */
  record Metadata(String id, Optional<String> name, Optional<String> description, String schemaString,
      List<String> partitionColumns, Map<String, String> configuration, Optional<Long> createdTime) implements Action {
    public Metadata {
      partitionColumns = List.copyOf(partitionColumns);
      configuration = Collections.unmodifiableMap(new LinkedHashMap<>(configuration));
    }
  }

  /** {@code protocol}: the reader and writer versions and features the table requires. */
  record Protocol(int minReaderVersion, int minWriterVersion, Optional<List<String>> readerFeatures,
      Optional<List<String>> writerFeatures) implements Action {}

  /** {@code txn}: the last version an application committed, for idempotent writes. */
  record SetTransaction(String appId, long version, Optional<Long> lastUpdated) implements Action {}

  /** {@code commitInfo}: provenance; kept as parsed JSON values. */
  record CommitInfo(Map<String, Object> fields) implements Action {
    public CommitInfo {
      fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    public Optional<String> string(String key) {
      Object v = fields.get(key);
      return v instanceof String s ? Optional.of(s) : Optional.empty();
    }
  }

  /** An action DataShard need not interpret ({@code cdc}, {@code domainMetadata} ...), kept by name. */
  record Ignored(String type) implements Action {}
}
