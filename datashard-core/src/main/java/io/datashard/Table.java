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
   * Starts a transaction on the latest snapshot. Close it (try-with-resources) to abort: its data
   * files are deleted if it did not commit.
   */
  Transaction newTransaction();

  /**
   * Runs {@code work} in a transaction and commits it; if a concurrent commit conflicts with what it
   * read or removed ({@link ConcurrentAppendException}, {@link ConcurrentDeleteReadException},
   * {@link ConcurrentDeleteDeleteException}), aborts and re-runs {@code work} on the new latest
   * snapshot, up to {@code policy}'s limits. {@code work} must therefore be repeatable: it should
   * read only through the transaction and have no other side effects.
   *
   * @return the commit result of the run that committed
   * @throws ConcurrentModificationException a {@link MetadataChangedException}, {@link
   *     ProtocolChangedException} or {@link ConcurrentTransactionException}, which re-running cannot fix
   * @throws CommitFailedException if the policy's attempts or time run out
   */
  CommitResult transact(java.util.function.Consumer<Transaction> work, RetryPolicy policy);

  /** {@link #transact(java.util.function.Consumer, RetryPolicy)} with the handle's retry policy. */
  CommitResult transact(java.util.function.Consumer<Transaction> work);

  /**
   * Deletes the rows for which {@code where} is true, in one commit.
   *
   * <p>Under concurrent commits: rebases over commits that did not touch what it read; re-plans
   * (re-reads and re-applies the delete on the newer snapshot) when a concurrent commit removed a
   * file it read or added rows matching {@code where}; fails on schema or protocol changes.
   *
   * @return the result; {@code rowsDeleted} is 0 and nothing is committed if no row matched
   */
  CommitResult delete(Expression where);

  /**
   * Sets columns of the rows for which {@code where} is true, in one commit; each assignment is
   * evaluated on the row's current value ({@code balance = balance + 100}), so concurrent updates
   * never lose each other: on a conflicting concurrent commit the update is re-planned on the newer
   * snapshot, as {@link #delete(Expression)} describes.
   *
   * @see Transaction#update(Expression, java.util.Map)
   */
  CommitResult update(Expression where, java.util.Map<String, Expression> assignments);

  /**
   * Adds {@code delta} to {@code column} in the rows for which {@code where} is true: {@code
   * update(where, column = column + delta)}. Exact under any number of concurrent incrementers.
   */
  CommitResult increment(Expression where, String column, Number delta);

  /**
   * Returns the row matching {@code key}, inserting the one {@code supplier} makes if there is none
   * — exactly one row per key however many callers race. The supplied row must match {@code key}.
   * On a conflicting concurrent commit (another caller inserted a matching row), re-plans and
   * returns that caller's row. If several rows match, the first one found is returned.
   *
   * @throws InvalidRowException if the supplied row does not fit the schema or does not match {@code key}
   */
  GetOrCreateResult getOrCreate(Expression key, java.util.function.Supplier<?> supplier);

  /**
   * Starts a merge of {@code sourceRows} into the table, matched on key columns; by default an
   * upsert (matched rows are replaced by the source row, others inserted).
   */
  MergeBuilder merge(Iterable<?> sourceRows);

  /**
   * Upserts rows by key columns: {@code merge(rows).on(keys).execute()}.
   *
   * @throws InvalidRowException if two source rows have the same key (nothing is written)
   */
  CommitResult upsert(Iterable<?> rows, String... keyColumns);

  /**
   * Replaces the rows for which {@code where} is true with {@code rows}, in one commit. Every new
   * row must itself satisfy {@code where}. Re-plans on conflicts as {@link #delete(Expression)}.
   *
   * @throws InvalidRowException if a row does not fit the schema or does not satisfy {@code where}
   */
  CommitResult overwrite(Expression where, Iterable<?> rows);

  /**
   * Changes the schema in one commit. A concurrent writer still holding the old schema gets a
   * {@link MetadataChangedException} when it commits and must re-read the table.
   *
   * <p>Under concurrent commits: rebases over data changes; fails with {@link
   * MetadataChangedException} or {@link ProtocolChangedException} if another schema or protocol
   * change won first.
   *
   * @throws InvalidSchemaException if a change is not allowed (unknown column, narrowing, rename or
   *     drop without column mapping, a duplicate name)
   */
  CommitResult alterSchema(SchemaChange... changes);

  /**
   * Writes a checkpoint of the latest version (a Parquet file holding the table's reconciled state,
   * plus the {@code _last_checkpoint} pointer), so that opening the table reads only the commits
   * after it. Writers also do this automatically every {@code delta.checkpointInterval} commits
   * (default 100). Safe to run concurrently with writers and with other checkpoints.
   *
   * @return the version checkpointed
   */
  long checkpoint();

  /**
   * Starts a compaction: small data files are rewritten, per partition, into files of about the
   * target size (128 MiB by default), in one commit with {@code dataChange=false}; rows and row
   * count are unchanged. Under concurrent commits it rebases over appends and skips groups whose
   * files a concurrent commit removed; see {@link OptimizeBuilder}.
   *
   * <pre>{@code
   * OptimizeResult r = table.optimize().where(Expression.parse("day = '2024-01-02'")).sortBy("id").commit();
   * }</pre>
   */
  OptimizeBuilder optimize();

  /**
   * Starts a vacuum: deletes files in the table directory that no snapshot within the retention
   * window (default 7 days, the safe minimum) references and that are older than the window, then
   * removes expired log files behind a checkpoint. Commits nothing; never follows symbolic links,
   * never deletes outside the table root or inside {@code _delta_log/} except by log cleanup. See
   * {@link VacuumBuilder} for its behaviour under concurrent writers.
   */
  VacuumBuilder vacuum();

  /**
   * Checks the table: log continuity, protocol and metadata, checkpoints and version checksums
   * against an independent replay of the log, every referenced data file (inside the table, present,
   * recorded size, readable Parquet footer, row count matching its statistics); with {@code deep},
   * every row is read. Reads only; safe while others write (it checks the versions that exist when
   * it lists the log).
   */
  VerifyReport verify(boolean deep);

  /** {@link #verify(boolean)} reporting progress. */
  VerifyReport verify(boolean deep, ProgressListener progress);

  /** Counters of this handle's commits, lost races, conflicts and re-plans. */
  TableMetrics metrics();

  /** Releases resources held by the handle (storage clients). Snapshots and results stay valid. */
  @Override
  void close();
}
