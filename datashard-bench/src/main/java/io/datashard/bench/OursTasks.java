package io.datashard.bench;

import io.datashard.CloseableIterator;
import io.datashard.CommitResult;
import io.datashard.Durability;
import io.datashard.Expressions;
import io.datashard.Row;
import io.datashard.Scan;
import io.datashard.Schema;
import io.datashard.StructType;
import io.datashard.Table;
import io.datashard.TableOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/** DataShard's side of every workload, through the public API only (default options: durable commits). */
final class OursTasks {
  private OursTasks() {}

  static Result run(String task, Params p, Runnable gate) {
    return switch (task) {
      case "counter-setup" -> counterSetup(p);
      case "counter-worker" -> counterWorker(p, gate);
      case "counter-read" -> counterRead(p);
      case "append-setup" -> appendSetup(p);
      case "append-worker" -> appendWorker(p, gate);
      case "append-check" -> appendCheck(p);
      case "bulk" -> bulk(p);
      case "scan" -> scan(p);
      case "point-query" -> pointQuery(p);
      case "versions-build" -> versionsBuild(p);
      case "latency" -> latency(p);
      default -> throw Child.unknownTask("ours", task);
    };
  }

  private static Result counterSetup(Params p) {
    Table t = Table.create(p.str("dir"), Schema.parse("id long not null, v long not null"));
    t.append(List.of(Map.of("id", 1L, "v", 0L)));
    t.close();
    return Result.of("ok", 1);
  }

  private static Result counterWorker(Params p, Runnable gate) {
    long ops = p.lng("ops");
    Table t = Table.open(p.str("dir"));
    t.currentSnapshot();
    gate.run();
    long attempts = 0;
    long replans = 0;
    for (long i = 0; i < ops; i++) {
      CommitResult r = t.increment(Expressions.equal("id", 1L), "v", 1L);
      attempts += r.attempts();
      replans += r.replans();
    }
    t.close();
    return Result.of("ops", ops, "retries", attempts - ops, "replans", replans);
  }

  private static Result counterRead(Params p) {
    Table t = Table.open(p.str("dir"));
    List<Row> rows = t.newScan().toList();
    t.close();
    if (rows.size() != 1) {
      throw new IllegalStateException("counter table has " + rows.size() + " rows, expected 1");
    }
    return Result.of("value", rows.get(0).getLong("v"));
  }

  private static Result appendSetup(Params p) {
    Table.create(p.str("dir"), Schema.parse("w int not null, i long not null")).close();
    return Result.of("ok", 1);
  }

  private static Result appendWorker(Params p, Runnable gate) {
    long ops = p.lng("ops");
    int w = p.integer("worker");
    Table t = Table.open(p.str("dir"));
    t.currentSnapshot();
    gate.run();
    long attempts = 0;
    for (long i = 0; i < ops; i++) {
      attempts += t.append(List.of(Map.of("w", w, "i", i))).attempts();
    }
    t.close();
    return Result.of("ops", ops, "retries", attempts - ops);
  }

  private static Result appendCheck(Params p) {
    Table t = Table.open(p.str("dir"));
    long rows = 0;
    java.util.Set<Long> distinct = new java.util.HashSet<>();
    try (CloseableIterator<Row> it = t.newScan().iterator()) {
      while (it.hasNext()) {
        Row r = it.next();
        rows++;
        distinct.add(((long) r.getInt("w") << 40) | r.getLong("i"));
      }
    }
    t.close();
    return Result.of("rows", rows, "distinct", distinct.size());
  }

  /** Rows [from, to) of the bulk table, generated lazily. */
  static Iterable<Row> rows(StructType type, long from, long to) {
    return () -> new Iterator<>() {
      long next = from;

      @Override
      public boolean hasNext() {
        return next < to;
      }

      @Override
      public Row next() {
        if (next >= to) {
          throw new NoSuchElementException();
        }
        long id = next++;
        return Row.of(type, id, BenchData.k(id), BenchData.x(id), BenchData.s(id), BenchData.ts(id), BenchData.b(id));
      }
    };
  }

  private static Result bulk(Params p) {
    long total = p.lng("rows");
    int commits = p.integer("commits");
    Schema schema = Schema.parse(BenchData.SCHEMA);
    StructType type = schema.asStruct();
    long start = System.nanoTime();
    Table t = Table.create(p.str("dir"), schema);
    for (int c = 0; c < commits; c++) {
      long from = BenchData.from(total, commits, c);
      long to = BenchData.from(total, commits, c + 1);
      // One transaction per commit; a large commit appends in chunks (one data file each), since
      // an append holds its rows in memory until its file is written.
      try (io.datashard.Transaction tx = t.newTransaction()) {
        for (long f = from; f < to; f += BenchData.CHUNK) {
          tx.append(rows(type, f, Math.min(to, f + BenchData.CHUNK)));
        }
        tx.commit();
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    long count = t.newScan().count();
    t.close();
    return Result.of("seconds", seconds, "rows", count, "bytes", dataBytes(Path.of(p.str("dir"))));
  }

  static long dataBytes(Path dir) {
    try (var files = Files.walk(dir)) {
      return files.filter(f -> f.toString().endsWith(".parquet") && !f.toString().contains("_delta_log"))
          .mapToLong(f -> f.toFile().length()).sum();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /**
   * Writes the W4 rows (sorted by id, as generated) with 1 MiB row groups, then runs a point query
   * on id and reports from {@link Scan#explain()} how many row groups it read.
   */
  private static Result pointQuery(Params p) {
    long total = p.lng("rows");
    Schema schema = Schema.parse(BenchData.SCHEMA);
    Table t = Table.define(p.str("dir"), schema)
        .options(TableOptions.builder().rowGroupSize(1 << 20).durability(Durability.NO_SYNC).build()).create();
    try (io.datashard.Transaction tx = t.newTransaction()) {
      tx.append(rows(schema.asStruct(), 0, total));
      tx.commit();
    }
    io.datashard.ScanReport full = t.newScan().explain();
    io.datashard.ScanReport point = t.newScan().where(Expressions.equal("id", total / 2)).explain();
    t.close();
    return Result.of("rowGroupsTotal", point.rowGroupsTotal(), "rowGroupsRead",
        point.rowGroupsTotal() - point.rowGroupsSkipped(), "rows", point.rowsReturned(), "bytesRead", point.bytesRead(),
        "fullBytesRead", full.bytesRead(), "ms", point.duration().toMillis(), "fullMs", full.duration().toMillis());
  }

  private static Result scan(Params p) {
    long total = p.lng("rows");
    String query = p.str("query");
    Table t = Table.open(p.str("dir"));
    return Timing.repeat(p.integer("reps"), () -> scanOnce(t, query, total));
  }

  private static Timing.Check scanOnce(Table t, String query, long total) {
    Scan s = t.newScan();
    String[] columns = {"id", "k", "x", "s", "ts", "b"};
    if (query.equals("project")) {
      columns = new String[] {"id", "x"};
      s = s.select(columns);
    } else if (query.equals("select")) {
      long[] range = BenchData.selectiveRange(total);
      s = s.where(Expressions.and(Expressions.greaterThanOrEqual("id", range[0]), Expressions.lessThan("id", range[1])));
    }
    long rows = 0;
    long sumId = 0;
    long nonNull = 0;
    try (CloseableIterator<Row> it = s.iterator()) {
      while (it.hasNext()) {
        Row r = it.next();
        rows++;
        sumId += r.getLong("id");
        for (int c = 0; c < columns.length; c++) {
          if (r.get(c) != null) {
            nonNull++;
          }
        }
      }
    }
    return new Timing.Check(rows, sumId, nonNull);
  }

  private static Result versionsBuild(Params p) {
    long target = p.lng("versions");
    Path dir = Path.of(p.str("dir"));
    TableOptions fast = TableOptions.builder().durability(Durability.NO_SYNC).build();
    Table t = Files.exists(dir.resolve("_delta_log"))
        ? Table.open(dir.toString(), fast)
        : Table.define(dir.toString(), Schema.parse("w int not null, i long not null")).options(fast).create();
    long v = t.currentSnapshot().version();
    long start = System.nanoTime();
    long next = System.nanoTime() + 10_000_000_000L;
    boolean updates = p.str("history").equals("updates");
    while (v < target) {
      // "updates": each version replaces the table's one row, so only the history grows.
      v = updates && v > 0 ? t.overwrite(Expressions.alwaysTrue(), List.of(Map.of("w", -1, "i", v))).version()
          : t.append(List.of(Map.of("w", -1, "i", v))).version();
      if (System.nanoTime() > next) {
        System.out.println("built " + v + " of " + target + " versions");
        next = System.nanoTime() + 10_000_000_000L;
      }
    }
    t.close();
    return Result.of("version", v, "seconds", (System.nanoTime() - start) / 1e9);
  }

  /** {@code phase=open}: median time to open the table and load its latest snapshot; {@code phase=commit}: of a durable one-row append. */
  private static Result latency(Params p) {
    String dir = p.str("dir");
    int reps = p.integer("reps");
    List<Double> times = new ArrayList<>();
    long version;
    if (p.str("phase").equals("open")) {
      // Warm-up on the same table: class loading and JIT are not the figure.
      for (int i = 0; i < 3; i++) {
        Table t = Table.open(dir);
        t.currentSnapshot();
        t.close();
      }
      version = -1;
      for (int i = 0; i < reps; i++) {
        long s = System.nanoTime();
        Table t = Table.open(dir);
        version = t.currentSnapshot().version();
        times.add((System.nanoTime() - s) / 1e6);
        t.close();
      }
    } else {
      Table t = Table.open(dir);
      version = t.append(List.of(Map.of("w", -2, "i", -1L))).version();
      for (int i = 0; i < reps; i++) {
        long s = System.nanoTime();
        t.append(List.of(Map.of("w", -2, "i", (long) i)));
        times.add((System.nanoTime() - s) / 1e6);
      }
      t.close();
    }
    return Result.of("version", version, "ms", Timing.median(times));
  }
}
