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
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;

/**
 * Test oracle: reads a Delta table with the real Delta Kernel (4.4.0, default engine) and
 * returns its rows as plain Java values, so tests can prove that a table written by DataShard
 * is a real Delta table and that DataShard's reader returns exactly the rows Kernel does.
 *
 * <p>Rows are read through Kernel's standard scan flow: snapshot &rarr; scan &rarr; scan files
 * &rarr; Parquet read of each file with the physical read schema &rarr; {@link
 * Scan#transformPhysicalData}, which fills in partition columns, applies deletion vectors (as a
 * selection vector, which is honoured here) and maps physical to logical column names (column
 * mapping). No filter or projection is pushed down: all rows, all columns.
 *
 * <p>Each row is a {@code List<Object>} of the column values in schema order, normalized to:
 *
 * <table>
 *   <caption>Delta type to Java type</caption>
 *   <tr><td>string</td><td>{@link String}</td></tr>
 *   <tr><td>long / integer / short / byte</td><td>{@link Long} / {@link Integer} / {@link Short} /
 *       {@link Byte}</td></tr>
 *   <tr><td>float / double / boolean</td><td>{@link Float} / {@link Double} / {@link Boolean}</td></tr>
 *   <tr><td>binary</td><td>{@code byte[]}</td></tr>
 *   <tr><td>decimal(p, s)</td><td>{@link BigDecimal} with scale {@code s}</td></tr>
 *   <tr><td>date</td><td>{@link LocalDate}</td></tr>
 *   <tr><td>timestamp</td><td>{@link Instant} (microsecond precision)</td></tr>
 *   <tr><td>timestamp_ntz</td><td>{@link LocalDateTime} (microsecond precision)</td></tr>
 *   <tr><td>struct</td><td>{@code List<Object>} of field values in order (null struct: null)</td></tr>
 *   <tr><td>array</td><td>{@code List<Object>}</td></tr>
 *   <tr><td>map</td><td>{@link LinkedHashMap}{@code <Object, Object>} in stored entry order</td></tr>
 * </table>
 *
 * <p>A SQL NULL is Java {@code null} at any level. Other Delta types (variant, geometry, ...)
 * make the read fail with {@link UnsupportedOperationException}.
 *
 * <p>Because {@code byte[]} has identity {@code equals}, compare rows that may hold binary values
 * through {@link #canonical(Object)}; sort with {@link #ROW_ORDER}.
 */
public final class KernelOracle {

  private KernelOracle() {}

  /** One engine for all reads; DefaultEngine is stateless apart from its Hadoop configuration. */
  private static final class EngineHolder {
    static final Engine ENGINE = DefaultEngine.create(new Configuration());
  }

  private static Engine engine() {
    return EngineHolder.ENGINE;
  }

  // ---------------------------------------------------------------------------------------------
  // Public API
  // ---------------------------------------------------------------------------------------------

  /** All rows of the latest version of the table at {@code table}, normalized (see class doc). */
  public static List<List<Object>> readRows(Path table) {
    return readRows(snapshot(table, null));
  }

  /** All rows of version {@code version} of the table at {@code table}, normalized. */
  public static List<List<Object>> readRows(Path table, long version) {
    return readRows(snapshot(table, version));
  }

  /** The top-level column names of the latest version, in schema order. */
  public static List<String> columnNames(Path table) {
    return columnNames(table, null);
  }

  /** The top-level column names of version {@code version}, in schema order. */
  public static List<String> columnNames(Path table, long version) {
    return columnNames(table, Long.valueOf(version));
  }

  /** The latest committed version of the table, as Kernel sees it. */
  public static long latestVersion(Path table) {
    return snapshot(table, null).getVersion();
  }

  /** The partition column names of the latest version, in the table's partition order. */
  public static List<String> partitionColumns(Path table) {
    return List.copyOf(snapshot(table, null).getPartitionColumnNames());
  }

  /**
   * A total order on normalized rows: element-wise by {@link #canonicalString(Object)}, then by
   * length (a row that is a prefix of another sorts first). {@code null} sorts before any value.
   * It is meant only to sort both sides the same way before an ordered comparison; it is not a
   * natural (numeric) order.
   */
  public static final Comparator<List<Object>> ROW_ORDER = KernelOracle::compareRows;

  /**
   * Makes a normalized value (or row) comparable with {@code equals}: every {@code byte[]} becomes
   * its lower-case hex string (e.g. {@code {0x01, (byte) 0xAB}} becomes {@code "01ab"}), and lists
   * and maps are copied recursively (lists to {@link ArrayList}, maps to {@link LinkedHashMap} in
   * the same entry order). All other values are returned unchanged. Note that after this a binary
   * value and a string holding the same hex text are equal; tests compare same-schema rows, so
   * this does not matter in practice.
   */
  public static Object canonical(Object v) {
    if (v instanceof byte[] bytes) {
      return HexFormat.of().formatHex(bytes);
    }
    if (v instanceof List<?> list) {
      List<Object> out = new ArrayList<>(list.size());
      for (Object e : list) {
        out.add(canonical(e));
      }
      return out;
    }
    if (v instanceof Map<?, ?> map) {
      Map<Object, Object> out = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        out.put(canonical(e.getKey()), canonical(e.getValue()));
      }
      return out;
    }
    return v;
  }

  /** {@link #canonical(Object)} applied to every row. */
  public static List<List<Object>> canonicalRows(List<List<Object>> rows) {
    List<List<Object>> out = new ArrayList<>(rows.size());
    for (List<Object> row : rows) {
      @SuppressWarnings("unchecked")
      List<Object> c = (List<Object>) canonical(row);
      out.add(c);
    }
    return out;
  }

  /**
   * The canonical string form used by {@link #ROW_ORDER}: {@code null} is {@code "null"}, {@code
   * byte[]} is {@code "0x"} + hex, strings are quoted, {@link BigDecimal} is its plain string,
   * lists are {@code [a, b]} and maps {@code {k=v, ...}} (recursively); everything else is {@code
   * toString()} prefixed by nothing. Two equal values always have the same form.
   */
  public static String canonicalString(Object v) {
    StringBuilder sb = new StringBuilder();
    appendCanonical(sb, v);
    return sb.toString();
  }

  // ---------------------------------------------------------------------------------------------
  // Kernel scan flow
  // ---------------------------------------------------------------------------------------------

  private static String kernelPath(Path table) {
    return table.toAbsolutePath().normalize().toString();
  }

  private static Snapshot snapshot(Path table, Long version) {
    SnapshotBuilder builder = TableManager.loadSnapshot(kernelPath(table));
    if (version != null) {
      builder = builder.atVersion(version);
    }
    return builder.build(engine());
  }

  private static List<String> columnNames(Path table, Long version) {
    List<String> names = new ArrayList<>();
    for (StructField f : snapshot(table, version).getSchema().fields()) {
      names.add(f.getName());
    }
    return Collections.unmodifiableList(names);
  }

  private static List<List<Object>> readRows(Snapshot snapshot) {
    Engine engine = engine();
    Scan scan = snapshot.getScanBuilder().build();
    Row scanState = scan.getScanState(engine);
    StructType physicalReadSchema = ScanStateRow.getPhysicalDataReadSchema(scanState);
    List<List<Object>> rows = new ArrayList<>();
    try (CloseableIterator<FilteredColumnarBatch> scanFiles = scan.getScanFiles(engine)) {
      while (scanFiles.hasNext()) {
        // getRows() honours the scan-file batch's own selection vector (removed files).
        try (CloseableIterator<Row> scanFileRows = scanFiles.next().getRows()) {
          while (scanFileRows.hasNext()) {
            Row scanFileRow = scanFileRows.next();
            FileStatus file = InternalScanFileUtils.getAddFileStatus(scanFileRow);
            CloseableIterator<ColumnarBatch> physicalData =
                engine
                    .getParquetHandler()
                    .readParquetFiles(singleton(file), physicalReadSchema, Optional.empty())
                    .map(FileReadResult::getData);
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
      // Kernel's convention: a row is selected iff the selection vector is absent, or its entry is
      // non-null and true (deleted rows from deletion vectors are false).
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
      // Exact: a decimal column's values never have more digits after the point than its scale.
      return v.getDecimal(i).setScale(d.getScale(), RoundingMode.UNNECESSARY);
    } else if (type instanceof DateType) {
      return LocalDate.ofEpochDay(v.getInt(i));
    } else if (type instanceof TimestampType) {
      long micros = v.getLong(i);
      return Instant.ofEpochSecond(
          Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
    } else if (type instanceof TimestampNTZType) {
      long micros = v.getLong(i);
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
      DataType elementType = at.getElementType();
      List<Object> out = new ArrayList<>(array.getSize());
      for (int e = 0; e < array.getSize(); e++) {
        out.add(value(elements, elementType, e));
      }
      return out;
    } else if (type instanceof MapType mt) {
      MapValue map = v.getMap(i);
      ColumnVector keys = map.getKeys();
      ColumnVector values = map.getValues();
      LinkedHashMap<Object, Object> out = new LinkedHashMap<>();
      for (int e = 0; e < map.getSize(); e++) {
        Object key = value(keys, mt.getKeyType(), e);
        // A byte[] key would only be an identity key; canonical() fixes that for comparisons.
        out.put(key, value(values, mt.getValueType(), e));
      }
      return out;
    }
    throw new UnsupportedOperationException("KernelOracle does not support Delta type " + type);
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

  // ---------------------------------------------------------------------------------------------
  // Ordering
  // ---------------------------------------------------------------------------------------------

  private static int compareRows(List<Object> a, List<Object> b) {
    int n = Math.min(a.size(), b.size());
    for (int i = 0; i < n; i++) {
      Object x = a.get(i);
      Object y = b.get(i);
      if (x == y) {
        continue;
      }
      if (x == null) {
        return -1;
      }
      if (y == null) {
        return 1;
      }
      int c = canonicalString(x).compareTo(canonicalString(y));
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(a.size(), b.size());
  }

  private static void appendCanonical(StringBuilder sb, Object v) {
    if (v == null) {
      sb.append("null");
    } else if (v instanceof byte[] bytes) {
      sb.append("0x").append(HexFormat.of().formatHex(bytes));
    } else if (v instanceof CharSequence s) {
      sb.append('"');
      for (int i = 0; i < s.length(); i++) {
        char ch = s.charAt(i);
        if (ch == '"' || ch == '\\') {
          sb.append('\\');
        }
        sb.append(ch);
      }
      sb.append('"');
    } else if (v instanceof BigDecimal d) {
      sb.append(d.toPlainString());
    } else if (v instanceof List<?> list) {
      sb.append('[');
      for (int i = 0; i < list.size(); i++) {
        if (i > 0) {
          sb.append(", ");
        }
        appendCanonical(sb, list.get(i));
      }
      sb.append(']');
    } else if (v instanceof Map<?, ?> map) {
      sb.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : map.entrySet()) {
        if (!first) {
          sb.append(", ");
        }
        first = false;
        appendCanonical(sb, e.getKey());
        sb.append('=');
        appendCanonical(sb, e.getValue());
      }
      sb.append('}');
    } else {
      sb.append(v);
    }
  }
}
