package io.datashard.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * SQLite through {@code org.xerial:sqlite-jdbc}, set up as its documentation recommends for many
 * writer processes: WAL journal, {@code busy_timeout} (writers wait for the lock instead of
 * failing), autocommit statements, and {@code synchronous=FULL} (durable like our default) or
 * {@code NORMAL} (WAL's usual setting: durable against process crashes, not power loss).
 */
final class SqliteTasks {
  private SqliteTasks() {}

  static Result run(String task, Params p, Runnable gate) throws SQLException {
    return switch (task) {
      case "counter-setup" -> setup(p, "CREATE TABLE c(id INTEGER PRIMARY KEY, v INTEGER NOT NULL)",
          "INSERT INTO c VALUES (1, 0)");
      case "counter-worker" -> worker(p, gate, "UPDATE c SET v = v + 1 WHERE id = 1", false);
      case "counter-read" -> counterRead(p);
      case "append-setup" -> setup(p, "CREATE TABLE a(w INTEGER NOT NULL, i INTEGER NOT NULL)", null);
      case "append-worker" -> worker(p, gate, "INSERT INTO a VALUES (?, ?)", true);
      case "append-check" -> appendCheck(p);
      default -> throw Child.unknownTask("sqlite", task);
    };
  }

  static Connection connect(Params p) throws SQLException {
    Connection c = DriverManager.getConnection("jdbc:sqlite:" + p.str("dir") + "/db.sqlite");
    try (Statement s = c.createStatement()) {
      s.execute("PRAGMA busy_timeout=600000");
      s.execute("PRAGMA journal_mode=WAL");
      s.execute("PRAGMA synchronous=" + p.str("sync"));
    }
    return c;
  }

  private static Result setup(Params p, String create, String insert) throws SQLException {
    new java.io.File(p.str("dir")).mkdirs();
    try (Connection c = connect(p); Statement s = c.createStatement()) {
      s.execute(create);
      if (insert != null) {
        s.execute(insert);
      }
    }
    return Result.of("ok", 1);
  }

  private static Result worker(Params p, Runnable gate, String sql, boolean append) throws SQLException {
    long ops = p.lng("ops");
    int w = append ? p.integer("worker") : 0;
    long busy = 0;
    try (Connection c = connect(p); PreparedStatement st = c.prepareStatement(sql)) {
      gate.run();
      for (long i = 0; i < ops; i++) {
        if (append) {
          st.setInt(1, w);
          st.setLong(2, i);
        }
        while (true) {
          try {
            st.executeUpdate();
            break;
          } catch (SQLException e) {
            // SQLITE_BUSY (5) after busy_timeout, or BUSY_SNAPSHOT: the statement did nothing; retry.
            if (e.getErrorCode() != 5) {
              throw e;
            }
            busy++;
          }
        }
      }
    }
    return Result.of("ops", ops, "retries", busy);
  }

  private static Result counterRead(Params p) throws SQLException {
    try (Connection c = connect(p); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT v FROM c WHERE id = 1")) {
      rs.next();
      return Result.of("value", rs.getLong(1));
    }
  }

  private static Result appendCheck(Params p) throws SQLException {
    try (Connection c = connect(p); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*), (SELECT count(*) FROM (SELECT DISTINCT w, i FROM a)) FROM a")) {
      rs.next();
      return Result.of("rows", rs.getLong(1), "distinct", rs.getLong(2));
    }
  }
}
