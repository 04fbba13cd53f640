package io.datashard.bench;

import io.delta.kernel.DataWriteContext;
import io.delta.kernel.Operation;
import io.delta.kernel.Scan;
import io.delta.kernel.ScanBuilder;
import io.delta.kernel.Snapshot;
import io.delta.kernel.Table;
import io.delta.kernel.TableManager;
import io.delta.kernel.Transaction;
import io.delta.kernel.TransactionBuilder;
import io.delta.kernel.TransactionCommitResult;
import io.delta.kernel.data.ColumnVector;
import io.delta.kernel.data.ColumnarBatch;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.data.Row;
import io.delta.kernel.defaults.engine.DefaultEngine;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.engine.FileReadResult;
import io.delta.kernel.exceptions.ConcurrentWriteException;
import io.delta.kernel.expressions.Column;
import io.delta.kernel.expressions.Literal;
import io.delta.kernel.expressions.Predicate;
import io.delta.kernel.hook.PostCommitHook;
import io.delta.kernel.internal.InternalScanFileUtils;
import io.delta.kernel.internal.data.ScanStateRow;
import io.delta.kernel.types.BooleanType;
import io.delta.kernel.types.DataType;
import io.delta.kernel.types.DoubleType;
import io.delta.kernel.types.IntegerType;
import io.delta.kernel.types.LongType;
import io.delta.kernel.types.StringType;
import io.delta.kernel.types.StructType;
import io.delta.kernel.types.TimestampType;
import io.delta.kernel.utils.CloseableIterable;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.DataFileStatus;
import io.delta.kernel.utils.FileStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;

/**
 * Delta Kernel 4.4.0 with its default engine, used as its documentation shows for connectors:
 * transaction builder, {@code transformLogicalData}, the engine's Parquet writer, {@code
 * generateAppendActions}, commit, then the post-commit hooks (checkpoints). Note that the default
 * engine's log store is safe only inside one JVM: its multi-process figures are marked unsafe.
 */
final class KernelTasks {
  private KernelTasks() {}

  private static final Engine ENGINE = DefaultEngine.create(new Configuration());
  private static final StructType APPEND_SCHEMA = new StructType()
      .add("w", IntegerType.INTEGER, false).add("i", LongType.LONG, false);
  private static final StructType BULK_SCHEMA = new StructType()
      .add("id", LongType.LONG, false).add("k", IntegerType.INTEGER).add("x", DoubleType.DOUBLE)
      .add("s", StringType.STRING).add("ts", TimestampType.TIMESTAMP).add("b", BooleanType.BOOLEAN);

  static Result run(String task, Params p, Runnable gate) throws Exception {
    return switch (task) {
      case "append-setup" -> {
        commit(p.str("dir"), Operation.CREATE_TABLE, APPEND_SCHEMA, List.of());
        yield Result.of("ok", 1);
      }
      case "append-worker" -> appendWorker(p, gate);
      case "bulk" -> bulk(p);
      case "scan" -> scan(p);
      case "latency" -> latency(p);
      default -> throw Child.unknownTask("kernel", task);
    };
  }

  /** One commit of the given batches (an empty list writes no data file), with conflict retries. */
  static long commit(String dir, Operation op, StructType schemaIfCreate, List<ColumnarBatch> batches) throws IOException {
    List<PostCommitHook> hooks = new ArrayList<>();
    long version = commit(dir, op, schemaIfCreate, batches, hooks);
    for (PostCommitHook hook : hooks) {
      hook.threadSafeInvoke(ENGINE);
    }
    return version;
  }

  /** As above, but hands the post-commit hooks to the caller instead of running them. */
  static long commit(String dir, Operation op, StructType schemaIfCreate, List<ColumnarBatch> batches,
      List<PostCommitHook> hooks) throws IOException {
    TransactionBuilder tb = Table.forPath(ENGINE, dir).createTransactionBuilder(ENGINE, "datashard-bench", op);
    if (op == Operation.CREATE_TABLE) {
      tb = tb.withSchema(ENGINE, schemaIfCreate);
    }
    Transaction txn = tb.build(ENGINE);
    Row state = txn.getTransactionState(ENGINE);
    List<Row> actions = new ArrayList<>();
    if (!batches.isEmpty()) {
      CloseableIterator<FilteredColumnarBatch> logical =
          iterator(batches.stream().map(b -> new FilteredColumnarBatch(b, Optional.empty())).iterator());
      CloseableIterator<FilteredColumnarBatch> physical = Transaction.transformLogicalData(ENGINE, state, logical, Map.of());
      DataWriteContext ctx = Transaction.getWriteContext(ENGINE, state, Map.of());
      CloseableIterator<DataFileStatus> files =
          ENGINE.getParquetHandler().writeParquetFiles(ctx.getTargetDirectory(), physical, ctx.getStatisticsColumns());
      try (CloseableIterator<Row> a = Transaction.generateAppendActions(ENGINE, state, files, ctx)) {
        a.forEachRemaining(actions::add);
      }
    }
    TransactionCommitResult r = txn.commit(ENGINE, CloseableIterable.inMemoryIterable(iterator(actions.iterator())));
    hooks.addAll(r.getPostCommitHooks());
    return r.getVersion();
  }

  private static Result appendWorker(Params p, Runnable gate) throws IOException {
    long ops = p.lng("ops");
    int w = p.integer("worker");
    String dir = p.str("dir");
    TableManager.loadSnapshot(dir).build(ENGINE);
    gate.run();
    long retries = 0;
    for (long i = 0; i < ops; i++) {
      ColumnarBatch one = batch(APPEND_SCHEMA, 1, new int[] {w}, new long[] {i});
      while (true) {
        try {
          commit(dir, Operation.WRITE, null, List.of(one));
          break;
        } catch (ConcurrentWriteException e) {
          retries++;
        }
      }
    }
    return Result.of("ops", ops, "retries", retries);
  }

  private static Result bulk(Params p) throws IOException {
    long total = p.lng("rows");
    int commits = p.integer("commits");
    String dir = p.str("dir");
    int batchRows = 8192;
    long start = System.nanoTime();
    commit(dir, Operation.CREATE_TABLE, BULK_SCHEMA, List.of());
    for (int c = 0; c < commits; c++) {
      long from = BenchData.from(total, commits, c);
      long to = BenchData.from(total, commits, c + 1);
      // Batches are generated lazily as the writer pulls them.
      Iterator<ColumnarBatch> batches = new Iterator<>() {
        long next = from;

        @Override
        public boolean hasNext() {
          return next < to;
        }

        @Override
        public ColumnarBatch next() {
          int n = (int) Math.min(batchRows, to - next);
          long[] id = new long[n];
          int[] k = new int[n];
          double[] x = new double[n];
          String[] s = new String[n];
          long[] ts = new long[n];
          boolean[] b = new boolean[n];
          for (int r = 0; r < n; r++) {
            long v = next + r;
            id[r] = v;
            k[r] = BenchData.k(v);
            x[r] = BenchData.x(v);
            s[r] = BenchData.s(v);
            ts[r] = BenchData.tsMicros(v);
            b[r] = BenchData.b(v);
          }
          next += n;
          return batch(BULK_SCHEMA, n, id, k, x, s, ts, b);
        }
      };
      commitLazy(dir, batches);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    Timing.Check check = read(dir, "full", total);
    return Result.of("seconds", seconds, "rows", check.rows());
  }

  private static void commitLazy(String dir, Iterator<ColumnarBatch> batches) throws IOException {
    Transaction txn = Table.forPath(ENGINE, dir).createTransactionBuilder(ENGINE, "datashard-bench", Operation.WRITE)
        .build(ENGINE);
    Row state = txn.getTransactionState(ENGINE);
    CloseableIterator<FilteredColumnarBatch> logical = iterator(new Iterator<>() {
      @Override
      public boolean hasNext() {
        return batches.hasNext();
      }

      @Override
      public FilteredColumnarBatch next() {
        return new FilteredColumnarBatch(batches.next(), Optional.empty());
      }
    });
    CloseableIterator<FilteredColumnarBatch> physical = Transaction.transformLogicalData(ENGINE, state, logical, Map.of());
    DataWriteContext ctx = Transaction.getWriteContext(ENGINE, state, Map.of());
    CloseableIterator<DataFileStatus> files =
        ENGINE.getParquetHandler().writeParquetFiles(ctx.getTargetDirectory(), physical, ctx.getStatisticsColumns());
    List<Row> actions = new ArrayList<>();
    try (CloseableIterator<Row> a = Transaction.generateAppendActions(ENGINE, state, files, ctx)) {
      a.forEachRemaining(actions::add);
    }
    TransactionCommitResult r = txn.commit(ENGINE, CloseableIterable.inMemoryIterable(iterator(actions.iterator())));
    for (PostCommitHook hook : r.getPostCommitHooks()) {
      hook.threadSafeInvoke(ENGINE);
    }
  }

  private static Result scan(Params p) {
    long total = p.lng("rows");
    String dir = p.str("dir");
    String query = p.str("query");
    return Timing.repeat(p.integer("reps"), () -> {
      try {
        return read(dir, query, total);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  /**
   * Kernel's scan flow: snapshot, scan files (with the predicate for data skipping), the
   * engine's Parquet reader, {@code transformPhysicalData}; the remaining filter is evaluated
   * on each row here, as a connector does.
   */
  static Timing.Check read(String dir, String query, long total) throws IOException {
    Snapshot snapshot = TableManager.loadSnapshot(dir).build(ENGINE);
    ScanBuilder sb = snapshot.getScanBuilder();
    long[] range = BenchData.selectiveRange(total);
    boolean select = query.equals("select");
    if (query.equals("project")) {
      StructType full = snapshot.getSchema();
      sb = sb.withReadSchema(new StructType().add(full.get("id")).add(full.get("x")));
    } else if (select) {
      Column id = new Column("id");
      sb = sb.withFilter(new Predicate("AND", new Predicate(">=", id, Literal.ofLong(range[0])),
          new Predicate("<", id, Literal.ofLong(range[1]))));
    }
    Scan scan = sb.build();
    Row scanState = scan.getScanState(ENGINE);
    StructType physical = ScanStateRow.getPhysicalDataReadSchema(scanState);
    long rows = 0;
    long sumId = 0;
    long nonNull = 0;
    try (CloseableIterator<FilteredColumnarBatch> scanFiles = scan.getScanFiles(ENGINE)) {
      while (scanFiles.hasNext()) {
        try (CloseableIterator<Row> fileRows = scanFiles.next().getRows()) {
          while (fileRows.hasNext()) {
            Row fileRow = fileRows.next();
            FileStatus file = InternalScanFileUtils.getAddFileStatus(fileRow);
            CloseableIterator<ColumnarBatch> data = ENGINE.getParquetHandler()
                .readParquetFiles(iterator(List.of(file).iterator()), physical, Optional.empty())
                .map(FileReadResult::getData);
            try (CloseableIterator<FilteredColumnarBatch> logical =
                Scan.transformPhysicalData(ENGINE, scanState, fileRow, data)) {
              while (logical.hasNext()) {
                FilteredColumnarBatch fb = logical.next();
                ColumnarBatch b = fb.getData();
                ColumnVector sel = fb.getSelectionVector().orElse(null);
                int columns = b.getSchema().length();
                ColumnVector[] vs = new ColumnVector[columns];
                DataType[] types = new DataType[columns];
                int idIndex = b.getSchema().indexOf("id");
                for (int c = 0; c < columns; c++) {
                  vs[c] = b.getColumnVector(c);
                  types[c] = b.getSchema().at(c).getDataType();
                }
                for (int r = 0, n = b.getSize(); r < n; r++) {
                  if (sel != null && (sel.isNullAt(r) || !sel.getBoolean(r))) {
                    continue;
                  }
                  long id = vs[idIndex].getLong(r);
                  if (select && (id < range[0] || id >= range[1])) {
                    continue;
                  }
                  rows++;
                  sumId += id;
                  for (int c = 0; c < columns; c++) {
                    if (!vs[c].isNullAt(r) && value(vs[c], types[c], r) != null) {
                      nonNull++;
                    }
                  }
                }
              }
            }
          }
        }
      }
    }
    return new Timing.Check(rows, sumId, nonNull);
  }

  private static Object value(ColumnVector v, DataType t, int r) {
    if (t instanceof LongType || t instanceof TimestampType) {
      return v.getLong(r);
    } else if (t instanceof IntegerType) {
      return v.getInt(r);
    } else if (t instanceof DoubleType) {
      return v.getDouble(r);
    } else if (t instanceof StringType) {
      return v.getString(r);
    } else if (t instanceof BooleanType) {
      return v.getBoolean(r);
    }
    throw new IllegalArgumentException("unexpected type " + t);
  }

  /**
   * {@code phase=open}: median time to load the latest snapshot and its schema; {@code
   * phase=commit}: of a one-row append (transaction, data file, commit). The post-commit hooks
   * (checkpoint, checksum) run after each timed commit, outside the timing.
   */
  private static Result latency(Params p) throws IOException {
    String dir = p.str("dir");
    int reps = p.integer("reps");
    List<Double> times = new ArrayList<>();
    long version = -1;
    if (p.str("phase").equals("open")) {
      for (int i = 0; i < 3; i++) {
        TableManager.loadSnapshot(dir).build(ENGINE).getSchema();
      }
      for (int i = 0; i < reps; i++) {
        long s = System.nanoTime();
        Snapshot snap = TableManager.loadSnapshot(dir).build(ENGINE);
        snap.getSchema();
        version = snap.getVersion();
        times.add((System.nanoTime() - s) / 1e6);
      }
    } else {
      version = commit(dir, Operation.WRITE, null, List.of(batch(APPEND_SCHEMA, 1, new int[] {-3}, new long[] {-1})));
      for (int i = 0; i < reps; i++) {
        ColumnarBatch one = batch(APPEND_SCHEMA, 1, new int[] {-3}, new long[] {i});
        List<PostCommitHook> hooks = new ArrayList<>();
        long s = System.nanoTime();
        commit(dir, Operation.WRITE, null, List.of(one), hooks);
        times.add((System.nanoTime() - s) / 1e6);
        for (PostCommitHook hook : hooks) {
          hook.threadSafeInvoke(ENGINE);
        }
      }
    }
    return Result.of("version", version, "ms", Timing.median(times));
  }

  static <T> CloseableIterator<T> iterator(Iterator<T> it) {
    return new CloseableIterator<>() {
      @Override
      public boolean hasNext() {
        return it.hasNext();
      }

      @Override
      public T next() {
        return it.next();
      }

      @Override
      public void close() {}
    };
  }

  /** A batch of {@code size} rows over primitive arrays (one per column, no nulls). */
  static ColumnarBatch batch(StructType schema, int size, Object... columns) {
    ColumnVector[] vectors = new ColumnVector[columns.length];
    for (int c = 0; c < columns.length; c++) {
      DataType type = schema.at(c).getDataType();
      Object col = columns[c];
      vectors[c] = new ColumnVector() {
        @Override
        public DataType getDataType() {
          return type;
        }

        @Override
        public int getSize() {
          return size;
        }

        @Override
        public void close() {}

        @Override
        public boolean isNullAt(int row) {
          return false;
        }

        @Override
        public long getLong(int row) {
          return ((long[]) col)[row];
        }

        @Override
        public int getInt(int row) {
          return ((int[]) col)[row];
        }

        @Override
        public double getDouble(int row) {
          return ((double[]) col)[row];
        }

        @Override
        public String getString(int row) {
          return ((String[]) col)[row];
        }

        @Override
        public boolean getBoolean(int row) {
          return ((boolean[]) col)[row];
        }
      };
    }
    return new ColumnarBatch() {
      @Override
      public StructType getSchema() {
        return schema;
      }

      @Override
      public ColumnVector getColumnVector(int ordinal) {
        return vectors[ordinal];
      }

      @Override
      public int getSize() {
        return size;
      }
    };
  }
}
