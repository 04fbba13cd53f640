package io.datashard.internal.table;

import io.datashard.CloseableIterator;
import io.datashard.CommitFailedException;
import io.datashard.CommitResult;
import io.datashard.ConcurrentAppendException;
import io.datashard.ConcurrentDeleteDeleteException;
import io.datashard.ConcurrentDeleteReadException;
import io.datashard.Expression;
import io.datashard.Expressions;
import io.datashard.GetOrCreateResult;
import io.datashard.InvalidRowException;
import io.datashard.MergeBuilder;
import io.datashard.RetryPolicy;
import io.datashard.SchemaChange;
import io.datashard.OptimizeBuilder;
import io.datashard.ProgressListener;
import io.datashard.VacuumBuilder;
import io.datashard.VerifyReport;
import io.datashard.internal.log.Checkpoints;
import io.datashard.internal.maintenance.ChecksumFiles;
import io.datashard.internal.maintenance.LogCleanup;
import io.datashard.internal.maintenance.Optimizer;
import io.datashard.internal.maintenance.TableContext;
import io.datashard.internal.maintenance.Vacuum;
import io.datashard.internal.maintenance.Verifier;
import io.datashard.internal.log.SchemaJson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.datashard.Row;
import io.datashard.StructType;
import io.datashard.TableMetrics;
import io.datashard.internal.commit.Committer;
import io.datashard.internal.expr.BoundExpression;
import io.datashard.internal.rows.RowConverter;
import java.time.Duration;
import io.datashard.HistoryEntry;
import io.datashard.Scan;
import io.datashard.Snapshot;
import io.datashard.StorageException;
import io.datashard.Table;
import io.datashard.TableOptions;
import io.datashard.Transaction;
import io.datashard.VersionNotFoundException;
import io.datashard.internal.log.Action;
import io.datashard.internal.log.Action.AddFile;
import io.datashard.internal.log.Action.CommitInfo;
import io.datashard.internal.log.LogFiles;
import io.datashard.internal.log.TableLog;
import io.datashard.internal.log.TableState;
import io.datashard.internal.storage.LocalStorage;
import io.datashard.storage.FileInfo;
import java.io.Closeable;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A table handle. Its only mutable state is the newest {@link TableState} it knows, swapped
 * atomically; states are immutable, so readers and writers on any number of threads share it
 * without locks.
 */
final class TableImpl implements Table {
  private static final Logger LOG = LoggerFactory.getLogger(TableImpl.class);
  private static final long DEFAULT_CHECKPOINT_INTERVAL = 100;
  private final TableLog log;
  private final TableOptions options;
  private final AtomicReference<TableState> latest;
  private final String localRoot;
  private final DataFiles dataFiles;
  private final LongAdder commits = new LongAdder();
  private final LongAdder lostRaces = new LongAdder();
  private final LongAdder conflicts = new LongAdder();
  private final LongAdder replans = new LongAdder();
  private final AtomicReference<TableState> pendingCheckpoint = new AtomicReference<>();
  private final ThreadPoolExecutor checkpointer = checkpointThread();
  /** Writes version checksums ({@code N.crc}) after commits, off the commit path. */
  private final ThreadPoolExecutor checksummer = checkpointThread("datashard-checksum");

  TableImpl(TableLog log, TableState initial, TableOptions options) {
    this.log = log;
    this.options = options;
    this.latest = new AtomicReference<>(initial);
    this.localRoot = log.storage() instanceof LocalStorage ? log.location() : null;
    this.dataFiles = new DataFiles(log.storage(), log.location(), localRoot);
  }

  DataFiles dataFiles() {
    return dataFiles;
  }

  /**
   * Counts a successful commit, makes its state the cached one, and asks for a checkpoint if the
   * commit's version is a multiple of the checkpoint interval. Checkpoints are written on a
   * background thread, so the commit is acknowledged without waiting; requests made while one is
   * being written coalesce into the newest. A failed checkpoint never fails a commit (the table is
   * correct without it, so the failure is logged).
   */
  void recordCommit(Committer.Outcome outcome) {
    commits.increment();
    lostRaces.add(outcome.attempts() - 1L);
    offer(outcome.state());
    TableState state = outcome.state();
    try {
      checksummer.execute(() -> writeChecksum(state));
    } catch (java.util.concurrent.RejectedExecutionException e) {
      LOG.debug("table {}: handle closed; no checksum for version {}", location(), state.version());
    }
    if (state.version() > 0 && state.version() % checkpointInterval(state) == 0) {
      pendingCheckpoint.accumulateAndGet(state, (current, offered) ->
          current == null || offered.version() > current.version() ? offered : current);
      checkpointer.execute(this::writePendingCheckpoint);
    }
  }

  /** Best effort: the commit succeeded; a missing checksum only means verify has less to compare. */
  private void writeChecksum(TableState state) {
    try {
      ChecksumFiles.write(log.storage(), state);
    } catch (IOException | RuntimeException e) {
      LOG.warn("table {}: could not write the checksum of version {} (the commit succeeded)", location(),
          state.version(), e);
    }
  }

  /** Best effort after a checkpoint: expired log files go now or after the next checkpoint. */
  private void cleanupLog(TableState state) {
    if (!LogCleanup.enabled(state)) {
      return;
    }
    try {
      LogCleanup.run(log.storage(), state, System.currentTimeMillis());
    } catch (IOException | RuntimeException e) {
      LOG.warn("table {}: log cleanup after the checkpoint of version {} failed (the next one retries)", location(),
          state.version(), e);
    }
  }

  private void writePendingCheckpoint() {
    TableState state = pendingCheckpoint.getAndSet(null);
    if (state == null) {
      return; // an earlier task already wrote the newest request
    }
    try {
      Checkpoints.write(log.storage(), state);
      cleanupLog(state);
    } catch (IOException | RuntimeException e) {
      LOG.warn("table {}: could not write the checkpoint of version {} (the commit succeeded; the next"
          + " checkpoint will cover it)", location(), state.version(), e);
    }
  }

  /** One daemon thread that exists only while a checkpoint is being written. */
  private static ThreadPoolExecutor checkpointThread() {
    return checkpointThread("datashard-checkpoint");
  }

  private static ThreadPoolExecutor checkpointThread(String name) {
    ThreadPoolExecutor executor = new ThreadPoolExecutor(1, 1, 10, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    });
    executor.allowCoreThreadTimeOut(true);
    return executor;
  }

  private static long checkpointInterval(TableState state) {
    String value = state.metadata().configuration().get("delta.checkpointInterval");
    try {
      long n = value == null ? DEFAULT_CHECKPOINT_INTERVAL : Long.parseLong(value.trim());
      return n > 0 ? n : DEFAULT_CHECKPOINT_INTERVAL;
    } catch (NumberFormatException e) {
      return DEFAULT_CHECKPOINT_INTERVAL;
    }
  }

  @Override
  public long checkpoint() {
    TableState state = refresh();
    try {
      Checkpoints.write(log.storage(), state);
    } catch (IOException e) {
      throw new StorageException("cannot write the checkpoint of version " + state.version() + " of table "
          + location(), e);
    }
    cleanupLog(state);
    return state.version();
  }

  private TableContext context() {
    return new TableContext(location(), log, options, dataFiles, this::refresh, this::recordCommit, localRoot);
  }

  @Override
  public OptimizeBuilder optimize() {
    return new Optimizer(context());
  }

  @Override
  public VacuumBuilder vacuum() {
    return new Vacuum(context());
  }

  @Override
  public VerifyReport verify(boolean deep) {
    return verify(deep, ProgressListener.NONE);
  }

  @Override
  public VerifyReport verify(boolean deep, ProgressListener progress) {
    return new Verifier(context(), deep, progress).run();
  }

  void recordConflict() {
    conflicts.increment();
  }

  @Override
  public TableMetrics metrics() {
    long lost = lostRaces.sum();
    long conflicted = conflicts.sum();
    return new TableMetrics(commits.sum(), lost + conflicted, lost, conflicted, replans.sum());
  }

  TableLog log() {
    return log;
  }

  /** The table root as a local path, or null when the storage is not local (for absolute data paths). */
  String localRoot() {
    return localRoot;
  }

  @Override
  public String location() {
    return log.location();
  }

  @Override
  public TableOptions options() {
    return options;
  }

  /** The newest state: probes for versions after the cached one and reads only those. */
  TableState refresh() {
    TableState cached = latest.get();
    long newest = log.latestVersion(cached.version()).orElse(cached.version());
    if (newest == cached.version()) {
      return cached;
    }
    TableState next = log.advance(cached, newest);
    offer(next);
    return next;
  }

  /** Makes a state the cached one if it is newer than the cached one. */
  void offer(TableState state) {
    latest.accumulateAndGet(state, (current, offered) -> offered.version() > current.version() ? offered : current);
  }

  /** The state at a version: the cached one, one derived from it, or a replay from the log. */
  TableState stateAt(long version) {
    TableState cached = latest.get();
    if (version == cached.version()) {
      return cached;
    }
    if (version > cached.version()) {
      TableState newest = refresh();
      if (version > newest.version()) {
        throw new VersionNotFoundException("table " + location() + " has no version " + version + "; the latest is "
            + newest.version());
      }
      return version == newest.version() ? newest : log.advance(cached, version);
    }
    if (version < 0) {
      throw new VersionNotFoundException("table " + location() + " has no version " + version + " (versions start at 0)");
    }
    return log.load(version);
  }

  /** The version that was current at an instant. */
  long versionAsOf(Instant instant) {
    return TimeTravel.versionAsOf(log, refresh(), instant);
  }

  @Override
  public Snapshot currentSnapshot() {
    return toSnapshot(refresh());
  }

  @Override
  public Snapshot snapshot(long version) {
    return toSnapshot(stateAt(version));
  }

  @Override
  public Snapshot snapshotAsOf(Instant instant) {
    return snapshot(versionAsOf(instant));
  }

  private static Snapshot toSnapshot(TableState s) {
    Map<String, AddFile> files = s.files();
    long size = 0;
    long rows = 0;
    boolean rowsKnown = true;
    for (AddFile f : files.values()) {
      size += f.size();
      OptionalLong n = Stats.numRecords(f);
      if (n.isPresent()) {
        rows += n.getAsLong();
      } else {
        rowsKnown = false;
      }
    }
    return new Snapshot(s.version(), Instant.ofEpochMilli(s.timestamp()), s.schema(), s.partitionColumns(),
        s.metadata().configuration(), files.size(), size, rowsKnown ? OptionalLong.of(rows) : OptionalLong.empty());
  }

  @Override
  public List<HistoryEntry> history() {
    List<FileInfo> commits = log.listCommits();
    List<HistoryEntry> entries = new ArrayList<>(commits.size());
    long previous = Long.MIN_VALUE;
    for (FileInfo f : commits) {
      long version = LogFiles.commitVersion(f.name()).getAsLong();
      long ts = previous == Long.MIN_VALUE ? f.modificationTime() : Math.max(f.modificationTime(), previous + 1);
      previous = ts;
      CommitInfo info = null;
      for (Action a : log.readCommit(version).actions()) {
        if (a instanceof CommitInfo ci) {
          info = ci;
        }
      }
      Map<String, String> params = new LinkedHashMap<>();
      String operation = "UNKNOWN";
      Optional<String> engine = Optional.empty();
      Optional<String> token = Optional.empty();
      if (info != null) {
        operation = info.string("operation").orElse("UNKNOWN");
        engine = info.string("engineInfo");
        token = info.string("txnId");
        if (info.fields().get("operationParameters") instanceof Map<?, ?> p) {
          p.forEach((k, v) -> params.put(String.valueOf(k), v instanceof String str ? str : JsonText.of(v)));
        }
      }
      entries.add(new HistoryEntry(version, Instant.ofEpochMilli(ts), operation, params, engine, token));
    }
    java.util.Collections.reverse(entries);
    return entries;
  }

  @Override
  public Scan newScan() {
    return new ScanImpl(this, ScanImpl.Spec.LATEST, null);
  }

  @Override
  public CommitResult append(Iterable<?> rows) {
    try (Transaction tx = newTransaction()) {
      tx.append(rows);
      return tx.commit();
    }
  }

  @Override
  public TransactionImpl newTransaction() {
    return new TransactionImpl(this, refresh());
  }

  @Override
  public CommitResult transact(Consumer<Transaction> work) {
    return transact(work, options.retryPolicy());
  }

  @Override
  public CommitResult transact(Consumer<Transaction> work, RetryPolicy policy) {
    long start = System.nanoTime();
    for (int attempt = 1; ; attempt++) {
      try (Closeable queue = queueWriters(); TransactionImpl tx = newTransaction()) {
        work.accept(tx);
        CommitResult r = tx.isCommitted() ? tx.result() : tx.commit();
        return new CommitResult(r.version(), r.committed(), r.attempts(), attempt - 1,
            Duration.ofNanos(System.nanoTime() - start), r.filesAdded(), r.filesRemoved(), r.rowsInserted(),
            r.rowsUpdated(), r.rowsDeleted());
      } catch (ConcurrentAppendException | ConcurrentDeleteReadException | ConcurrentDeleteDeleteException e) {
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        if (attempt >= policy.maxAttempts() || elapsed.compareTo(policy.maxTotalTime()) > 0) {
          CommitFailedException failure = new CommitFailedException("table " + location() + ": gave up after " + attempt
              + " attempts in " + elapsed.toMillis() + " ms, each conflicting with a concurrent commit (the retry"
              + " policy's limit); last conflict: " + e.getMessage(), attempt);
          failure.initCause(e);
          throw failure;
        }
        replans.increment();
        LockSupport.parkNanos(policy.delayAfter(attempt, ThreadLocalRandom.current().nextDouble()).toNanos());
      } catch (IOException e) {
        throw new StorageException("cannot release the writer lock of table " + location(), e);
      }
    }
  }

  /** The advisory writer lock, if queueing is on and the storage has one; else a no-op. */
  private Closeable queueWriters() {
    if (!options.queueWriters()) {
      return () -> { };
    }
    try {
      return log.storage().lockWriters().orElse(() -> { });
    } catch (IOException e) {
      throw new StorageException("cannot take the writer lock of table " + location(), e);
    }
  }

  @Override
  public CommitResult delete(Expression where) {
    return transact(tx -> tx.delete(where));
  }

  @Override
  public CommitResult update(Expression where, Map<String, Expression> assignments) {
    return transact(tx -> tx.update(where, assignments));
  }

  @Override
  public CommitResult increment(Expression where, String column, Number delta) {
    Expression literal = Expressions.literal(delta);
    return update(where, Map.of(column, Expressions.add(Expressions.column(column), literal)));
  }

  @Override
  public GetOrCreateResult getOrCreate(Expression key, Supplier<?> supplier) {
    Row[] found = new Row[1];
    CommitResult r = transact(tx -> {
      found[0] = null;
      try (CloseableIterator<Row> rows = tx.scan().where(key).limit(1).iterator()) {
        if (rows.hasNext()) {
          found[0] = rows.next();
          return;
        }
      }
      TransactionImpl impl = (TransactionImpl) tx;
      StructType schema = impl.base().schema().asStruct();
      Object[] row = new RowConverter(schema).convert(supplier.get(), 0);
      Object[] readForm = Rows.toReadForm(schema, row);
      if (!BoundExpression.bindPredicate(key, schema).test(readForm)) {
        throw new InvalidRowException(0, "", "the row to create does not match the key \"" + key.toText() + "\"");
      }
      impl.appendNormalized(List.<Object[]>of(row));
      impl.operation("WRITE", "mode", "GetOrCreate");
      found[0] = Row.of(schema, readForm);
    });
    return new GetOrCreateResult(found[0], r.committed(), r.committed() ? OptionalLong.of(r.version()) : OptionalLong.empty(),
        r.replans());
  }

  @Override
  public CommitResult alterSchema(SchemaChange... changes) {
    try (TransactionImpl tx = newTransaction()) {
      TableState base = tx.base();
      SchemaEvolution.Result evolved = SchemaEvolution.apply(base.schema(), location(), changes);
      Action.Metadata m = base.metadata();
      Action.Protocol protocol = evolved.widened() && !SchemaEvolution.hasTypeWidening(base.protocol())
          ? SchemaEvolution.withTypeWidening(base.protocol()) : null;
      tx.changeMetadata(new Action.Metadata(m.id(), m.name(), m.description(), SchemaJson.toJson(evolved.schema()),
          m.partitionColumns(), m.configuration(), m.createdTime()), protocol);
      return tx.commit();
    }
  }

  @Override
  public MergeBuilder merge(Iterable<?> sourceRows) {
    return new MergeBuilderImpl(this, sourceRows);
  }

  @Override
  public CommitResult upsert(Iterable<?> rows, String... keyColumns) {
    return merge(rows).on(keyColumns).execute();
  }

  @Override
  public CommitResult overwrite(Expression where, Iterable<?> rows) {
    return transact(tx -> {
      TransactionImpl impl = (TransactionImpl) tx;
      StructType schema = impl.base().schema().asStruct();
      BoundExpression predicate = BoundExpression.bindPredicate(where, schema);
      RowConverter converter = new RowConverter(schema);
      List<Object[]> normalized = new ArrayList<>();
      long index = 0;
      for (Object row : rows) {
        Object[] values = converter.convert(row, index);
        if (!predicate.test(Rows.toReadForm(schema, values))) {
          throw new InvalidRowException(index, "", "the row does not satisfy the overwrite condition \""
              + where.toText() + "\"");
        }
        normalized.add(values);
        index++;
      }
      impl.delete(where);
      impl.appendNormalized(normalized);
      impl.operation("WRITE", "mode", "Overwrite");
      impl.operation("WRITE", "predicate", JsonText.of(List.of(where.toText())));
    });
  }

  @Override
  public void close() {
    // Checksums and a checkpoint in progress finish first (they write through the storage about to be closed).
    checksummer.shutdown();
    checkpointer.shutdown();
    try {
      if (!checksummer.awaitTermination(1, TimeUnit.MINUTES)) {
        LOG.warn("table {}: checksum files still being written after 1 minute were abandoned", location());
      }
      if (!checkpointer.awaitTermination(5, TimeUnit.MINUTES)) {
        LOG.warn("table {}: a checkpoint still running after 5 minutes was abandoned", location());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      log.storage().close();
    } catch (IOException e) {
      throw new StorageException("cannot close the storage of table " + location(), e);
    }
  }

  @Override
  public String toString() {
    return "Table[" + location() + "]";
  }
}
