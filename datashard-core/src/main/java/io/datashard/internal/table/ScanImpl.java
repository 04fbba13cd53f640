package io.datashard.internal.table;

import io.datashard.CloseableIterator;
import io.datashard.Expression;
import io.datashard.ExpressionEvaluationException;
import io.datashard.Expressions;
import io.datashard.Field;
import io.datashard.NoSuchColumnException;
import io.datashard.Row;
import io.datashard.Scan;
import io.datashard.Schema;
import io.datashard.StructType;
import io.datashard.internal.expr.BoundExpression;
import io.datashard.internal.log.Action.AddFile;
import io.datashard.internal.log.TableState;
import io.datashard.internal.parquet.ColumnMapping;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.OptionalLong;

/**
 * An immutable scan description. Reading resolves the snapshot (or the transaction's view), prunes
 * files by partition values and statistics, and streams the remaining files one at a time.
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

  @Override
  public long count() {
    TableState state = state();
    if (spec.where() == null && tx == null) {
      outputFields(state);
      OptionalLong fromStats = countFromStats(files(state));
      if (fromStats.isPresent()) {
        return spec.limit() >= 0 ? Math.min(fromStats.getAsLong(), spec.limit()) : fromStats.getAsLong();
      }
    }
    long total = 0;
    try (CloseableIterator<Row> it = iterator(state)) {
      while (it.hasNext()) {
        it.next();
        total++;
      }
    }
    return total;
  }

  /** The sum of {@code numRecords} less the rows deletion vectors delete, exact when every file records it. */
  private static OptionalLong countFromStats(Collection<AddFile> files) {
    long total = 0;
    for (AddFile f : files) {
      OptionalLong n = Stats.numRecords(f);
      if (n.isEmpty()) {
        return OptionalLong.empty();
      }
      total += n.getAsLong();
    }
    return OptionalLong.of(total);
  }

  @Override
  public CloseableIterator<Row> iterator() {
    return iterator(state());
  }

  private CloseableIterator<Row> iterator(TableState state) {
    StructType schema = state.schema().asStruct();
    StructType out = new StructType(outputFields(state));
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
    List<AddFile> candidates = new ArrayList<>();
    for (AddFile f : files(state)) {
      if (predicate == null || predicate.canMatch(new FileStatisticsView(schema, state.partitionColumns(), mapping, f))) {
        candidates.add(f);
      }
    }
    return new RowIterator(state, out, projection, needed, predicate, candidates.iterator(), spec.limit());
  }

  /** Streams the rows of the candidate files; only one file is open at a time. */
  private final class RowIterator implements CloseableIterator<Row> {
    private final TableState state;
    private final StructType outType;
    private final int[] projection;
    private final boolean[] needed;
    private final BoundExpression predicate;
    private final Iterator<AddFile> files;
    private final long limit;
    private CloseableIterator<Object[]> current;
    private long returned;
    private Row next;
    private boolean closed;

    RowIterator(TableState state, StructType outType, int[] projection, boolean[] needed, BoundExpression predicate,
        Iterator<AddFile> files, long limit) {
      this.state = state;
      this.outType = outType;
      this.projection = projection;
      this.needed = needed;
      this.predicate = predicate;
      this.files = files;
      this.limit = limit;
    }

    @Override
    public boolean hasNext() {
      if (next != null) {
        return true;
      }
      if (closed || (limit >= 0 && returned >= limit)) {
        return false;
      }
      while (true) {
        while (current != null && current.hasNext()) {
          Object[] row = current.next();
          boolean keep;
          try {
            keep = predicate == null || predicate.test(row);
          } catch (ExpressionEvaluationException e) {
            throw new ExpressionEvaluationException(e.getMessage() + " (row " + Row.of(state.schema().asStruct(), row) + ")");
          }
          if (keep) {
            Object[] values = new Object[projection.length];
            for (int i = 0; i < projection.length; i++) {
              values[i] = row[projection[i]];
            }
            next = Row.of(outType, values);
            return true;
          }
        }
        closeCurrent();
        if (!files.hasNext()) {
          return false;
        }
        AddFile f = files.next();
        if (tx != null) {
          tx.recordFileRead(f);
        }
        current = table.dataFiles().read(state, f, needed);
      }
    }

    @Override
    public Row next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      Row r = next;
      next = null;
      returned++;
      return r;
    }

    private void closeCurrent() {
      if (current != null) {
        CloseableIterator<Object[]> c = current;
        current = null;
        c.close();
      }
    }

    @Override
    public void close() {
      closed = true;
      next = null;
      closeCurrent();
    }
  }
}
