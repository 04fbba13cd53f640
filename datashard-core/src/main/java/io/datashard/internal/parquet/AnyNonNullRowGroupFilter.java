package io.datashard.internal.parquet;

import java.util.List;
import java.util.Optional;
import org.apache.parquet.filter2.predicate.FilterApi;
import org.apache.parquet.filter2.predicate.FilterPredicate;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;

/**
 * Skips row groups in which every one of some columns is null (their null count equals the row
 * count), such as the tombstone-only row groups of a checkpoint when only the live state is read. A
 * column the file lacks holds no value, so it is left out; a column of a type this filter cannot
 * express disables skipping for the file, so that no row group holding a wanted row is ever skipped.
 *
 * @param columns dotted column paths, e.g. {@code add.path}
 */
record AnyNonNullRowGroupFilter(List<String> columns) implements RowGroupFilter {

  @Override
  public Optional<FilterPredicate> forFile(MessageType fileSchema, ColumnMapping mapping) {
    FilterPredicate any = null;
    for (String column : columns) {
      String[] path = column.split("\\.");
      if (!fileSchema.containsPath(path)) {
        continue;
      }
      Type type = fileSchema.getType(path);
      if (!type.isPrimitive() || type.isRepetition(Type.Repetition.REPEATED)) {
        return Optional.empty();
      }
      FilterPredicate notNull;
      PrimitiveType.PrimitiveTypeName physical = type.asPrimitiveType().getPrimitiveTypeName();
      switch (physical) {
        case BINARY -> notNull = FilterApi.notEq(FilterApi.binaryColumn(column), null);
        case INT32 -> notNull = FilterApi.notEq(FilterApi.intColumn(column), null);
        case INT64 -> notNull = FilterApi.notEq(FilterApi.longColumn(column), null);
        default -> {
          return Optional.empty();
        }
      }
      any = any == null ? notNull : FilterApi.or(any, notNull);
    }
    return Optional.ofNullable(any);
  }
}
