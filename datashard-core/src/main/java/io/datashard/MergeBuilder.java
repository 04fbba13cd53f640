package io.datashard;

import java.util.List;

/**
 * A merge of source rows into a table, matched on key columns. With no clause chosen it is an
 * upsert: {@link #whenMatchedUpdateAll()} and {@link #whenNotMatchedInsert()}.
 *
 * <pre>{@code
 * table.merge(rows).on("id").whenMatchedUpdateAll().whenNotMatchedInsert().execute();
 * table.merge(tombstones).on("id").whenMatchedDelete().execute();
 * }</pre>
 *
 * <p>Under concurrent commits it re-plans like {@link Table#delete(Expression)}, so two upserts of
 * the same new key end with one row. Not thread-safe; the table it runs on is.
 */
public interface MergeBuilder {
  /** The key columns (top-level) on which source and table rows match; a null key never matches. */
  MergeBuilder on(String... keyColumns);

  /** The key columns. @see #on(String...) */
  MergeBuilder on(List<String> keyColumns);

  /** Matched table rows are replaced by their source row. */
  MergeBuilder whenMatchedUpdateAll();

  /** Matched table rows are deleted. */
  MergeBuilder whenMatchedDelete();

  /** Source rows that match no table row are inserted. */
  MergeBuilder whenNotMatchedInsert();

  /**
   * Runs the merge as one commit.
   *
   * @throws InvalidRowException if two source rows have the same key, or a row does not fit the schema
   * @throws IllegalStateException if no key columns were given
   */
  CommitResult execute();
}
