package io.datashard.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * DuckDB through {@code org.duckdb:duckdb_jdbc}, one process: bulk loads into a DuckDB database
 * file with its Appender (the documented fast path for loading from Java), one transaction per
 * commit; scans with {@code read_parquet} over the Parquet files of the table DataShard wrote,
 * fetching every value through JDBC like the other readers deliver rows to Java. DuckDB runs
 * with its default thread count (all cores).
 */
final class DuckTasks {
  private DuckTasks() {}

  static Result run(String task, Params p, Runnable gate) throws Exception {
    return switch (task) {
      case "bulk" -> bulk(p);
      case "scan" -> scan(p);
      default -> throw Child.unknownTask("duckdb", task);
    };
  }

  private static Result bulk(Params p) throws Exception {
    long total = p.lng("rows");
    int commits = p.integer("commits");
    Path dir = Files.createDirectories(Path.of(p.str("dir")));
    long start = System.nanoTime();
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("db.duckdb"))) {
      try (Statement s = c.createStatement()) {
        s.execute("CREATE TABLE t(" + BenchData.SQL_COLUMNS + ")");
      }
      c.setAutoCommit(false);
      for (int k = 0; k < commits; k++) {
        try (DuckDBAppender a = c.unwrap(DuckDBConnection.class).createAppender(DuckDBConnection.DEFAULT_SCHEMA, "t")) {
          for (long id = BenchData.from(total, commits, k), end = BenchData.from(total, commits, k + 1); id < end; id++) {
            a.beginRow();
            a.append(id);
            a.append(BenchData.k(id));
            a.append(BenchData.x(id));
            a.append(BenchData.s(id));
            a.append(LocalDateTime.ofInstant(BenchData.ts(id), ZoneOffset.UTC));
            a.append(BenchData.b(id));
            a.endRow();
          }
        }
        c.commit();
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      c.setAutoCommit(true);
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM t")) {
        rs.next();
        return Result.of("seconds", seconds, "rows", rs.getLong(1), "bytes", Files.size(dir.resolve("db.duckdb")));
      }
    }
  }

  private static Result scan(Params p) throws SQLException {
    long total = p.lng("rows");
    String files = "read_parquet('" + Path.of(p.str("dir")).resolve("*.parquet") + "')";
    long[] range = BenchData.selectiveRange(total);
    String sql = switch (p.str("query")) {
      case "full" -> "SELECT id, k, x, s, ts, b FROM " + files;
      case "project" -> "SELECT id, x FROM " + files;
      case "select" -> "SELECT id, k, x, s, ts, b FROM " + files + " WHERE id >= " + range[0] + " AND id < " + range[1];
      default -> throw new IllegalArgumentException("unknown query " + p.str("query"));
    };
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:")) {
      return Timing.repeat(p.integer("reps"), () -> {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
          int columns = rs.getMetaData().getColumnCount();
          long rows = 0;
          long sumId = 0;
          long nonNull = 0;
          while (rs.next()) {
            rows++;
            sumId += rs.getLong(1);
            for (int i = 1; i <= columns; i++) {
              if (rs.getObject(i) != null) {
                nonNull++;
              }
            }
          }
          return new Timing.Check(rows, sumId, nonNull);
        } catch (SQLException e) {
          throw new IllegalStateException(e);
        }
      });
    }
  }
}
