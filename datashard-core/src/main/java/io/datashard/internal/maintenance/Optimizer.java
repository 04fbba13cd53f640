package io.datashard.internal.maintenance;

import io.datashard.CloseableIterator;
import io.datashard.CommitFailedException;
import io.datashard.CommitOutcomeUnknownException;
import io.datashard.ConcurrentDeleteDeleteException;
import io.datashard.DataType;
import io.datashard.DecimalType;
import io.datashard.Expression;
import io.datashard.Field;
import io.datashard.InvalidExpressionException;
import io.datashard.NoSuchColumnException;
import io.datashard.OptimizeBuilder;
import io.datashard.OptimizeResult;
import io.datashard.PrimitiveType;
import io.datashard.ProgressListener;
import io.datashard.RetryPolicy;
import io.datashard.StructType;
import io.datashard.internal.commit.Committer;
import io.datashard.internal.commit.ConflictChecker;
import io.datashard.internal.expr.BoundExpression;
import io.datashard.internal.log.Action;
import io.datashard.internal.log.Action.AddFile;
import io.datashard.internal.log.Action.RemoveFile;
import io.datashard.internal.log.TableState;
import io.datashard.internal.table.CommitInfos;
import io.datashard.internal.table.DataFiles;
import io.datashard.internal.table.FileStatisticsView;
import io.datashard.internal.table.JsonText;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;

/**
 * Compaction ({@link OptimizeBuilder}): plans bins of small files per partition, rewrites each bin
 * as one file (rows unchanged, optionally sorted) and commits all bins in one {@code dataChange=false}
 * commit. Planning is deterministic: files are ordered by size, then path.
 */
public final class Optimizer implements OptimizeBuilder {
  private final TableContext table;
  private Expression where;
  private long targetFileSize = DEFAULT_TARGET_FILE_SIZE;
  private List<String> sortBy = List.of();
  private ProgressListener progress = ProgressListener.NONE;
  /** Set once the commit is in the log: from then on no file of it may be deleted. */
  private boolean committed;

  public Optimizer(TableContext table) {
    this.table = table;
  }

  @Override
  public OptimizeBuilder where(Expression predicate) {
    this.where = Objects.requireNonNull(predicate, "predicate");
    return this;
  }

  @Override
  public OptimizeBuilder targetFileSize(long bytes) {
    if (bytes <= 0) {
      throw new IllegalArgumentException("target file size must be positive, got " + bytes);
    }
    this.targetFileSize = bytes;
    return this;
  }

  @Override
  public OptimizeBuilder sortBy(String... columns) {
    this.sortBy = List.of(columns);
    return this;
  }

  @Override
  public OptimizeBuilder progress(ProgressListener listener) {
    this.progress = Objects.requireNonNull(listener, "listener");
    return this;
  }

  /** A group of files of one partition rewritten as one file, and what it was rewritten to. */
  private record Bin(Map<String, String> partition, List<AddFile> inputs, List<DataFiles.Written> outputs, long rows) {}

  @Override
  public OptimizeResult commit() {
    long start = System.nanoTime();
    TableState base = table.refresh().get();
    StructType schema = base.schema().asStruct();
    BoundExpression predicate = where == null ? null : BoundExpression.bindPredicate(where, schema);
    Comparator<Object[]> order = rowOrder(schema);
    List<List<AddFile>> plan = plan(base, schema, predicate);
    List<Bin> bins = new ArrayList<>();
    try {
      long total = plan.stream().mapToLong(List::size).sum();
      long done = 0;
      for (List<AddFile> inputs : plan) {
        bins.add(rewrite(base, schema, inputs, order));
        done += inputs.size();
        progress.progress("rewriting files", done, total);
      }
      return commitBins(base, bins, start);
    } catch (CommitOutcomeUnknownException e) {
      throw e; // the entry may be in the log: its files must stay
    } catch (RuntimeException e) {
      if (!committed) {
        deleteOutputs(bins, base.version(), e);
      }
      throw e;
    }
  }

  private List<List<AddFile>> plan(TableState base, StructType schema, BoundExpression predicate) {
    Map<Map<String, String>, List<AddFile>> byPartition = new LinkedHashMap<>();
    for (AddFile f : base.files().values()) {
      if (f.size() >= targetFileSize) {
        continue;
      }
      if (predicate != null && !predicate.canMatch(new FileStatisticsView(schema, base.partitionColumns(), f))) {
        continue;
      }
      byPartition.computeIfAbsent(f.partitionValues(), k -> new ArrayList<>()).add(f);
    }
    List<List<AddFile>> bins = new ArrayList<>();
    for (List<AddFile> files : byPartition.values()) {
      files.sort(Comparator.comparingLong(AddFile::size).thenComparing(AddFile::path));
      List<AddFile> bin = new ArrayList<>();
      long size = 0;
      for (AddFile f : files) {
        if (!bin.isEmpty() && size + f.size() > targetFileSize) {
          addIfWorthIt(bins, bin);
          bin = new ArrayList<>();
          size = 0;
        }
        bin.add(f);
        size += f.size();
      }
      addIfWorthIt(bins, bin);
    }
    return bins;
  }

  private static void addIfWorthIt(List<List<AddFile>> bins, List<AddFile> bin) {
    if (bin.size() >= 2) {
      bins.add(bin);
    }
  }

  private Bin rewrite(TableState base, StructType schema, List<AddFile> inputs, Comparator<Object[]> order) {
    boolean[] all = new boolean[schema.size()];
    Arrays.fill(all, true);
    List<Object[]> rows = new ArrayList<>();
    for (AddFile f : inputs) {
      try (CloseableIterator<Object[]> it = table.dataFiles().read(base, f, all)) {
        it.forEachRemaining(rows::add);
      }
    }
    if (order != null) {
      rows.sort(order);
    }
    // Rows read back are in read form; the writer takes the same form it was given at append time.
    List<Object[]> normalized = new ArrayList<>(rows.size());
    io.datashard.internal.rows.RowConverter converter = new io.datashard.internal.rows.RowConverter(schema);
    long index = 0;
    for (Object[] row : rows) {
      normalized.add(converter.convert(io.datashard.Row.of(schema, row), index++));
    }
    List<DataFiles.Written> outputs = table.dataFiles().write(base, normalized, table.options());
    return new Bin(inputs.get(0).partitionValues(), inputs, outputs, rows.size());
  }

  private Comparator<Object[]> rowOrder(StructType schema) {
    if (sortBy.isEmpty()) {
      return null;
    }
    Comparator<Object[]> order = null;
    for (String column : sortBy) {
      int index = schema.indexOf(column);
      if (index < 0) {
        throw new NoSuchColumnException("table " + table.location() + " has no column '" + column + "' to sort by;"
            + " its columns are " + schema.fieldNames());
      }
      DataType type = schema.fields().get(index).type();
      if (!(type instanceof PrimitiveType) && !(type instanceof DecimalType)) {
        throw new InvalidExpressionException("cannot sort by column '" + column + "' of type " + type.toText()
            + " (only primitive columns have an order)");
      }
      Comparator<Object[]> c = (a, b) -> {
        Object x = a[index];
        Object y = b[index];
        if (x == null || y == null) {
          return x == null ? (y == null ? 0 : -1) : 1;
        }
        return BoundExpression.compareValues(x, y, type);
      };
      order = order == null ? c : order.thenComparing(c);
    }
    return order;
  }

  private OptimizeResult commitBins(TableState firstBase, List<Bin> initial, long start) {
    RetryPolicy policy = table.options().retryPolicy();
    TableState base = firstBase;
    List<Bin> bins = new ArrayList<>(initial);
    long skipped = 0;
    int attempts = 0;
    while (true) {
      if (bins.isEmpty()) {
        return result(OptionalLong.empty(), List.of(), skipped, attempts, start);
      }
      attempts++;
      long now = System.currentTimeMillis();
      List<Action> actions = new ArrayList<>();
      Map<String, Object> params = new LinkedHashMap<>();
      params.put("predicate", JsonText.of(where == null ? List.of() : List.of(where.toText())));
      params.put("zOrderBy", "[]");
      params.put("sortBy", JsonText.of(sortBy));
      params.put("targetFileSize", Long.toString(targetFileSize));
      actions.add(CommitInfos.create("OPTIMIZE", params, false, now, base.version()));
      List<String> removed = new ArrayList<>();
      List<io.datashard.storage.NewFile> newFiles = new ArrayList<>();
      for (Bin b : bins) {
        for (AddFile f : b.inputs()) {
          actions.add(new RemoveFile(f.path(), now, false, f.partitionValues(), java.util.Optional.of(f.size())));
          removed.add(f.path());
        }
      }
      for (Bin b : bins) {
        for (DataFiles.Written w : b.outputs()) {
          AddFile a = w.add();
          actions.add(new AddFile(a.path(), a.partitionValues(), a.size(), a.modificationTime(), false, a.stats()));
          newFiles.add(w.file());
        }
      }
      StructType schema = base.schema().asStruct();
      List<String> partitionColumns = base.partitionColumns();
      // Compaction reads nothing a concurrent append could change: it conflicts only when a winner
      // removed one of its inputs (and on metadata, protocol changes).
      ConflictChecker checker = new ConflictChecker(table.location(), Set.of(), List.of(), Set.of(),
          Set.copyOf(removed), table.options().isolation(), add -> new FileStatisticsView(schema, partitionColumns, add));
      Committer.Outcome outcome;
      try {
        outcome = Committer.commit(table.log(), base, actions, policy, checker, newFiles);
      } catch (ConcurrentDeleteDeleteException e) {
        if (attempts >= policy.maxAttempts()) {
          CommitFailedException failure = new CommitFailedException("table " + table.location() + ": optimize gave up"
              + " after " + attempts + " attempts, each conflicting with a concurrent commit that removed one of its"
              + " files; last: " + e.getMessage(), attempts);
          failure.initCause(e);
          throw failure;
        }
        // Skip the bins a concurrent commit took files from; commit the others on the newer version.
        base = table.refresh().get();
        Map<String, AddFile> live = base.files();
        List<Bin> kept = new ArrayList<>();
        for (Bin b : bins) {
          if (b.inputs().stream().allMatch(f -> live.containsKey(f.path()))) {
            kept.add(b);
          } else {
            skipped++;
            deleteOutputs(List.of(b), base.version(), null);
          }
        }
        bins = kept;
        LockSupport.parkNanos(policy.delayAfter(attempts, ThreadLocalRandom.current().nextDouble()).toNanos());
        continue;
      } catch (RuntimeException e) {
        initial.retainAll(bins); // only the bins not yet deleted
        throw e;
      }
      committed = true;
      table.onCommit().accept(outcome);
      // Earlier rounds each ended in one conflicting attempt; the last took the committer's attempts.
      return result(OptionalLong.of(outcome.version()), bins, skipped, attempts - 1 + outcome.attempts(), start);
    }
  }

  private OptimizeResult result(OptionalLong version, List<Bin> bins, long skipped, int attempts, long start) {
    long removed = 0;
    long added = 0;
    long bytesRemoved = 0;
    long bytesAdded = 0;
    long rows = 0;
    java.util.Set<Map<String, String>> partitions = new java.util.HashSet<>();
    for (Bin b : bins) {
      removed += b.inputs().size();
      bytesRemoved += b.inputs().stream().mapToLong(AddFile::size).sum();
      added += b.outputs().size();
      bytesAdded += b.outputs().stream().mapToLong(w -> w.add().size()).sum();
      rows += b.rows();
      partitions.add(b.partition());
    }
    return new OptimizeResult(version, removed, added, bytesRemoved, bytesAdded, rows, partitions.size(), skipped,
        attempts, Duration.ofNanos(System.nanoTime() - start));
  }

  private void deleteOutputs(List<Bin> bins, long version, RuntimeException primary) {
    List<AddFile> files = new ArrayList<>();
    for (Bin b : bins) {
      b.outputs().forEach(w -> files.add(w.add()));
    }
    table.dataFiles().delete(files, version, primary);
  }
}
