package io.datashard.internal.table;

import io.datashard.CloseableIterator;
import io.datashard.CommitOutcomeUnknownException;
import io.datashard.CommitResult;
import io.datashard.Expression;
import io.datashard.ExpressionEvaluationException;
import io.datashard.Field;
import io.datashard.InvalidExpressionException;
import io.datashard.InvalidRowException;
import io.datashard.NoSuchColumnException;
import io.datashard.Row;
import io.datashard.Scan;
import io.datashard.StructType;
import io.datashard.Transaction;
import io.datashard.UnsupportedTableFeatureException;
import io.datashard.internal.commit.Committer;
import io.datashard.internal.commit.ConflictChecker;
import io.datashard.internal.expr.BoundExpression;
import io.datashard.internal.log.Action;
import io.datashard.internal.log.Action.AddFile;
import io.datashard.internal.log.Action.RemoveFile;
import io.datashard.internal.log.Action.SetTransaction;
import io.datashard.internal.log.ProtocolSupport;
import io.datashard.internal.log.TableState;
import io.datashard.internal.rows.RowConverter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A transaction: a view of its base snapshot plus its own changes, the set of what it read, and
 * the data files it wrote. Used by one thread at a time.
 */
final class TransactionImpl implements Transaction {
  private enum Status { OPEN, COMMITTED, CLOSED }

  private final TableImpl table;
  private final TableState base;
  private final StructType schema;
  private final DataFiles dataFiles;
  private final long start = System.nanoTime();
  /** Files this transaction added (path → file), minus those it rewrote again; durability awaited at commit. */
  private final Map<String, DataFiles.Written> added = new LinkedHashMap<>();
  /** Files of the base snapshot this transaction removes. */
  private final Map<String, AddFile> removed = new LinkedHashMap<>();
  /** Predicates under which this transaction read; a full read is {@code TRUE}. */
  private final List<BoundExpression> readPredicates = new ArrayList<>();
  /** Base files this transaction read rows from. */
  private final Set<String> readFiles = new LinkedHashSet<>();
  private final List<String> operations = new ArrayList<>();
  private final Map<String, Object> operationParameters = new LinkedHashMap<>();
  private Action.Metadata newMetadata;
  private Action.Protocol newProtocol;
  private String appId;
  private long appVersion;
  private long rowsInserted;
  private long rowsUpdated;
  private long rowsDeleted;
  private Status status = Status.OPEN;
  private CommitResult result;

  TransactionImpl(TableImpl table, TableState base) {
    ProtocolSupport.checkWritable(base, table.location());
    this.table = table;
    this.base = base;
    this.schema = base.schema().asStruct();
    this.dataFiles = table.dataFiles();
  }

  TableState base() {
    return base;
  }

  /** The files of this transaction's view: base files it has not removed, then its own. */
  Collection<AddFile> viewFiles() {
    List<AddFile> files = new ArrayList<>();
    for (AddFile f : base.files().values()) {
      if (!removed.containsKey(f.path())) {
        files.add(f);
      }
    }
    for (DataFiles.Written w : added.values()) {
      files.add(w.add());
    }
    return files;
  }

  /** Records that rows were read under a predicate (for conflict checks at commit). */
  void recordRead(BoundExpression predicate) {
    readPredicates.add(predicate);
  }

  /** Records that a file's rows were read. */
  void recordFileRead(AddFile file) {
    if (!added.containsKey(file.path())) {
      readFiles.add(file.path());
    }
  }

  /** The result of the commit, once committed. */
  CommitResult result() {
    return result;
  }

  boolean isCommitted() {
    return status == Status.COMMITTED;
  }

  @Override
  public long readVersion() {
    return base.version();
  }

  @Override
  public Scan scan() {
    checkOpen();
    return new ScanImpl(table, ScanImpl.Spec.LATEST, this);
  }

  @Override
  public Transaction append(Iterable<?> rows) {
    checkOpen();
    Objects.requireNonNull(rows, "rows");
    // Validate every row before writing anything.
    RowConverter converter = new RowConverter(schema);
    List<Object[]> normalized = new ArrayList<>();
    long index = 0;
    for (Object row : rows) {
      normalized.add(converter.convert(row, index++));
    }
    addFiles(normalized);
    rowsInserted += normalized.size();
    operation("WRITE", "mode", "Append");
    return this;
  }

  /** Appends rows already normalized (table-schema order). */
  void appendNormalized(List<Object[]> rows) {
    addFiles(rows);
    rowsInserted += rows.size();
  }

  private void addFiles(List<Object[]> normalized) {
    if (normalized.isEmpty()) {
      return;
    }
    for (DataFiles.Written w : dataFiles.write(base, normalized, table.options())) {
      added.put(w.add().path(), w);
    }
  }

  void operation(String name, String key, Object value) {
    if (!operations.contains(name)) {
      operations.add(name);
    }
    if (key != null) {
      operationParameters.put(key, value);
    }
  }

  @Override
  public long delete(Expression where) {
    checkOpen();
    BoundExpression predicate = BoundExpression.bindPredicate(where, schema);
    long deleted = rewrite(predicate, predicate::test, (row, out) -> { });
    rowsDeleted += deleted;
    operation("DELETE", "predicate", JsonText.of(List.of(where.toText())));
    return deleted;
  }

  @Override
  public long update(Expression where, Map<String, Expression> assignments) {
    checkOpen();
    BoundExpression predicate = BoundExpression.bindPredicate(where, schema);
    if (assignments.isEmpty()) {
      throw new InvalidExpressionException("update needs at least one assignment");
    }
    int[] targets = new int[assignments.size()];
    BoundExpression[] values = new BoundExpression[assignments.size()];
    int i = 0;
    for (Map.Entry<String, Expression> a : assignments.entrySet()) {
      int index = schema.indexOf(a.getKey());
      if (index < 0) {
        throw new NoSuchColumnException("table " + table.location() + " has no column '" + a.getKey()
            + "' to assign; its columns are " + schema.fieldNames());
      }
      Field f = schema.fields().get(index);
      values[i] = BoundExpression.bind(a.getValue(), schema);
      Assignments.checkAssignable(values[i].type(), f.type(), f.name());
      targets[i++] = index;
    }
    long updated = rewrite(predicate, predicate::test, (row, out) -> {
      Object[] next = row.clone();
      for (int k = 0; k < targets.length; k++) {
        Field f = schema.fields().get(targets[k]);
        next[targets[k]] = Assignments.convert(values[k].eval(row), f.type(), f.name());
      }
      out.add(next);
    });
    rowsUpdated += updated;
    operation("UPDATE", "predicate", JsonText.of(List.of(where.toText())));
    return updated;
  }

  /** What happens to a matching row: add its replacement(s) to {@code out}, or nothing to delete it. */
  interface RowChange {
    void apply(Object[] row, List<Object[]> out);
  }

  /**
   * Copy-on-write: every file that may hold rows matching {@code predicate} is read; files with
   * rows for which {@code matches} holds are replaced by files holding their other rows plus the
   * changed rows. {@code predicate} is recorded as read.
   *
   * @return the number of matching rows
   */
  long rewrite(BoundExpression predicate, java.util.function.Predicate<Object[]> matches, RowChange change) {
    recordRead(predicate);
    boolean[] allColumns = new boolean[schema.size()];
    java.util.Arrays.fill(allColumns, true);
    long matched = 0;
    for (AddFile f : viewFiles()) {
      if (!predicate.canMatch(new FileStatisticsView(schema, base.partitionColumns(), f))) {
        continue;
      }
      recordFileRead(f);
      List<Object[]> kept = new ArrayList<>();
      List<Object[]> changed = new ArrayList<>();
      long fileMatches = 0;
      try (CloseableIterator<Object[]> rows = dataFiles.read(base, f, allColumns)) {
        while (rows.hasNext()) {
          Object[] row = rows.next();
          boolean match;
          try {
            match = matches.test(row);
            if (match) {
              change.apply(row, changed);
            }
          } catch (ExpressionEvaluationException e) {
            throw new ExpressionEvaluationException(e.getMessage() + " (row " + describe(row) + ")");
          }
          if (match) {
            fileMatches++;
          } else {
            kept.add(row);
          }
        }
      }
      if (fileMatches == 0) {
        continue;
      }
      matched += fileMatches;
      kept.addAll(changed);
      replace(f, kept);
    }
    return matched;
  }

  private String describe(Object[] row) {
    Row r = Row.of(schema, row);
    String text = r.toString();
    return text.length() > 200 ? text.substring(0, 197) + "...}" : text;
  }

  /** Replaces a file of the view by files holding {@code rows} (read-form values, table order). */
  void replace(AddFile file, List<Object[]> rows) {
    if ("true".equalsIgnoreCase(base.metadata().configuration().get("delta.appendOnly"))) {
      // Checked before any replacement file is written, so nothing is left behind.
      throw new UnsupportedTableFeatureException("table " + table.location() + " is append-only (delta.appendOnly"
          + " = true): rows cannot be deleted or updated, only appended");
    }
    List<Object[]> normalized = new ArrayList<>(rows.size());
    RowConverter converter = new RowConverter(schema);
    long index = 0;
    for (Object[] row : rows) {
      try {
        normalized.add(converter.convert(Row.of(schema, row), index++));
      } catch (IllegalArgumentException e) {
        throw new InvalidRowException(index - 1, "", e.getMessage());
      }
    }
    addFiles(normalized);
    if (added.remove(file.path()) != null) {
      dataFiles.delete(List.of(file), base.version(), null); // our own uncommitted file
    } else {
      removed.put(file.path(), file);
    }
  }

  /** Adds to the row counts reported by the commit result. */
  void count(long updated, long deleted) {
    rowsUpdated += updated;
    rowsDeleted += deleted;
  }

  /** Commits a metadata (and protocol) change with this transaction; no data may be written in it. */
  void changeMetadata(Action.Metadata metadata, Action.Protocol protocol) {
    checkOpen();
    if (!added.isEmpty() || !removed.isEmpty()) {
      throw new IllegalStateException("a schema change cannot be combined with data changes in one transaction");
    }
    newMetadata = metadata;
    newProtocol = protocol;
  }

  @Override
  public Transaction idempotent(String appId, long version) {
    checkOpen();
    if (appId == null || appId.isEmpty()) {
      throw new IllegalArgumentException("appId must not be empty");
    }
    if (version < 0) {
      throw new IllegalArgumentException("version must not be negative: " + version);
    }
    this.appId = appId;
    this.appVersion = version;
    return this;
  }

  @Override
  public CommitResult commit() {
    checkOpen();
    long lastApp = appId == null ? -1 : base.appVersions().getOrDefault(appId, -1L);
    if (appId != null && lastApp >= appVersion) {
      return finishWithoutCommit();
    }
    if (newMetadata != null && (!added.isEmpty() || !removed.isEmpty())) {
      throw new IllegalStateException("a schema change cannot be combined with data changes in one transaction");
    }
    if (added.isEmpty() && removed.isEmpty() && appId == null && newMetadata == null) {
      return finishWithoutCommit();
    }
    long now = System.currentTimeMillis();
    boolean blind = readPredicates.isEmpty() && readFiles.isEmpty() && removed.isEmpty();
    List<Action> actions = new ArrayList<>(added.size() + removed.size() + 2);
    Map<String, Object> params = new LinkedHashMap<>(operationParameters);
    String op = newMetadata != null ? "CHANGE COLUMN" : operations.size() == 1 ? operations.get(0)
        : operations.isEmpty() ? "WRITE" : "TRANSACTION";
    actions.add(CommitInfos.create(op, params, blind, now, base.version()));
    if (newProtocol != null) {
      actions.add(newProtocol);
    }
    if (newMetadata != null) {
      actions.add(newMetadata);
    }
    if (appId != null) {
      actions.add(new SetTransaction(appId, appVersion, Optional.of(now)));
    }
    for (AddFile f : removed.values()) {
      actions.add(new RemoveFile(f.path(), now, true, f.partitionValues(), Optional.of(f.size())));
    }
    added.values().forEach(w -> actions.add(w.add()));
    ConflictChecker checker = new ConflictChecker(table.location(), appId == null ? Set.of() : Set.of(appId),
        readPredicates, readFiles, removed.keySet(), table.options().isolation(),
        add -> new FileStatisticsView(schema, base.partitionColumns(), add));
    try {
      Committer.Outcome outcome = Committer.commit(table.log(), base, actions, table.options().retryPolicy(), checker,
          added.values().stream().map(DataFiles.Written::file).toList());
      status = Status.COMMITTED;
      table.recordCommit(outcome);
      result = new CommitResult(outcome.version(), true, outcome.attempts(), 0, Duration.ofNanos(System.nanoTime() - start),
          added.size(), removed.size(), rowsInserted, rowsUpdated, rowsDeleted);
      return result;
    } catch (CommitOutcomeUnknownException e) {
      // The entry may be in the log: its files must stay.
      status = Status.COMMITTED;
      throw e;
    } catch (io.datashard.ConcurrentModificationException e) {
      table.recordConflict();
      throw e;
    }
  }

  private CommitResult finishWithoutCommit() {
    dataFiles.delete(addedFiles(), base.version(), null);
    added.clear();
    status = Status.COMMITTED;
    result = new CommitResult(base.version(), false, 0, 0, Duration.ofNanos(System.nanoTime() - start), 0, 0, 0, 0, 0);
    return result;
  }

  @Override
  public void close() {
    if (status == Status.OPEN) {
      status = Status.CLOSED;
      dataFiles.delete(addedFiles(), base.version(), null);
    }
  }

  private List<AddFile> addedFiles() {
    return added.values().stream().map(DataFiles.Written::add).toList();
  }

  private void checkOpen() {
    if (status != Status.OPEN) {
      throw new IllegalStateException("transaction on " + table.location() + " is " + status.name().toLowerCase(Locale.ROOT));
    }
  }
}
