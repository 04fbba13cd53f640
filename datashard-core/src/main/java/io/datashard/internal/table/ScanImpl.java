package io.datashard.internal.table;

import io.datashard.CloseableIterator;
import io.datashard.Expression;
import io.datashard.ExpressionEvaluationException;
import io.datashard.Expressions;
import io.datashard.Field;
import io.datashard.NoSuchColumnException;
import io.datashard.Row;
import io.datashard.Scan;
import io.datashard.ScanReport;
import io.datashard.Schema;
import io.datashard.StructType;
import io.datashard.internal.expr.BoundExpression;
import io.datashard.internal.log.Action.AddFile;
import io.datashard.internal.log.TableState;
import io.datashard.internal.parquet.ColumnMapping;
import io.datashard.internal.parquet.ReadMetrics;
import io.datashard.internal.parquet.RowGroupFilter;
import io.datashard.internal.rows.TrustedRows;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * An immutable scan description. Reading resolves the snapshot (or the transaction's view), prunes
 * files by partition values and statistics, and streams the remaining files, skipping the row
 * groups their statistics exclude.
 */
final class ScanImpl implements Scan {
  /** Which snapshot, which columns, which rows, how many. */
  record Spec(Long version, Instant asOf, List<String> columns, Expression where, long limit) {
    static final Spec LATEST = new Spec(null, null, null, null, -1);
  }

  private final TableImpl table;
  private final Spec spec;
  /** The transaction whose view is read and whose read set is recorded, or null. */
  private final TransactionImpl tx;

  ScanImpl(TableImpl table, Spec spec, TransactionImpl tx) {
    this.table = table;
    this.spec = spec;
    this.tx = tx;
  }

  private ScanImpl with(Spec s) {
    return new ScanImpl(table, s, tx);
  }

  @Override
  public Scan where(Expression predicate) {
    Expression combined = spec.where() == null ? predicate : Expressions.and(spec.where(), predicate);
    return with(new Spec(spec.version(), spec.asOf(), spec.columns(), combined, spec.limit()));
  }

  @Override
  public Scan select(String... columns) {
    return select(List.of(columns));
  }

  @Override
  public Scan select(List<String> columns) {
    if (columns.isEmpty()) {
      throw new IllegalArgumentException("select needs at least one column");
    }
    return with(new Spec(spec.version(), spec.asOf(), List.copyOf(columns), spec.where(), spec.limit()));
  }

  @Override
  public Scan useSnapshot(long version) {
    requireNoTransaction();
    return with(new Spec(version, null, spec.columns(), spec.where(), spec.limit()));
  }

  @Override
  public Scan asOf(Instant instant) {
    requireNoTransaction();
    return with(new Spec(null, instant, spec.columns(), spec.where(), spec.limit()));
  }

  private void requireNoTransaction() {
    if (tx != null) {
      throw new IllegalStateException("a transaction's scan reads the transaction's snapshot; time travel is not possible");
    }
  }

  @Override
  public Scan limit(long rows) {
    if (rows < 0) {
      throw new IllegalArgumentException("limit must not be negative: " + rows);
    }
    return with(new Spec(spec.version(), spec.asOf(), spec.columns(), spec.where(), rows));
  }

  private TableState state() {
    if (tx != null) {
      return tx.base();
    }
    if (spec.version() != null) {
      return table.stateAt(spec.version());
    }
    if (spec.asOf() != null) {
      return table.stateAt(table.versionAsOf(spec.asOf()));
    }
    return table.refresh();
  }

  private Collection<AddFile> files(TableState state) {
    return tx != null ? tx.viewFiles() : state.files().values();
  }

  private List<Field> outputFields(TableState state) {
    Schema schema = state.schema();
    if (spec.columns() == null) {
      return schema.fields();
    }
    List<Field> fields = new ArrayList<>();
    for (String c : spec.columns()) {
      fields.add(schema.field(c).orElseThrow(() -> new NoSuchColumnException("table " + table.location()
          + " has no column '" + c + "'; its columns are " + schema.fieldNames())));
    }
    return fields;
  }

  @Override
  public Schema schema() {
    return new Schema(outputFields(state()));
  }

  /**
   * Counts from file statistics where they decide: files the predicate cannot match are skipped,
   * files where it provably holds for every row add their {@code numRecords}, and only the rest are
   * read. A transaction's scan reads every candidate file, so that its read set is recorded.
   */
  @Override
  public long count() {
    TableState state = state();
    Plan plan = plan(state, true);
    if (spec.limit() >= 0 && plan.rowsFromStats() >= spec.limit()) {
      return spec.limit();
    }
    long total = plan.rowsFromStats();
    try (CloseableIterator<Row> it = rows(state, plan, new ReadMetrics())) {
      while (it.hasNext() && (spec.limit() < 0 || total < spec.limit())) {
        it.next();
        total++;
      }
    }
    return total;
  }

  @Override
  public CloseableIterator<Row> iterator() {
    return iterator(state(), new ReadMetrics());
  }

  @Override
  public ScanReport explain() {
    long start = System.nanoTime();
    TableState state = state();
    ReadMetrics metrics = new ReadMetrics();
    Plan plan = plan(state, false);
    long rows = 0;
    try (CloseableIterator<Row> it = rows(state, plan, metrics)) {
      while (it.hasNext()) {
        it.next();
        rows++;
      }
    }
    return new ScanReport(state.version(), plan.filesTotal(), plan.filesTotal() - plan.candidates().size(),
        metrics.rowGroupsTotal(), metrics.rowGroupsSkipped(), metrics.bytesRead(), rows,
        Duration.ofNanos(System.nanoTime() - start));
  }

  private CloseableIterator<Row> iterator(TableState state, ReadMetrics metrics) {
    return rows(state, plan(state, false), metrics);
  }

  /**
   * What to read: the output columns, the columns to read for them and for the predicate, and the
   * files the predicate may match. For a count, files whose statistics prove every row matches are
   * not read but counted in {@code rowsFromStats}.
   */
  private record Plan(StructType out, int[] projection, boolean[] needed, BoundExpression predicate,
      List<AddFile> candidates, long filesTotal, long rowsFromStats) {}

  /**
   * Plans the scan; one pass over the snapshot's files, reading each file's statistics once.
   *
   * @param forCount no output columns (only the predicate's are read), and counts from statistics
   *     where they decide; a transaction's scan reads every candidate, so that its read set is recorded
   */
  private Plan plan(TableState state, boolean forCount) {
    StructType schema = state.schema().asStruct();
    List<Field> selected = outputFields(state); // also refuses unknown selected columns for a count
    StructType out = new StructType(forCount ? List.of() : selected);
    BoundExpression predicate = spec.where() == null ? null : BoundExpression.bindPredicate(spec.where(), schema);
    if (tx != null) {
      tx.recordRead(predicate != null ? predicate : BoundExpression.bindPredicate(Expressions.alwaysTrue(), schema));
    }
    boolean[] needed = new boolean[schema.size()];
    int[] projection = new int[out.size()];
    for (int i = 0; i < out.size(); i++) {
      projection[i] = schema.indexOf(out.fields().get(i).name());
      needed[projection[i]] = true;
    }
    if (predicate != null) {
      for (List<String> path : predicate.columns()) {
        needed[schema.indexOf(path.get(0))] = true;
      }
    }
    ColumnMapping mapping = ColumnMapping.of(state.metadata().configuration(), table.location());
    boolean countFromStats = forCount && tx == null;
    List<AddFile> candidates = new ArrayList<>();
    long total = 0;
    long rowsFromStats = 0;
    for (AddFile f : files(state)) {
      total++;
      FileStatisticsView stats = predicate == null ? null
          : new FileStatisticsView(schema, state.partitionColumns(), mapping, f);
      if (stats != null && !predicate.canMatch(stats)) {
        continue;
      }
      OptionalLong n = countFromStats ? Stats.numRecords(f) : OptionalLong.empty();
      if (n.isPresent() && (stats == null || predicate.matchesAll(stats))) {
        rowsFromStats += n.getAsLong();
      } else {
        candidates.add(f);
      }
    }
    return new Plan(out, projection, needed, predicate, candidates, total, rowsFromStats);
  }

  /**
   * The matching rows of the candidate files, in file order. With more than one candidate and more
   * than one scan thread, files are read ahead on a bounded pool; either way the limit stops
   * reading as soon as it is reached.
   */
  private CloseableIterator<Row> rows(TableState state, Plan plan, ReadMetrics metrics) {
    Optional<RowGroupFilter> filter = plan.predicate() == null ? Optional.empty()
        : Optional.of(RowGroupFilter.matching(plan.predicate(), state.schema().asStruct()));
    Function<AddFile, CloseableIterator<Row>> fileRows = f -> new FileRows(state, plan,
        table.dataFiles().read(state, f, plan.needed(), filter, metrics));
    Consumer<AddFile> onStart = f -> {
      if (tx != null) {
        tx.recordFileRead(f);
      }
    };
    int threads = Math.min(table.options().scanThreads(), plan.candidates().size());
    CloseableIterator<Row> rows = threads > 1
        ? new ReadAhead<>(plan.candidates(), fileRows, onStart, threads, "datashard-scan")
        : new Concatenation(plan.candidates().iterator(), fileRows, onStart);
    return spec.limit() >= 0 ? new Limited(rows, spec.limit()) : rows;
  }

  /** The rows of one file that satisfy the predicate, projected to the output columns. */
  private static final class FileRows implements CloseableIterator<Row> {
    private final TableState state;
    private final Plan plan;
    private final CloseableIterator<Object[]> file;
    private Row next;

    FileRows(TableState state, Plan plan, CloseableIterator<Object[]> file) {
      this.state = state;
      this.plan = plan;
      this.file = file;
    }

    @Override
    public boolean hasNext() {
      while (next == null && file.hasNext()) {
        Object[] row = file.next();
        boolean keep;
        try {
          keep = plan.predicate() == null || plan.predicate().test(row);
        } catch (ExpressionEvaluationException e) {
          throw new ExpressionEvaluationException(e.getMessage() + " (row " + Row.of(state.schema().asStruct(), row) + ")");
        }
        if (keep) {
          int[] projection = plan.projection();
          Object[] values = new Object[projection.length];
          for (int i = 0; i < projection.length; i++) {
            values[i] = row[projection[i]];
          }
          next = TrustedRows.of(plan.out(), values);
        }
      }
      return next != null;
    }

    @Override
    public Row next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      Row r = next;
      next = null;
      return r;
    }

    @Override
    public void close() {
      file.close();
    }
  }

  /** Reads the files one after another on the caller's thread; one file is open at a time. */
  private static final class Concatenation implements CloseableIterator<Row> {
    private final Iterator<AddFile> files;
    private final Function<AddFile, CloseableIterator<Row>> open;
    private final Consumer<AddFile> onStart;
    private CloseableIterator<Row> current;
    private boolean closed;

    Concatenation(Iterator<AddFile> files, Function<AddFile, CloseableIterator<Row>> open, Consumer<AddFile> onStart) {
      this.files = files;
      this.open = open;
      this.onStart = onStart;
    }

    @Override
    public boolean hasNext() {
      while (!closed && (current == null || !current.hasNext())) {
        closeCurrent();
        if (!files.hasNext()) {
          return false;
        }
        AddFile f = files.next();
        onStart.accept(f);
        current = open.apply(f);
      }
      return !closed;
    }

    @Override
    public Row next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      return current.next();
    }

    private void closeCurrent() {
      if (current != null) {
        CloseableIterator<Row> c = current;
        current = null;
        c.close();
      }
    }

    @Override
    public void close() {
      closed = true;
      closeCurrent();
    }
  }

  /** Stops after {@code limit} rows, closing the rows underneath so no more is read. */
  private static final class Limited implements CloseableIterator<Row> {
    private final CloseableIterator<Row> rows;
    private final long limit;
    private long returned;

    Limited(CloseableIterator<Row> rows, long limit) {
      this.rows = rows;
      this.limit = limit;
    }

    @Override
    public boolean hasNext() {
      if (returned >= limit) {
        rows.close();
        return false;
      }
      return rows.hasNext();
    }

    @Override
    public Row next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      returned++;
      return rows.next();
    }

    @Override
    public void close() {
      rows.close();
    }
  }
}
