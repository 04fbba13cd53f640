package io.datashard.cli;

import io.datashard.CloseableIterator;
import io.datashard.Row;
import io.datashard.Schema;
import io.datashard.Table;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine;

/**
 * The workloads of {@code datashard stress}. Each is a strategy: the table schema, preparation by
 * the coordinator, one operation as run by a worker process, and the check the coordinator runs
 * afterwards. All but append share one table layout and write per-operation records that the check
 * reads (see {@link StressRows}).
 */
enum StressWorkload {
  /**
   * Every operation appends {@code rowsPerOp} rows {@code (writer, seq, k)} in one commit; afterwards
   * every expected row must be present exactly once.
   */
  APPEND("append", "writer int not null, seq long not null, k int not null, payload string", List.of()) {
    @Override
    void operation(StressRows.Worker w, long seq) {
      List<Map<String, Object>> rows = new ArrayList<>(w.spec.rowsPerOp());
      for (int k = 0; k < w.spec.rowsPerOp(); k++) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("writer", w.writer);
        row.put("seq", seq);
        row.put("k", k);
        row.put("payload", w.spec.runId());
        rows.add(row);
      }
      w.count(w.table.append(rows));
    }

    @Override
    void warmUp(Table table, StressSpec spec, int writer) {
      // Loads and compiles the write path (Parquet, Hadoop codecs, stats) without committing:
      // an uncommitted transaction's data files are deleted on close.
      for (int i = 0; i < 3; i++) {
        try (io.datashard.Transaction tx = table.newTransaction()) {
          tx.append(List.of(Map.of("writer", writer, "seq", -1L - i, "k", 0, "payload", "warm-up")));
        }
      }
    }

    @Override
    Verification verify(Table table, StressSpec spec, StressRows.Records records) {
      long expected = spec.expectedRows();
      byte[] seen = new byte[Math.toIntExact(expected)];
      long found = 0;
      long duplicated = 0;
      long unexpected = 0;
      long otherRuns = 0;
      try (CloseableIterator<Row> it = table.newScan().select("writer", "seq", "k", "payload").iterator()) {
        while (it.hasNext()) {
          Row r = it.next();
          if (!spec.runId().equals(r.get(3))) {
            otherRuns++;
            continue;
          }
          int writer = (Integer) r.get(0);
          long seq = (Long) r.get(1);
          int k = (Integer) r.get(2);
          if (writer < 0 || writer >= spec.processes() || seq < 0 || seq >= spec.ops() || k < 0 || k >= spec.rowsPerOp()) {
            unexpected++;
            continue;
          }
          int index = Math.toIntExact((writer * (long) spec.ops() + seq) * spec.rowsPerOp() + k);
          if (seen[index] == 0) {
            seen[index] = 1;
            found++;
          } else {
            duplicated++;
          }
        }
      }
      return new Verification(expected, found, expected - found, duplicated, unexpected, otherRuns);
    }
  },

  /**
   * One counter row per run; every operation is {@code increment(counter, "v", 1)}. The final value
   * must be exactly initial + processes x ops.
   */
  INCREMENT("increment", StressRows.SCHEMA, StressRows.PARTITIONING) {
    @Override
    void prepare(Table table, StressSpec spec) {
      StressRows.createCounter(table, spec);
    }

    @Override
    void operation(StressRows.Worker w, long seq) {
      StressRows.increment(w, seq);
    }

    @Override
    Verification verify(Table table, StressSpec spec, StressRows.Records records) {
      return StressRows.verifyIncrement(table, spec, records);
    }
  },

  /**
   * Every operation is {@code getOrCreate(key)} of a random key of {@code --keys}, supplying a row
   * tagged with its writer and sequence number; each caller records the tag of the row it got. There
   * must be exactly one row per key used, and every caller must have got that row.
   */
  GET_OR_CREATE("get-or-create", StressRows.SCHEMA, StressRows.PARTITIONING) {
    @Override
    void operation(StressRows.Worker w, long seq) {
      StressRows.getOrCreate(w, seq);
    }

    @Override
    Verification verify(Table table, StressSpec spec, StressRows.Records records) {
      return StressRows.verifyGetOrCreate(table, spec, records);
    }
  },

  /**
   * Every operation upserts one row of a random key of {@code --keys}, tagged with its writer and
   * sequence number; writers record what they wrote and the version. There must be one row per key,
   * and it must be the one of the key's latest upsert.
   */
  UPSERT("upsert", StressRows.SCHEMA, StressRows.PARTITIONING) {
    @Override
    void operation(StressRows.Worker w, long seq) {
      StressRows.upsert(w, seq);
    }

    @Override
    Verification verify(Table table, StressSpec spec, StressRows.Records records) {
      return StressRows.verifyUpsert(table, spec, records);
    }
  },

  /**
   * All of the above in one table, each confined to its partition (kind): increments of the counter,
   * get-or-create of keys, upserts, and appends of events of which writers later delete some.
   */
  MIXED("mixed", StressRows.SCHEMA, StressRows.PARTITIONING) {
    @Override
    void prepare(Table table, StressSpec spec) {
      StressRows.createCounter(table, spec);
    }

    @Override
    void operation(StressRows.Worker w, long seq) {
      StressRows.mixed(w, seq);
    }

    @Override
    Verification verify(Table table, StressSpec spec, StressRows.Records records) {
      return StressRows.verifyMixed(table, spec, records);
    }
  };

  private final String cliName;
  private final String schema;
  private final List<String> partitionColumns;

  StressWorkload(String cliName, String schema, List<String> partitionColumns) {
    this.cliName = cliName;
    this.schema = schema;
    this.partitionColumns = partitionColumns;
  }

  /** The name on the command line. */
  String cliName() {
    return cliName;
  }

  /** The schema of the table the workload creates if absent. */
  Schema schema() {
    return Schema.parse(schema);
  }

  /** The partition columns of the table the workload creates if absent. */
  List<String> partitionColumns() {
    return partitionColumns;
  }

  /** Whether workers write per-operation records and the report has the row workloads' fields. */
  boolean recordsOperations() {
    return this != APPEND;
  }

  /** The coordinator's set-up before the workers start (e.g. the counter row). */
  void prepare(Table table, StressSpec spec) {}

  /**
   * Work a worker does before it reports ready, so that class loading and JIT warm-up of the first
   * operations are not timed; must leave the table unchanged.
   */
  void warmUp(Table table, StressSpec spec, int writer) {
    StressRows.warmUp(table, spec, writer);
  }

  /** One operation in a worker; counts its commit result with {@link StressRows.Worker#count}. */
  abstract void operation(StressRows.Worker worker, long seq);

  /** The coordinator's check after all workers exited, given the workers' records. */
  abstract Verification verify(Table table, StressSpec spec, StressRows.Records records);
  static StressWorkload byName(String name) {
    for (StressWorkload w : values()) {
      if (w.cliName.equals(name.toLowerCase(Locale.ROOT))) {
        return w;
      }
    }
    return null;
  }

  static List<String> names() {
    List<String> names = new ArrayList<>();
    for (StressWorkload w : values()) {
      names.add(w.cliName);
    }
    return names;
  }

  /** Picocli converter: an unknown name is a parameter error (exit 2). */
  static final class Converter implements CommandLine.ITypeConverter<StressWorkload> {
    @Override
    public StressWorkload convert(String value) {
      StressWorkload w = byName(value);
      if (w == null) {
        throw new CommandLine.TypeConversionException("unknown workload '" + value + "'; available: " + String.join(", ", names()));
      }
      return w;
    }
  }

  /** Completion candidates for the usage help. */
  static final class Names implements Iterable<String> {
    @Override
    public java.util.Iterator<String> iterator() {
      return names().iterator();
    }
  }

  /**
   * What a stress run is: table, sizes, the run's id (rows of other runs are ignored by checks) and
   * the size of the key space of get-or-create and upsert, and whether the workers queue
   * ({@link io.datashard.TableOptions#queueWriters()}).
   */
  record StressSpec(String table, StressWorkload workload, int processes, int ops, int rowsPerOp, String runId,
      io.datashard.Durability durability, int keys, boolean queueWriters) {
    long expectedRows() {
      return (long) processes * ops * rowsPerOp;
    }
  }

  /**
   * The outcome of a check.
   *
   * @param expected rows (or, for increment, the counter value) the run should have produced
   * @param found distinct expected rows present (the counter value)
   * @param lost expected rows missing
   * @param duplicated extra copies of expected rows
   * @param unexpected rows of this run that no worker should have written
   * @param otherRuns rows of earlier runs on the same table (ignored)
   * @param details workload-specific counts, in report order
   * @param problems what else is wrong, one sentence each; empty when the invariants hold
   */
  record Verification(long expected, long found, long lost, long duplicated, long unexpected, long otherRuns,
      Map<String, Long> details, List<String> problems) {
    Verification(long expected, long found, long lost, long duplicated, long unexpected, long otherRuns) {
      this(expected, found, lost, duplicated, unexpected, otherRuns, Map.of(), List.of());
    }

    boolean ok() {
      return lost == 0 && duplicated == 0 && unexpected == 0 && problems.isEmpty();
    }
  }
}
