package io.datashard;

/**
 * Options of a compaction ({@link Table#optimize()}): small data files are bin-packed, per
 * partition, into files of about {@link #targetFileSize(long)} bytes, and committed with {@code
 * dataChange=false}. Rows are rewritten unchanged; the table's rows and row count are identical
 * before and after.
 *
 * <p>Under concurrent commits: appends, updates and deletes that touch none of its input files
 * never conflict with it (it rebases onto them). If a concurrent commit removed some of its input
 * files, the groups ("bins") holding those files are skipped (their new files deleted) and the
 * others are committed on the newer version; this repeats at most as often as the handle's {@link
 * RetryPolicy} allows, then {@link CommitFailedException}. A concurrent schema, partitioning or
 * protocol change fails it with {@link MetadataChangedException} or {@link ProtocolChangedException},
 * deleting its new files. A concurrent writer that read or removed one of its input files gets the
 * usual conflict (operations re-plan; see {@code docs/operations.md}).
 */
public interface OptimizeBuilder {
  /** The default target size of a compacted file: 128 MiB. */
  long DEFAULT_TARGET_FILE_SIZE = 128L << 20;

  /**
   * Compacts only files that may hold rows matching {@code predicate} (decided from partition
   * values and file statistics, conservatively); usually a condition on partition columns.
   */
  OptimizeBuilder where(Expression predicate);

  /**
   * The target size of compacted files in bytes (default {@link #DEFAULT_TARGET_FILE_SIZE}). Files
   * at least this large are left alone; smaller ones are grouped up to this size.
   *
   * @throws IllegalArgumentException if not positive
   */
  OptimizeBuilder targetFileSize(long bytes);

  /**
   * Sorts the rows of each compacted file by these columns (ascending, nulls first), so that the
   * files' min/max statistics let scans skip more files.
   */
  OptimizeBuilder sortBy(String... columns);

  /** Reports progress (files read and written). */
  OptimizeBuilder progress(ProgressListener listener);

  /**
   * Plans, rewrites and commits the compaction in one commit (nothing is committed if no
   * partition has two or more small files).
   *
   * @throws NoSuchColumnException if a sort or predicate column does not exist
   * @throws InvalidExpressionException if the predicate is not a boolean expression over the columns
   */
  OptimizeResult commit();
}
