package io.datashard.testing;

import io.delta.kernel.Scan;
import io.delta.kernel.Snapshot;
import io.delta.kernel.SnapshotBuilder;
import io.delta.kernel.TableManager;
import io.delta.kernel.data.ArrayValue;
import io.delta.kernel.data.ColumnVector;
import io.delta.kernel.data.ColumnarBatch;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.data.MapValue;
import io.delta.kernel.data.Row;
import io.delta.kernel.defaults.engine.DefaultEngine;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.engine.FileReadResult;
import io.delta.kernel.internal.InternalScanFileUtils;
import io.delta.kernel.internal.data.ScanStateRow;
import io.delta.kernel.types.ArrayType;
import io.delta.kernel.types.BinaryType;
import io.delta.kernel.types.BooleanType;
import io.delta.kernel.types.ByteType;
import io.delta.kernel.types.DataType;
import io.delta.kernel.types.DateType;
import io.delta.kernel.types.DecimalType;
import io.delta.kernel.types.DoubleType;
import io.delta.kernel.types.FloatType;
import io.delta.kernel.types.IntegerType;
import io.delta.kernel.types.LongType;
import io.delta.kernel.types.MapType;
import io.delta.kernel.types.ShortType;
import io.delta.kernel.types.StringType;
import io.delta.kernel.types.StructField;
import io.delta.kernel.types.StructType;
import io.delta.kernel.types.TimestampNTZType;
import io.delta.kernel.types.TimestampType;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.FileStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;

/**
 * The Delta Kernel half of {@link KernelOracle}; use {@link KernelOracle}, not this class.
 *
 * <p>{@link KernelOracle} loads this class in its own class loader, next to Kernel and Kernel's
 * own Hadoop ({@code hadoop-client-api}/{@code -runtime}), because on the test class path the
 * main code's trimmed {@code hadoop-common} shadows those Hadoop classes and Kernel cannot work
 * with it. So this class must only take and return JDK types, and must not refer to any other
 * project class.
 *
 * <p>Every method takes the table's absolute path and a version, {@code -1} meaning the latest.
 */
public final class KernelOracleReader {

  private KernelOracleReader() {}

  /** One engine for all reads; DefaultEngine holds nothing but its Hadoop configuration. */
  private static final class EngineHolder {
    static final Engine ENGINE = DefaultEngine.create(configuration());

    private static Configuration configuration() {
      Configuration conf = new Configuration();
      // Hadoop loads classes named in its configuration (file systems, resolvers, codecs) through
      // this loader; by default it is the thread's context loader, which may be the test's.
      conf.setClassLoader(KernelOracleReader.class.getClassLoader());
      return conf;
    }
  }

  public static long latestVersion(String tablePath) {
    return snapshot(tablePath, -1).getVersion();
  }

  public static List<String> columnNames(String tablePath, long version) {
    List<String> names = new ArrayList<>();
    for (StructField f : snapshot(tablePath, version).getSchema().fields()) {
      names.add(f.getName());
    }
    return List.copyOf(names);
  }

  public static List<String> partitionColumns(String tablePath, long version) {
    return List.copyOf(snapshot(tablePath, version).getPartitionColumnNames());
  }

  /** All rows, each a list of normalized column values in schema order (see KernelOracle). */
  public static List<List<Object>> readRows(String tablePath, long version) {
    Snapshot snapshot = snapshot(tablePath, version);
    Engine engine = EngineHolder.ENGINE;
    Scan scan = snapshot.getScanBuilder().build();
    Row scanState = scan.getScanState(engine);
    StructType physicalReadSchema = ScanStateRow.getPhysicalDataReadSchema(scanState);
    List<List<Object>> rows = new ArrayList<>();
    try (CloseableIterator<FilteredColumnarBatch> scanFiles = scan.getScanFiles(engine)) {
      while (scanFiles.hasNext()) {
        // FilteredColumnarBatch.getRows() skips scan-file rows its selection vector deselects.
        try (CloseableIterator<Row> scanFileRows = scanFiles.next().getRows()) {
          while (scanFileRows.hasNext()) {
            Row scanFileRow = scanFileRows.next();
            FileStatus file = InternalScanFileUtils.getAddFileStatus(scanFileRow);
            CloseableIterator<ColumnarBatch> physicalData =
                engine
                    .getParquetHandler()
                    .readParquetFiles(singleton(file), physicalReadSchema, Optional.empty())
                    .map(FileReadResult::getData);
            // Adds partition values, applies the deletion vector (as a selection vector) and maps
            // physical to logical column names.
            try (CloseableIterator<FilteredColumnarBatch> logicalData =
                Scan.transformPhysicalData(engine, scanState, scanFileRow, physicalData)) {
              while (logicalData.hasNext()) {
                addRows(logicalData.next(), rows);
              }
            }
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Kernel failed to read " + snapshot.getPath() + " at version " + snapshot.getVersion(),
          e);
    }
    return rows;
  }

  private static Snapshot snapshot(String tablePath, long version) {
    SnapshotBuilder builder = TableManager.loadSnapshot(tablePath);
    if (version >= 0) {
      builder = builder.atVersion(version);
    }
    return builder.build(EngineHolder.ENGINE);
  }

  private static void addRows(FilteredColumnarBatch batch, List<List<Object>> out) {
    ColumnarBatch data = batch.getData();
    StructType schema = data.getSchema();
    int columns = schema.length();
    ColumnVector[] vectors = new ColumnVector[columns];
    DataType[] types = new DataType[columns];
    for (int c = 0; c < columns; c++) {
      vectors[c] = data.getColumnVector(c);
      types[c] = schema.at(c).getDataType();
    }
    ColumnVector selection = batch.getSelectionVector().orElse(null);
    int size = data.getSize();
    for (int r = 0; r < size; r++) {
      // Kernel's convention: a row is selected iff there is no selection vector, or its entry is
      // non-null and true (rows deleted by a deletion vector are false).
      if (selection != null && (selection.isNullAt(r) || !selection.getBoolean(r))) {
        continue;
      }
      List<Object> row = new ArrayList<>(columns);
      for (int c = 0; c < columns; c++) {
        row.add(value(vectors[c], types[c], r));
      }
      out.add(row);
    }
  }

  private static Object value(ColumnVector v, DataType type, int i) {
    if (v.isNullAt(i)) {
      return null;
    }
    if (type instanceof StringType) {
      return v.getString(i);
    } else if (type instanceof LongType) {
      return v.getLong(i);
    } else if (type instanceof IntegerType) {
      return v.getInt(i);
    } else if (type instanceof ShortType) {
      return v.getShort(i);
    } else if (type instanceof ByteType) {
      return v.getByte(i);
    } else if (type instanceof FloatType) {
      return v.getFloat(i);
    } else if (type instanceof DoubleType) {
      return v.getDouble(i);
    } else if (type instanceof BooleanType) {
      return v.getBoolean(i);
    } else if (type instanceof BinaryType) {
      return v.getBinary(i);
    } else if (type instanceof DecimalType d) {
      // Exact: a decimal(p, s) value never has more than s digits after the point.
      return v.getDecimal(i).setScale(d.getScale(), RoundingMode.UNNECESSARY);
    } else if (type instanceof DateType) {
      return LocalDate.ofEpochDay(v.getInt(i)); // days since 1970-01-01
    } else if (type instanceof TimestampType) {
      long micros = v.getLong(i); // microseconds since the epoch, UTC
      return Instant.ofEpochSecond(
          Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
    } else if (type instanceof TimestampNTZType) {
      long micros = v.getLong(i); // wall-clock microseconds since 1970-01-01T00:00
      return LocalDateTime.ofEpochSecond(
          Math.floorDiv(micros, 1_000_000L),
          (int) (Math.floorMod(micros, 1_000_000L) * 1_000L),
          ZoneOffset.UTC);
    } else if (type instanceof StructType st) {
      List<Object> fields = new ArrayList<>(st.length());
      for (int f = 0; f < st.length(); f++) {
        fields.add(value(v.getChild(f), st.at(f).getDataType(), i));
      }
      return fields;
    } else if (type instanceof ArrayType at) {
      ArrayValue array = v.getArray(i);
      ColumnVector elements = array.getElements();
      List<Object> out = new ArrayList<>(array.getSize());
      for (int e = 0; e < array.getSize(); e++) {
        out.add(value(elements, at.getElementType(), e));
      }
      return out;
    } else if (type instanceof MapType mt) {
      MapValue map = v.getMap(i);
      ColumnVector keys = map.getKeys();
      ColumnVector values = map.getValues();
      LinkedHashMap<Object, Object> out = new LinkedHashMap<>();
      for (int e = 0; e < map.getSize(); e++) {
        out.put(value(keys, mt.getKeyType(), e), value(values, mt.getValueType(), e));
      }
      return out;
    }
    throw new UnsupportedOperationException("KernelOracle does not support the Delta type " + type);
  }

  private static <T> CloseableIterator<T> singleton(T item) {
    return new CloseableIterator<>() {
      private boolean consumed;

      @Override
      public boolean hasNext() {
        return !consumed;
      }

      @Override
      public T next() {
        if (consumed) {
          throw new NoSuchElementException();
        }
        consumed = true;
        return item;
      }

      @Override
      public void close() {}
    };
  }
}
