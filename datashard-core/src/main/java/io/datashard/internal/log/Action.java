package io.datashard.internal.log;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A Delta log action. Only the fields DataShard reads or writes are modelled. */
public sealed interface Action {

  /**
   * {@code add}: a data file joins the table. Partition values may be null (a null partition). A
   * file with a deletion vector is identified by its path and the vector's unique id ({@link #key()}).
   */
  record AddFile(String path, Map<String, String> partitionValues, long size, long modificationTime,
      boolean dataChange, Optional<String> stats, Optional<DeletionVector> deletionVector) implements Action {
    public AddFile {
      partitionValues = Collections.unmodifiableMap(new LinkedHashMap<>(partitionValues));
    }

    /** A file without a deletion vector. */
    public AddFile(String path, Map<String, String> partitionValues, long size, long modificationTime,
        boolean dataChange, Optional<String> stats) {
      this(path, partitionValues, size, modificationTime, dataChange, stats, Optional.empty());
    }

    /** The file's identity in the table state: the path, plus the deletion vector's unique id if any. */
    public String key() {
      return DeletionVector.key(path, deletionVector);
    }
  }

  /** {@code remove}: a data file leaves the table. */
  record RemoveFile(String path, long deletionTimestamp, boolean dataChange, Map<String, String> partitionValues,
      Optional<Long> size, Optional<DeletionVector> deletionVector) implements Action {
    public RemoveFile {
      partitionValues = Collections.unmodifiableMap(new LinkedHashMap<>(partitionValues));
    }

    /** A removal of a file without a deletion vector. */
    public RemoveFile(String path, long deletionTimestamp, boolean dataChange, Map<String, String> partitionValues,
        Optional<Long> size) {
      this(path, deletionTimestamp, dataChange, partitionValues, size, Optional.empty());
    }

    /** The identity of the removed file (see {@link AddFile#key()}). */
    public String key() {
      return DeletionVector.key(path, deletionVector);
    }
  }

  /**
   * A deletion vector descriptor: where the set of deleted row positions of a data file is stored
   * ({@code u}: a file named by a UUID relative to the table, {@code p}: an absolute path, {@code
   * i}: inline) and how many rows it deletes.
   */
  record DeletionVector(String storageType, String pathOrInlineDv, Optional<Integer> offset, int sizeInBytes,
      long cardinality) {
    /** The protocol's unique id: storage type, path or inline data, and {@code @offset} if there is one. */
    public String uniqueId() {
      return storageType + pathOrInlineDv + offset.map(o -> "@" + o).orElse("");
    }

    static String key(String path, Optional<DeletionVector> dv) {
      // NUL cannot occur in a path, so keys of files with and without a vector never collide.
      return dv.isEmpty() ? path : path + '\0' + dv.get().uniqueId();
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

  /** {@code sidecar} (v2 checkpoints only): a file in {@code _delta_log/_sidecars/} holding more file actions. */
  record Sidecar(String path, long sizeInBytes) implements Action {}

  /** An action DataShard need not interpret ({@code cdc}, {@code domainMetadata} ...), kept by name. */
  record Ignored(String type) implements Action {}
}
