package io.datashard;

import io.datashard.internal.table.TableFactory;
import io.datashard.storage.Storage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A table about to be created: schema, partition columns, properties and handle options. Obtain one
 * from {@link Table#define(String, Schema)}; finish with {@link #create()} or {@link #createIfAbsent()}.
 * Not thread-safe; the table it creates is.
 */
public final class TableDefinition {
  private final String location;
  private final Storage storage;
  private final Schema schema;
  private final List<String> partitionColumns = new ArrayList<>();
  private final Map<String, String> properties = new LinkedHashMap<>();
  private TableOptions options = TableOptions.DEFAULT;

  TableDefinition(String location, Storage storage, Schema schema) {
    this.location = location;
    this.storage = storage;
    this.schema = Objects.requireNonNull(schema, "schema");
  }

  /**
   * Partitions the table by these columns (identity partitioning, Hive-style {@code col=value/}
   * directories). Partition columns must be top-level columns of a primitive type other than
   * float, double and binary, or decimal.
   */
  public TableDefinition partitionBy(String... columns) {
    partitionColumns.addAll(List.of(columns));
    return this;
  }

  /** Partitions the table by these columns. @see #partitionBy(String...) */
  public TableDefinition partitionBy(List<String> columns) {
    partitionColumns.addAll(columns);
    return this;
  }

  /** Sets a table property ({@code metaData.configuration}), e.g. {@code delta.appendOnly}. */
  public TableDefinition property(String key, String value) {
    properties.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
    return this;
  }

  /** Options of the handle that {@code create} returns. */
  public TableDefinition options(TableOptions options) {
    this.options = Objects.requireNonNull(options, "options");
    return this;
  }

  /**
   * Creates the table as version 0 and returns a handle on it. Exactly one of any number of
   * concurrent creators succeeds.
   *
   * @throws TableAlreadyExistsException if a table exists at the location
   * @throws InvalidSchemaException if a partition column is missing or of an unsupported type
   */
  public Table create() {
    return TableFactory.create(location, storage, schema, partitionColumns, properties, options, false);
  }

  /**
   * Creates the table unless one exists, and returns a handle either way. Any number of concurrent
   * callers end with exactly one table and no error.
   *
   * @throws TableAlreadyExistsException if an existing table has a different schema or partitioning
   */
  public Table createIfAbsent() {
    return TableFactory.create(location, storage, schema, partitionColumns, properties, options, true);
  }
}
