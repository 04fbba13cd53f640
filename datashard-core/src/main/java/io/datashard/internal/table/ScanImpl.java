package io.datashard.internal.table;

import io.datashard.CloseableIterator;
import io.datashard.CorruptTableException;
import io.datashard.Field;
import io.datashard.NoSuchColumnException;
import io.datashard.Row;
import io.datashard.Scan;
import io.datashard.Schema;
import io.datashard.StorageException;
import io.datashard.StructType;
import io.datashard.internal.log.Action.AddFile;
import io.datashard.internal.log.TableState;
import io.datashard.internal.parquet.DataFileReader;
import io.datashard.storage.PathOutsideTableException;
import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.NoSuchFileException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.OptionalLong;

/** An immutable scan description; reading resolves the snapshot and streams its files one by one. */
final class ScanImpl implements Scan {
  /** Which snapshot, which columns, how many rows. */
  record Spec(Long version, Instant asOf, List<String> columns, long limit) {
    static final Spec LATEST = new Spec(null, null, null, -1);
  }

  private final TableImpl table;
  private final Spec spec;

  ScanImpl(TableImpl table, Spec spec) {
    this.table = table;
    this.spec = spec;
  }

  @Override
  public Scan select(String... columns) {
    return select(List.of(columns));
  }

  @Override
  public Scan select(List<String> columns) {
    if (columns.isEmpty()) {
      throw new IllegalArgumentException("select needs at least one column");
    }
    return new ScanImpl(table, new Spec(spec.version(), spec.asOf(), List.copyOf(columns), spec.limit()));
  }

  @Override
  public Scan useSnapshot(long version) {
    return new ScanImpl(table, new Spec(version, null, spec.columns(), spec.limit()));
  }

  @Override
  public Scan asOf(Instant instant) {
    return new ScanImpl(table, new Spec(null, instant, spec.columns(), spec.limit()));
  }

  @Override
  public Scan limit(long rows) {
    if (rows < 0) {
      throw new IllegalArgumentException("limit must not be negative: " + rows);
    }
    return new ScanImpl(table, new Spec(spec.version(), spec.asOf(), spec.columns(), rows));
  }

  private TableState state() {
    if (spec.version() != null) {
      return table.stateAt(spec.version());
    }
    if (spec.asOf() != null) {
      return table.stateAt(table.versionAsOf(spec.asOf()));
    }
    return table.refresh();
  }

  private List<Field> outputFields(TableState state, List<String> columns) {
    Schema schema = state.schema();
    if (columns == null) {
      return schema.fields();
    }
    List<Field> fields = new ArrayList<>();
    for (String c : columns) {
      fields.add(schema.field(c).orElseThrow(() -> new NoSuchColumnException("table " + table.location()
          + " has no column '" + c + "'; its columns are " + schema.fieldNames())));
    }
    return fields;
  }

  @Override
  public Schema schema() {
    return new Schema(outputFields(state(), spec.columns()));
  }

  @Override
  public long count() {
    TableState state = state();
    outputFields(state, spec.columns());
    long total = 0;
    boolean exact = true;
    for (AddFile f : state.files().values()) {
      OptionalLong n = Stats.numRecords(f);
      if (n.isEmpty()) {
        exact = false;
        break;
      }
      total += n.getAsLong();
    }
    if (!exact) {
      total = 0;
      try (CloseableIterator<Row> it = iterator(state)) {
        while (it.hasNext()) {
          it.next();
          total++;
        }
      }
      return total;
    }
    return spec.limit() >= 0 ? Math.min(total, spec.limit()) : total;
  }

  @Override
  public CloseableIterator<Row> iterator() {
    return iterator(state());
  }

  private CloseableIterator<Row> iterator(TableState state) {
    StructType out = new StructType(outputFields(state, spec.columns()));
    return new RowIterator(state, out, List.copyOf(state.files().values()).iterator(), spec.limit());
  }

  /** Streams the rows of the files one file at a time; only one file is open at once. */
  private final class RowIterator implements CloseableIterator<Row> {
    private final TableState state;
    private final StructType outType;
    private final Iterator<AddFile> files;
    private final long limit;
    private final StructType readType;
    /** For each output column: its index in the file rows, or -(partition index + 1). */
    private final int[] sources;
    private CloseableIterator<Object[]> current;
    private Object[] partitionValues;
    private long returned;
    private Row next;
    private boolean closed;

    RowIterator(TableState state, StructType outType, Iterator<AddFile> files, long limit) {
      this.state = state;
      this.outType = outType;
      this.files = files;
      this.limit = limit;
      List<String> partitionColumns = state.partitionColumns();
      List<Field> readFields = new ArrayList<>();
      sources = new int[outType.size()];
      for (int i = 0; i < outType.size(); i++) {
        Field f = outType.fields().get(i);
        int p = partitionColumns.indexOf(f.name());
        if (p >= 0) {
          sources[i] = -(p + 1);
        } else {
          sources[i] = readFields.size();
          readFields.add(f);
        }
      }
      this.readType = new StructType(readFields);
    }

    @Override
    public boolean hasNext() {
      if (next != null) {
        return true;
      }
      if (closed || (limit >= 0 && returned >= limit)) {
        return false;
      }
      while (true) {
        if (current != null && current.hasNext()) {
          next = toRow(current.next());
          return true;
        }
        closeCurrent();
        if (!files.hasNext()) {
          return false;
        }
        openNext(files.next());
      }
    }

    @Override
    public Row next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      Row r = next;
      next = null;
      returned++;
      return r;
    }

    private Row toRow(Object[] fileRow) {
      Object[] values = new Object[sources.length];
      for (int i = 0; i < sources.length; i++) {
        values[i] = sources[i] >= 0 ? fileRow[sources[i]] : partitionValues[-sources[i] - 1];
      }
      return Row.of(outType, values);
    }

    private void openNext(AddFile add) {
      String table = ScanImpl.this.table.location();
      String path = DataPaths.decode(add.path(), ScanImpl.this.table.localRoot(), table, state.version());
      List<String> partitionColumns = state.partitionColumns();
      partitionValues = new Object[partitionColumns.size()];
      for (int i = 0; i < partitionColumns.size(); i++) {
        String column = partitionColumns.get(i);
        if (!add.partitionValues().containsKey(column)) {
          throw new CorruptTableException("table " + table + ", version " + state.version() + ": data file " + add.path()
              + " has no partition value for column '" + column + "'");
        }
        String raw = add.partitionValues().get(column);
        try {
          partitionValues[i] = PartitionCodec.parse(raw, state.schema().field(column).orElseThrow().type());
        } catch (RuntimeException e) {
          throw new CorruptTableException("table " + table + ", version " + state.version() + ": data file " + add.path()
              + " has partition value '" + raw + "' for column '" + column + "', which is not a valid "
              + state.schema().field(column).orElseThrow().type().toText(), e);
        }
      }
      SeekableByteChannel channel;
      try {
        channel = ScanImpl.this.table.log().storage().openRead(path);
      } catch (NoSuchFileException e) {
        throw new CorruptTableException("table " + table + ", version " + state.version() + ": data file " + path
            + " is missing", e);
      } catch (PathOutsideTableException e) {
        throw new CorruptTableException("table " + table + ", version " + state.version() + ": " + e.getMessage(), e);
      } catch (IOException e) {
        throw new StorageException("cannot open data file " + path + " of table " + table, e);
      }
      try {
        current = DataFileReader.read(channel, channel.size(), readType, "data file " + path + " of table " + table
            + " (version " + state.version() + ")");
      } catch (IOException | RuntimeException e) {
        RuntimeException failure = e instanceof RuntimeException r ? r
            : new StorageException("cannot read data file " + path + " of table " + table, (IOException) e);
        try {
          channel.close();
        } catch (IOException closeFailure) {
          failure.addSuppressed(closeFailure);
        }
        throw failure;
      }
    }

    private void closeCurrent() {
      if (current != null) {
        CloseableIterator<Object[]> c = current;
        current = null;
        c.close();
      }
    }

    @Override
    public void close() {
      closed = true;
      next = null;
      closeCurrent();
    }
  }
}
