package io.datashard.internal.table;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.datashard.DataType;
import io.datashard.DecimalType;
import io.datashard.Field;
import io.datashard.PrimitiveType;
import io.datashard.StructType;
import io.datashard.internal.expr.BoundExpression.ColumnStatistics;
import io.datashard.internal.expr.BoundExpression.FileStatistics;
import io.datashard.internal.log.Action.AddFile;
import io.datashard.internal.parquet.ColumnMapping;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.OptionalLong;

/**
 * A data file's statistics ({@code add.stats}) and partition values, typed by the table schema, for
 * deciding whether a file can hold rows matching a predicate. Anything missing or unparseable is
 * "unknown", which keeps the file.
 */
public final class FileStatisticsView implements FileStatistics {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final StructType schema;
  private final List<String> partitionColumns;
  private final ColumnMapping mapping;
  private final AddFile add;
  private final JsonNode stats;
  private final OptionalLong numRecords;

  public FileStatisticsView(StructType schema, List<String> partitionColumns, AddFile add) {
    this(schema, partitionColumns, ColumnMapping.NONE, add);
  }

  /** Statistics and partition values keyed by the columns' physical names, as {@code mapping} says. */
  public FileStatisticsView(StructType schema, List<String> partitionColumns, ColumnMapping mapping, AddFile add) {
    this.schema = schema;
    this.partitionColumns = partitionColumns;
    this.mapping = mapping;
    this.add = add;
    JsonNode parsed = null;
    if (add.stats().isPresent()) {
      try {
        parsed = MAPPER.readTree(add.stats().get());
      } catch (IOException e) {
        parsed = null; // unreadable statistics only mean the file cannot be skipped
      }
    }
    this.stats = parsed;
    JsonNode n = parsed == null ? null : parsed.get("numRecords");
    this.numRecords = n != null && n.canConvertToExactIntegral() ? OptionalLong.of(n.asLong()) : OptionalLong.empty();
  }

  @Override
  public OptionalLong numRecords() {
    return numRecords;
  }

  @Override
  public ColumnStatistics column(int[] path) {
    Field top = schema.fields().get(path[0]);
    if (path.length == 1 && partitionColumns.contains(top.name())) {
      String raw = add.partitionValues().get(mapping.physicalName(top));
      if (raw == null) {
        return new ColumnStatistics(null, null, numRecords.orElse(-1));
      }
      Object value = PartitionCodec.parse(raw, top.type());
      return new ColumnStatistics(value, value, 0);
    }
    if (stats == null) {
      return null;
    }
    JsonNode min = stats.path("minValues");
    JsonNode max = stats.path("maxValues");
    JsonNode nulls = stats.path("nullCount");
    StructType struct = schema;
    DataType type = null;
    for (int index : path) {
      Field f = struct.fields().get(index);
      String name = mapping.physicalName(f);
      min = min.path(name);
      max = max.path(name);
      nulls = nulls.path(name);
      type = f.type();
      struct = type instanceof StructType s ? s : null;
    }
    long nullCount = nulls.canConvertToExactIntegral() ? nulls.asLong() : -1;
    return new ColumnStatistics(value(min, type), widenTimestampMax(value(max, type)), nullCount);
  }

  /** Timestamp statistics are written at millisecond precision (Spark truncates the max): widen by 1 ms. */
  private static Object widenTimestampMax(Object max) {
    if (max instanceof Instant i) {
      return i.plusMillis(1);
    }
    if (max instanceof LocalDateTime t) {
      return t.plusNanos(1_000_000);
    }
    return max;
  }

  /** A statistics value as the Java type of the column, or null if absent or not understood. */
  private static Object value(JsonNode node, DataType type) {
    if (node == null || node.isMissingNode() || node.isNull() || node.isContainerNode()) {
      return null;
    }
    try {
      if (type instanceof DecimalType d) {
        return node.isNumber() || node.isTextual() ? new BigDecimal(node.asText()) : null;
      }
      if (!(type instanceof PrimitiveType p)) {
        return null;
      }
      switch (p) {
        case STRING: return node.isTextual() ? node.asText() : null;
        case LONG: return node.canConvertToExactIntegral() ? node.asLong() : null;
        case INTEGER: return node.canConvertToExactIntegral() ? (int) node.asLong() : null;
        case SHORT: return node.canConvertToExactIntegral() ? (short) node.asLong() : null;
        case BYTE: return node.canConvertToExactIntegral() ? (byte) node.asLong() : null;
        case FLOAT: return node.isNumber() ? node.floatValue() : null;
        case DOUBLE: return node.isNumber() ? node.doubleValue() : null;
        case DATE: return node.isTextual() ? LocalDate.parse(node.asText()) : null;
        case TIMESTAMP: return node.isTextual() ? instant(node.asText()) : null;
        case TIMESTAMP_NTZ: return node.isTextual() ? LocalDateTime.parse(node.asText()) : null;
        default: return null;
      }
    } catch (DateTimeParseException | NumberFormatException e) {
      return null; // a statistic we cannot read only means the file cannot be skipped
    }
  }

  private static Instant instant(String text) {
    return text.endsWith("Z") ? Instant.parse(text) : OffsetDateTime.parse(text).toInstant();
  }
}
