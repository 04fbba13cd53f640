package io.datashard.cli;

import io.datashard.CommitResult;
import io.datashard.InvalidRowException;
import io.datashard.Table;
import io.datashard.Transaction;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Collects the rows of one {@code append} call and commits them as one version. Rows are handed to
 * the table in batches so that memory does not grow with the input: a single batch goes through
 * {@link Table#append}, more through one {@link Transaction}. If anything fails before the commit,
 * {@link #close()} aborts, so nothing is committed. A row the table rejects is reported with the
 * place it came from ({@code rows.jsonl line 7}).
 */
final class RowSink implements RowInput.Target, AutoCloseable {
  /** Where a row came from, for error messages. */
  record Origin(String source, long line) {
    @Override
    public String toString() {
      return line > 0 ? source + " line " + line : source;
    }
  }

  private final Table table;
  private final int batchSize;
  private final List<Map<String, Object>> batch = new ArrayList<>();
  private final List<Origin> origins = new ArrayList<>();
  private Transaction tx;
  private long rows;

  RowSink(Table table, int batchSize) {
    this.table = table;
    this.batchSize = batchSize;
  }

  @Override
  public void add(Map<String, Object> row, Origin origin) {
    batch.add(row);
    origins.add(origin);
    rows++;
    if (batch.size() >= batchSize) {
      if (tx == null) {
        tx = table.newTransaction();
      }
      flush(b -> tx.append(b));
    }
  }

  /** The number of rows added. */
  long rows() {
    return rows;
  }

  /** Commits every added row as one version; null if there were no rows. */
  CommitResult commit() {
    if (tx == null) {
      if (batch.isEmpty()) {
        return null;
      }
      CommitResult[] result = new CommitResult[1];
      flush(b -> result[0] = table.append(b));
      return result[0];
    }
    if (!batch.isEmpty()) {
      flush(b -> tx.append(b));
    }
    return tx.commit();
  }

  private void flush(java.util.function.Consumer<List<Map<String, Object>>> write) {
    try {
      write.accept(batch);
    } catch (InvalidRowException e) {
      throw located(e, origins);
    }
    batch.clear();
    origins.clear();
  }

  /**
   * The table's rejection of a row, with the row's origin ({@code rows.jsonl line 7}) instead of its
   * index in the write; a reference to another row ({@code (also in row 3)}) is translated too.
   */
  static UserException located(InvalidRowException e, List<Origin> origins) {
    long index = e.rowIndex();
    if (index < 0 || index >= origins.size()) {
      return new UserException(e.getMessage(), e);
    }
    java.util.regex.Matcher m = ALSO_IN_ROW.matcher(e.problem());
    StringBuilder problem = new StringBuilder();
    while (m.find()) {
      long other = Long.parseLong(m.group(1));
      String replacement = other >= 0 && other < origins.size() ? "(also in " + origins.get((int) other) + ")" : m.group();
      m.appendReplacement(problem, java.util.regex.Matcher.quoteReplacement(replacement));
    }
    m.appendTail(problem);
    return new UserException(origins.get((int) index) + ": "
        + (e.fieldPath().isEmpty() ? "" : "field '" + e.fieldPath() + "': ") + problem, e);
  }

  private static final java.util.regex.Pattern ALSO_IN_ROW = java.util.regex.Pattern.compile("\\(also in row (\\d+)\\)");

  @Override
  public void close() {
    if (tx != null) {
      tx.close();
    }
  }
}
