package io.datashard;

import io.datashard.internal.table.TableFactory;
import io.datashard.storage.Storage;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * A Delta Lake table on a local disk: a directory with Parquet data files and a {@code _delta_log/}.
 *
 * <p>A {@code Table} is a handle. It is safe to share between any number of threads for reads and
 * writes; any number of handles, in this JVM or in other processes, may use the same table at once.
 * Every write is one atomic, durable commit (see {@link Durability}); every read sees one
 * consistent {@link Snapshot} and never part of a commit. Readers take no lock.
 *
 * <pre>{@code
 * try (Table t = Table.create("/data/events", Schema.parse("id long not null, kind string"))) {
 *   t.append(List.of(Map.of("id", 1L, "kind", "start")));
 *   try (Stream<Row> rows = t.newScan().stream()) { rows.forEach(System.out::println); }
 * }
 * }</pre>
 */
public interface Table extends AutoCloseable {

  /**
   * Opens an existing table.
   *
   * @param location a directory path
   * @throws TableNotFoundException if the location does not exist, is a file, or holds no table
   */
  static Table open(String location) {
    return open(location, TableOptions.DEFAULT);
  }

  /** Opens an existing table with options. @see #open(String) */
  static Table open(String location, TableOptions options) {
    return TableFactory.open(location, options);
  }

  /** Opens an existing table. @see #open(String) */
  static Table open(Path location) {
    return open(location.toString());
  }

  /**
   * Opens an existing table on a given storage (a custom or wrapped {@link Storage}).
   *
   * @see #open(String)
   */
  static Table open(Storage storage, TableOptions options) {
    return TableFactory.open(storage, options);
  }

  /**
   * Creates a new, empty, unpartitioned table with default properties. Shorthand for {@code
   * define(location, schema).create()}.
   *
   * @throws TableAlreadyExistsException if a table exists at the location
   */
  static Table create(String location, Schema schema) {
    return define(location, schema).create();
  }

  /** Starts defining a new table: partitioning, properties and options, then create. */
  static TableDefinition define(String location, Schema schema) {
    return new TableDefinition(location, null, schema);
  }

  /** Starts defining a new table on a given storage. */
  static TableDefinition define(Storage storage, Schema schema) {
    return new TableDefinition(null, storage, schema);
  }

  /** The table root, as given when opened. */
  String location();

  /** The options of this handle. */
  TableOptions options();

  /**
   * The latest snapshot: looks for versions committed since this handle last looked (a few file
   * probes; cost does not grow with the table's history) and returns the newest.
   */
  Snapshot currentSnapshot();

  /**
   * The snapshot at a version.
   *
   * @throws VersionNotFoundException if the version is after the latest or before the retained log
   */
  Snapshot snapshot(long version);

  /**
   * The snapshot that was current at an instant: the latest version committed at or before it.
   *
   * @throws VersionNotFoundException if the instant is before the first retained version
   */
  Snapshot snapshotAsOf(Instant instant);

  /** The commits of the retained log, newest first. */
  List<HistoryEntry> history();

  /** A scan of the latest snapshot; refine it with {@link Scan}'s methods. */
  Scan newScan();

  /**
   * Appends rows in one atomic commit. Each row is a {@code Map<String, ?>} from column name to
   * value, a Java record, or a bean-style object, converted as {@code docs/types.md} describes;
   * every row is validated before anything is written.
   *
   * <p>Under concurrent commits: a blind append never conflicts with concurrent appends, deletes or
   * updates; it rebases onto the newest version and retries by the {@link RetryPolicy}. It fails
   * with {@link MetadataChangedException} or {@link ProtocolChangedException} if a concurrent commit
   * changed the schema, partitioning or protocol, and with {@link CommitFailedException} if the
   * retry policy runs out.
   *
   * @throws InvalidRowException if a row does not fit the schema (nothing is written)
   */
  CommitResult append(Iterable<?> rows);

  /**
   * Starts a transaction that can append several batches and commits them as one version. Close it
   * (try-with-resources) to abort: its data files are deleted if it did not commit.
   */
  Transaction newTransaction();

  /** Releases resources held by the handle (storage clients). Snapshots and results stay valid. */
  @Override
  void close();
}
