package io.datashard.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** The five workloads of issue 8, each over every peer that applies to it. */
final class Workloads {
  private final Params p;
  private final Path work;
  private final Set<String> systems;

  Workloads(Params p, Path work) {
    this.p = p;
    this.work = work;
    this.systems = Set.of(p.str("systems").split(","));
  }

  private boolean on(String system) {
    return systems.contains(system);
  }

  /** A fresh directory for one measurement. */
  private Path fresh(String name) {
    Path dir = work.resolve(name);
    Bench.deleteTree(dir);
    return dir;
  }

  /** A peer's setups for the multi-process workloads: system, child-task parameters, label. */
  private record Setup(String system, String label, Params extra, String note) {}

  private List<Setup> multiProcessSetups(boolean kernel, boolean iceberg) {
    List<Setup> s = new ArrayList<>();
    Params none = new Params(java.util.Map.of());
    if (on("ours")) {
      s.add(new Setup("ours", "", none, "fsync'd commits"));
    }
    if (on("sqlite")) {
      s.add(new Setup("sqlite", "WAL, synchronous=FULL", none.with("sync", "FULL"), ""));
      s.add(new Setup("sqlite", "WAL, synchronous=NORMAL", none.with("sync", "NORMAL"), ""));
    }
    if (kernel && on("kernel")) {
      s.add(new Setup("kernel", "default engine, UNSAFE across processes", none,
          "files not fsync'd; rows checked with DataShard's reader"));
    }
    if (iceberg && on("iceberg")) {
      s.add(new Setup("iceberg", "JDBC catalog on SQLite", none, "files not fsync'd"));
    }
    return s;
  }

  static String name(String system) {
    return switch (system) {
      case "ours" -> "DataShard";
      case "sqlite" -> "SQLite";
      case "kernel" -> "Delta Kernel 4.4.0";
      case "iceberg" -> "Iceberg 1.12.0";
      case "duckdb" -> "DuckDB";
      case "parquet" -> "parquet-java (raw)";
      default -> system;
    };
  }

  private List<Params> workers(Params base, int processes) {
    List<Params> each = new ArrayList<>();
    for (int i = 0; i < processes; i++) {
      each.add(base.with("worker", i));
    }
    return each;
  }

  /** W1: P processes x N increments of one row; the final value must be exactly P x N. */
  Report counter() {
    int processes = p.integer("processes");
    long ops = p.lng("ops");
    long expected = processes * ops;
    String group = processes + " x " + ops + " increments";
    Report r = new Report("W1 seed counter: " + group + " of one row, each durable");
    for (Setup s : multiProcessSetups(false, true)) {
      r.add(Bench.attempt(group, Workloads.name(s.system()), s.label(), "increments/s", true, () -> {
        Path dir = fresh("w1-" + s.system() + "-" + s.label().hashCode());
        Params base = s.extra().with("dir", dir).with("ops", ops);
        Procs.run(s.system(), "counter-setup", base);
        Procs.Parallel run = Procs.runParallel(s.system(), "counter-worker", workers(base, processes));
        long value = Procs.run(s.system(), "counter-read", base).lng("value");
        String check = (value == expected ? "exact: " : "WRONG: ") + String.format("%,d of %,d", value, expected)
            + String.format(", %.1f s, %,d retries", run.seconds(), run.sum("retries"));
        return new Report.Line(group, Workloads.name(s.system()), s.label(), expected / run.seconds(), "increments/s",
            true, check + (s.note().isEmpty() ? "" : "; " + s.note()));
      }));
    }
    return r;
  }

  /** W2: P processes x N one-row commits; every row must be there exactly once. */
  Report appends() {
    int processes = p.integer("processes");
    long ops = p.lng("ops");
    long expected = processes * ops;
    String group = processes + " x " + ops + " one-row commits";
    Report r = new Report("W2 single-row appends: " + group);
    for (Setup s : multiProcessSetups(true, true)) {
      r.add(Bench.attempt(group, Workloads.name(s.system()), s.label(), "commits/s", true, () -> {
        Path dir = fresh("w2-" + s.system() + "-" + s.label().hashCode());
        Params base = s.extra().with("dir", dir).with("ops", ops);
        Procs.run(s.system(), "append-setup", base);
        Procs.Parallel run = Procs.runParallel(s.system(), "append-worker", workers(base, processes));
        // Kernel's own reader checks its table (DataShard reads Delta too, but a peer checks itself).
        Result check = s.system().equals("kernel") ? Procs.run("ours", "append-check", base)
            : Procs.run(s.system(), "append-check", base);
        long rows = check.lng("rows");
        long distinct = check.lng("distinct");
        boolean ok = rows == expected && distinct == expected;
        String text = (ok ? "exact: " : "WRONG: ") + String.format("%,d rows, %,d distinct of %,d", rows, distinct, expected)
            + String.format(", %.1f s, %,d retries", run.seconds(), run.sum("retries"));
        return new Report.Line(group, Workloads.name(s.system()), s.label(), expected / run.seconds(), "commits/s",
            true, text + (s.note().isEmpty() ? "" : "; " + s.note()));
      }));
    }
    return r;
  }

  /** W3: the 6-column rows in 1 and in 100 commits; the row count is checked after each load. */
  Report bulk() {
    long rows = p.lng("rows");
    Report r = new Report(String.format("W3 bulk append: %,d rows (long, int, double, string, timestamp, boolean)", rows));
    for (long commits : p.longs("commits")) {
      String group = String.format("%,d rows in %d commit%s", rows, commits, commits == 1 ? "" : "s");
      for (String system : List.of("ours", "parquet", "kernel", "iceberg", "duckdb")) {
        if (!on(system)) {
          continue;
        }
        String setup = switch (system) {
          case "parquet" -> "one file per 1M rows, no table";
          case "duckdb" -> "Appender into a database file";
          case "iceberg" -> "JDBC catalog on SQLite";
          default -> "";
        };
        r.add(Bench.attempt(group, name(system), setup, "rows/s", true, () -> {
          Path dir = fresh("w3-" + system);
          Result res = Procs.run(system, "bulk", new Params(java.util.Map.of()).with("dir", dir).with("rows", rows)
              .with("commits", commits));
          long got = res.lng("rows");
          String check = (got == rows ? "exact: " : "WRONG: ") + String.format("%,d rows, %.1f s", got, res.dbl("seconds"))
              + (res.values().containsKey("bytes") ? String.format(", %,d MB", res.lng("bytes") >> 20) : "");
          return new Report.Line(group, name(system), setup, rows / res.dbl("seconds"), "rows/s", true, check);
        }));
      }
    }
    return r;
  }

  /** W4: scans of one table DataShard wrote in one commit, read by every reader. */
  Report scans() {
    long rows = p.lng("rows");
    int reps = p.integer("reps");
    Path table = work.resolve("w4-table-" + rows);
    if (!p.str("keep").equals("true") || !Files.exists(table.resolve("_delta_log"))) {
      Bench.deleteTree(table);
      System.out.println("  writing the scanned table with DataShard (" + rows + " rows, one commit)...");
      Procs.run("ours", "bulk", new Params(java.util.Map.of()).with("dir", table).with("rows", rows).with("commits", 1));
    }
    long[] range = BenchData.selectiveRange(rows);
    Report r = new Report(String.format("W4 scans of a %,d-row table (%d data file(s)), median of %d warm runs", rows,
        dataFiles(table), reps));
    for (String query : List.of("full", "project", "select")) {
      String group = switch (query) {
        case "full" -> "full scan, 6 columns";
        case "project" -> "projection: id, x";
        default -> String.format("id in [%,d, %,d): 0.1%%", range[0], range[1]);
      };
      long expectRows = query.equals("select") ? range[1] - range[0] : rows;
      long expectSum = query.equals("select") ? BenchData.idSum(range[0], range[1]) : BenchData.idSum(0, rows);
      long expectNonNull = expectRows * (query.equals("project") ? 2 : 6);
      for (String system : List.of("ours", "kernel", "duckdb", "parquet")) {
        if (!on(system)) {
          continue;
        }
        String setup = switch (system) {
          case "duckdb" -> "read_parquet over the same files, JDBC";
          case "parquet" -> "same files, record filter";
          case "kernel" -> "same table, default engine";
          default -> "";
        };
        r.add(Bench.attempt(group, name(system), setup, "rows/s", true, () -> {
          Result res = Procs.run(system, "scan", new Params(java.util.Map.of()).with("dir", table).with("rows", rows)
              .with("query", query).with("reps", reps));
          boolean ok = res.lng("rows") == expectRows && res.lng("sumId") == expectSum && res.lng("nonNull") == expectNonNull;
          String check = (ok ? "exact: " : "WRONG: ") + String.format("%,d rows, %.3f s", res.lng("rows"), res.dbl("seconds"));
          // Scan throughput is per row of the table (the work a reader is asked to do), also for the selective scan.
          return new Report.Line(group, name(system), setup, rows / res.dbl("seconds"), "table rows/s", true, check);
        }));
      }
    }
    if (on("ours")) {
      // Issue 4's goal: a point query on a sorted column reads at most one row group beyond those holding matches.
      Path sorted = work.resolve("w4-point-" + rows);
      Bench.deleteTree(sorted);
      String group = String.format("point query id = %,d, same rows in 1 MiB row groups", rows / 2);
      r.add(Bench.attempt(group, name("ours"), "Scan.explain()", "row groups read", false, () -> {
        Result res = Procs.run("ours", "point-query", new Params(java.util.Map.of()).with("dir", sorted).with("rows", rows));
        boolean ok = res.lng("rows") == 1;
        String check = (ok ? "exact: 1 row" : "WRONG: " + res.lng("rows") + " rows") + String.format(
            "; %d of %d row groups read, %,d of %,d bytes, %d ms (full scan %d ms)", res.lng("rowGroupsRead"),
            res.lng("rowGroupsTotal"), res.lng("bytesRead"), res.lng("fullBytesRead"), res.lng("ms"), res.lng("fullMs"));
        return new Report.Line(group, name("ours"), "Scan.explain()", res.lng("rowGroupsRead"), "row groups read", false,
            check);
      }));
    }
    return r;
  }

  private static long dataFiles(Path table) {
    try (var s = Files.list(table)) {
      return s.filter(f -> f.toString().endsWith(".parquet")).count();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** W5: open and commit latency at several versions. */
  Report latency() {
    int reps = p.integer("reps");
    long icebergMax = p.lng("icebergMax");
    String history = p.str("history");
    if (!history.equals("appends") && !history.equals("updates")) {
      throw new IllegalArgumentException("history must be appends or updates, not " + history);
    }
    Report r = new Report("W5 open and commit latency (median of " + reps + ", warm cache; history of " + history
        + ")");
    for (long versions : p.longs("versions")) {
      Path table = work.resolve("w5-delta-" + history + "-" + versions);
      boolean keep = p.str("keep").equals("true") && Files.exists(table.resolve("_delta_log"));
      if (on("ours") || on("kernel")) {
        if (!keep) {
          Bench.deleteTree(table);
          System.out.println("  building a " + versions + "-version table with DataShard (NO_SYNC)...");
          Procs.run("ours", "versions-build", new Params(java.util.Map.of()).with("dir", table).with("versions", versions)
              .with("history", history));
        }
      }
      Path iceberg = work.resolve("w5-iceberg-" + versions);
      boolean icebergOn = on("iceberg") && versions <= icebergMax;
      if (icebergOn && !(p.str("keep").equals("true") && Files.exists(iceberg))) {
        Bench.deleteTree(iceberg);
        System.out.println("  building a " + versions + "-commit Iceberg table...");
        Procs.run("iceberg", "versions-build", new Params(java.util.Map.of()).with("dir", iceberg).with("versions", versions));
      }
      List<String> peers = new ArrayList<>();
      for (String s : List.of("ours", "kernel", "iceberg")) {
        if (on(s) && (!s.equals("iceberg") || icebergOn)) {
          peers.add(s);
        }
      }
      for (String metric : List.of("open", "commit")) {
        String group = String.format("%s at %,d versions", metric, versions);
        for (String system : peers) {
          Path dir = system.equals("iceberg") ? iceberg : table;
          String setup = system.equals("iceberg") ? "JDBC catalog, snapshots expired to 100"
              : system.equals("kernel") ? "same table" + (metric.equals("commit") ? ", hooks untimed" : "") : "";
          r.add(Bench.attempt(group, name(system), setup, "ms", false, () -> {
            Result res = Procs.run(system, "latency", new Params(java.util.Map.of()).with("dir", dir).with("reps", reps)
                .with("phase", metric));
            String check = "at version " + res.lng("version")
                + (metric.equals("commit") ? (system.equals("ours") ? "; fsync'd" : "; files not fsync'd") : "");
            return new Report.Line(group, name(system), setup, res.dbl("ms"), "ms", false, check);
          }));
        }
      }
    }
    if (on("iceberg")) {
      System.out.println("  (Iceberg measured up to icebergMax=" + icebergMax + " commits)");
    }
    return r;
  }
}
