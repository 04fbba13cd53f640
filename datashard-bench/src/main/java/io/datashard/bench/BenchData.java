package io.datashard.bench;

import java.time.Instant;

/**
 * The rows every system writes and reads in the bulk and scan workloads (W3, W4): a 6-column
 * schema (long, int, double, string, timestamp, boolean), generated from the row number alone so
 * that every process produces the same rows without sharing anything.
 */
final class BenchData {
  /** DataShard schema text of the bulk table. */
  static final String SCHEMA = "id long not null, k int, x double, s string, ts timestamp, b boolean";
  /** The same columns in SQL (SQLite, DuckDB). */
  static final String SQL_COLUMNS = "id BIGINT NOT NULL, k INTEGER, x DOUBLE, s VARCHAR, ts TIMESTAMP, b BOOLEAN";

  /** Rows per data file in the bulk loads of every system that lets the writer choose. */
  static final long CHUNK = 1_000_000;

  private static final long BASE_MICROS = 1_700_000_000_000_000L;

  private BenchData() {}

  static int k(long id) {
    return (int) (id % 1000);
  }

  static double x(long id) {
    return id * 0.25;
  }

  static String s(long id) {
    return "name-" + (id % 10_007);
  }

  /** Microseconds since the epoch (UTC). */
  static long tsMicros(long id) {
    return BASE_MICROS + id * 1000;
  }

  static Instant ts(long id) {
    long micros = tsMicros(id);
    return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000);
  }

  static boolean b(long id) {
    return (id & 1) == 0;
  }

  /** Rows with ids in [from, to) of a table of {@code total} rows written in {@code commits} commits. */
  static long from(long total, int commits, int commit) {
    return total * commit / commits;
  }

  /**
   * The selective predicate of W4: ids in [lo, lo + total/1000), 0.1% of the rows, in the middle
   * of the table (ids are written in order, so file and row-group statistics can skip the rest).
   */
  static long[] selectiveRange(long total) {
    long width = Math.max(1, total / 1000);
    long lo = total / 2;
    return new long[] {lo, lo + width};
  }

  /** Sum of ids in [lo, hi): the checksum every reader of W4 must reproduce. */
  static long idSum(long lo, long hi) {
    if (hi <= lo) {
      return 0;
    }
    return (lo + hi - 1) * (hi - lo) / 2;
  }
}
