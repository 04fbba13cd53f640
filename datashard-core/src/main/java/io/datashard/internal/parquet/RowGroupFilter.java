package io.datashard.internal.parquet;

import io.datashard.StructType;
import io.datashard.internal.expr.BoundExpression;
import java.util.List;
import java.util.Optional;
import org.apache.parquet.filter2.predicate.FilterPredicate;
import org.apache.parquet.schema.MessageType;

/**
 * Which row groups of a file may be skipped: the Parquet filter for one file, which keeps a superset
 * of the rows wanted (rows are never filtered by it, only row groups that statistics, dictionaries
 * or bloom filters prove hold none of them are skipped).
 */
public interface RowGroupFilter {

  /** The Parquet filter for a file with this schema, or empty to read every row group. */
  Optional<FilterPredicate> forFile(MessageType fileSchema, ColumnMapping mapping);

  /**
   * Row groups that may hold a row satisfying a scan predicate.
   *
   * @param schema the schema the predicate is bound to
   */
  static RowGroupFilter matching(BoundExpression predicate, StructType schema) {
    return new PredicateRowGroupFilter(predicate, schema);
  }

  /** Row groups where at least one of these columns (dotted paths) is not null in some row. */
  static RowGroupFilter anyNonNull(List<String> columns) {
    return new AnyNonNullRowGroupFilter(List.copyOf(columns));
  }
}
