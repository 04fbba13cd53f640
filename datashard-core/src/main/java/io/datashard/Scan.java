package io.datashard;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A read of one snapshot of a table. Scans are immutable: each refinement returns a new scan, so a
 * scan may be shared and reused. Nothing is read until {@link #iterator()}, {@link #stream()},
 * {@link #toList()} or {@link #count()}; the snapshot is fixed at that point (the latest one unless
 * a version or instant was chosen), and later commits do not affect the rows returned.
 *
 * <p>Rows are streamed: files are read in parallel by up to {@link TableOptions#scanThreads()}
 * threads, a bounded number of files ahead of the consumer, so memory use does not grow with the
 * table's size. Rows come in the same order as a sequential read would return them.
 */
public interface Scan {

  /**
   * Returns only rows for which {@code predicate} is true (SQL semantics: false and unknown rows are
   * dropped). Files whose partition values or statistics prove they hold no such row are not read.
   * Calling it again combines the predicates with AND.
   *
   * @throws InvalidExpressionException when the scan runs, if the predicate does not bind to the schema
   */
  Scan where(Expression predicate);

  /** Reads only these columns, in this order (partition columns included). */
  Scan select(String... columns);

  /** Reads only these columns, in this order. */
  Scan select(List<String> columns);

  /** Reads the snapshot at a version instead of the latest. */
  Scan useSnapshot(long version);

  /** Reads the snapshot that was current at an instant. */
  Scan asOf(Instant instant);

  /** Returns at most this many rows. */
  Scan limit(long rows);

  /** The schema of the rows this scan returns. */
  Schema schema();

  /** The rows; close the iterator to release open files. */
  CloseableIterator<Row> iterator();

  /** The rows as a stream; close it (try-with-resources) to release open files. */
  default Stream<Row> stream() {
    CloseableIterator<Row> it = iterator();
    return StreamSupport.stream(Spliterators.spliteratorUnknownSize(it, Spliterator.ORDERED | Spliterator.NONNULL), false)
        .onClose(it::close);
  }

  /** All rows in a list. Use only for results known to fit in memory. */
  default List<Row> toList() {
    List<Row> rows = new ArrayList<>();
    try (CloseableIterator<Row> it = iterator()) {
      it.forEachRemaining(rows::add);
    }
    return rows;
  }

  /** The number of rows. */
  long count();

  /**
   * Runs the scan, discarding its rows, and reports what it did: files and Parquet row groups
   * skipped and read, bytes read, rows returned.
   */
  ScanReport explain();
}
