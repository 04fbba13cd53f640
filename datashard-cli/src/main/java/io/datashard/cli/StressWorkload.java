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
 * The workloads of {@code datashard stress}. Each is a strategy with three parts: the table schema,
 * one operation as run by a worker process, and the check the coordinator runs afterwards. Add a
 * constant to add a workload (increment, get-or-create, upsert and mixed are planned).
 */
enum StressWorkload {
  /**
   * Every operation appends {@code rowsPerOp} rows {@code (writer, seq, k)} in one commit; afterwards
   * every expected row must be present exactly once.
   */
  APPEND("append", "writer int not null, seq long not null, k int not null, payload string") {
    @Override
    int operation(Table table, StressSpec spec, int writer, long seq) {
      List<Map<String, Object>> rows = new ArrayList<>(spec.rowsPerOp());
      for (int k = 0; k < spec.rowsPerOp(); k++) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("writer", writer);
        row.put("seq", seq);
        row.put("k", k);
        row.put("payload", spec.runId());
        rows.add(row);
      }
      return table.append(rows).attempts();
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
    Verification verify(Table table, StressSpec spec) {
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
  };

  private final String cliName;
  private final String schema;

  StressWorkload(String cliName, String schema) {
    this.cliName = cliName;
    this.schema = schema;
  }

  /** The name on the command line. */
  String cliName() {
    return cliName;
  }

  /** The schema of the table the workload creates if absent. */
  Schema schema() {
    return Schema.parse(schema);
  }

  /**
   * Work a worker does before it reports ready, so that class loading and JIT warm-up of the first
   * operations are not timed; must leave the table unchanged.
   */
  abstract void warmUp(Table table, StressSpec spec, int writer);

  /** One operation in a worker; returns the attempts it took (1 = no lost race). */
  abstract int operation(Table table, StressSpec spec, int writer, long seq);

  /** The coordinator's check after all workers exited. */
  abstract Verification verify(Table table, StressSpec spec);

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

  /** What a stress run is: table, sizes and the run's id (rows of other runs are ignored by checks). */
  record StressSpec(String table, StressWorkload workload, int processes, int ops, int rowsPerOp, String runId,
      io.datashard.Durability durability) {
    long expectedRows() {
      return (long) processes * ops * rowsPerOp;
    }
  }

  /**
   * The outcome of a check.
   *
   * @param expected rows the run should have produced
   * @param found distinct expected rows present
   * @param lost expected rows missing
   * @param duplicated extra copies of expected rows
   * @param unexpected rows of this run that no worker should have written
   * @param otherRuns rows of earlier runs on the same table (ignored)
   */
  record Verification(long expected, long found, long lost, long duplicated, long unexpected, long otherRuns) {
    boolean ok() {
      return lost == 0 && duplicated == 0 && unexpected == 0;
    }
  }
}
