package io.datashard.internal.table;

import io.datashard.CloseableIterator;
import io.datashard.CorruptTableException;
import io.datashard.Field;
import io.datashard.InvalidRowException;
import io.datashard.StorageException;
import io.datashard.StructType;
import io.datashard.TableOptions;
import io.datashard.internal.log.Action.AddFile;
import io.datashard.internal.log.TableState;
import io.datashard.internal.parquet.ColumnMapping;
import io.datashard.internal.parquet.DataFileReader;
import io.datashard.internal.parquet.DataFileWriter;
import io.datashard.internal.parquet.DataFileWriter.WrittenFile;
import io.datashard.internal.parquet.ReadMetrics;
import io.datashard.internal.parquet.RowGroupFilter;
import io.datashard.storage.NewFile;
import io.datashard.storage.PathOutsideTableException;
import io.datashard.storage.Storage;
import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.UUID;
import java.util.function.LongPredicate;

/**
 * Reads data files as full-schema rows and writes normalized rows as partitioned data files; the
 * one place that maps between the table schema and the files' data columns.
 */
public final class DataFiles {
  private final Storage storage;
  private final String table;
  private final String localRoot;

  public DataFiles(Storage storage, String table, String localRoot) {
    this.storage = storage;
    this.table = table;
    this.localRoot = localRoot;
  }

  /**
   * The rows of a data file as {@code Object[]}s in table-schema order, partition values filled in.
   * Only the columns flagged in {@code needed} are read; the others are null.
   */
  public CloseableIterator<Object[]> read(TableState state, AddFile add, boolean[] needed) {
    return read(state, add, needed, Optional.empty(), new ReadMetrics());
  }

  /**
   * As {@link #read(TableState, AddFile, boolean[])}, skipping the row groups that {@code filter}
   * excludes (rows of the others are returned unfiltered) and counting what is read in {@code metrics}.
   */
  public CloseableIterator<Object[]> read(TableState state, AddFile add, boolean[] needed, Optional<RowGroupFilter> filter,
      ReadMetrics metrics) {
    StructType schema = state.schema().asStruct();
    List<String> partitionColumns = state.partitionColumns();
    ColumnMapping mapping = ColumnMapping.of(state.metadata().configuration(), table);
    Object[] template = new Object[schema.size()];
    List<Field> readFields = new ArrayList<>();
    List<Integer> readPositions = new ArrayList<>();
    for (int i = 0; i < schema.size(); i++) {
      Field f = schema.fields().get(i);
      int p = partitionColumns.indexOf(f.name());
      if (p >= 0) {
        template[i] = partitionValue(state, add, f, mapping.physicalName(f));
      } else if (needed[i]) {
        readFields.add(f);
        readPositions.add(i);
      }
    }
    String path = DataPaths.decode(add.path(), localRoot, table, state.version());
    String description = "data file " + path + " of table " + table + " (version " + state.version() + ")";
    LongPredicate deleted = add.deletionVector().isEmpty() ? row -> false
        : DeletionVectors.load(storage, localRoot, add.deletionVector().get(), table, state.version(), description);
    SeekableByteChannel channel = open(path, state.version());
    CloseableIterator<Object[]> fileRows;
    try {
      fileRows = DataFileReader.read(channel, channel.size(), new StructType(readFields), description, mapping, deleted,
          filter, metrics);
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
    int[] positions = readPositions.stream().mapToInt(Integer::intValue).toArray();
    return new CloseableIterator<>() {
      @Override
      public boolean hasNext() {
        return fileRows.hasNext();
      }

      @Override
      public Object[] next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        Object[] values = fileRows.next();
        Object[] row = template.clone();
        for (int i = 0; i < positions.length; i++) {
          row[positions[i]] = values[i];
        }
        return row;
      }

      @Override
      public void close() {
        fileRows.close();
      }
    };
  }

  /** A partition column's value, which {@code add.partitionValues} holds under the column's physical name. */
  private Object partitionValue(TableState state, AddFile add, Field f, String physicalName) {
    if (!add.partitionValues().containsKey(physicalName)) {
      throw new CorruptTableException("table " + table + ", version " + state.version() + ": data file " + add.path()
          + " has no partition value for column '" + f.name() + "'"
          + (physicalName.equals(f.name()) ? "" : " (physical name '" + physicalName + "')"));
    }
    String raw = add.partitionValues().get(physicalName);
    try {
      return PartitionCodec.parse(raw, f.type());
    } catch (RuntimeException e) {
      throw new CorruptTableException("table " + table + ", version " + state.version() + ": data file " + add.path()
          + " has partition value '" + raw + "' for column '" + f.name() + "', which is not a valid "
          + f.type().toText(), e);
    }
  }

  private SeekableByteChannel open(String path, long version) {
    try {
      return storage.openRead(path);
    } catch (NoSuchFileException e) {
      throw new CorruptTableException("table " + table + ", version " + version + ": data file " + path + " is missing", e);
    } catch (PathOutsideTableException e) {
      throw new CorruptTableException("table " + table + ", version " + version + ": " + e.getMessage(), e);
    } catch (IOException e) {
      throw new StorageException("cannot open data file " + path + " of table " + table, e);
    }
  }

  /** A data file written and visible, whose durability may still be pending. */
  public record Written(AddFile add, NewFile file) {}

  /**
   * Writes normalized rows (table-schema order) as data files, one per partition. On failure the
   * files written by this call are deleted. Await each file's durability before committing it.
   *
   * @return the new files with their {@code add} actions
   */
  public List<Written> write(TableState state, List<Object[]> rows, TableOptions options) {
    StructType schema = state.schema().asStruct();
    List<String> partitionColumns = state.partitionColumns();
    int[] partitionIndexes = partitionColumns.stream().mapToInt(schema::indexOf).toArray();
    int[] dataIndexes = java.util.stream.IntStream.range(0, schema.size())
        .filter(i -> !partitionColumns.contains(schema.fields().get(i).name())).toArray();
    List<Field> dataFields = new ArrayList<>();
    for (int i : dataIndexes) {
      dataFields.add(schema.fields().get(i));
    }
    StructType dataSchema = new StructType(dataFields);
    Map<List<String>, List<Object[]>> groups = new LinkedHashMap<>();
    long index = 0;
    for (Object[] values : rows) {
      List<String> key = partitionKey(schema, partitionIndexes, values, index++);
      Object[] data = new Object[dataIndexes.length];
      for (int i = 0; i < dataIndexes.length; i++) {
        data[i] = values[dataIndexes[i]];
      }
      groups.computeIfAbsent(key, k -> new ArrayList<>()).add(data);
    }
    List<Written> written = new ArrayList<>();
    try {
      for (Map.Entry<List<String>, List<Object[]>> group : groups.entrySet()) {
        written.add(writeFile(partitionColumns, group.getKey(), dataSchema, group.getValue(), options));
      }
    } catch (RuntimeException e) {
      delete(written.stream().map(Written::add).toList(), state.version(), e);
      throw e;
    }
    return written;
  }

  private static List<String> partitionKey(StructType schema, int[] partitionIndexes, Object[] values, long rowIndex) {
    if (partitionIndexes.length == 0) {
      return List.of();
    }
    String[] key = new String[partitionIndexes.length];
    for (int i = 0; i < partitionIndexes.length; i++) {
      Field f = schema.fields().get(partitionIndexes[i]);
      Object v = values[partitionIndexes[i]];
      if ("".equals(v)) {
        // Delta readers disagree on whether "" is null: refuse rather than change the value.
        throw new InvalidRowException(rowIndex, f.name(), "an empty string cannot be a partition value");
      }
      key[i] = v == null ? null : PartitionCodec.serialize(v, f.type());
    }
    return Arrays.asList(key);
  }

  private Written writeFile(List<String> partitionColumns, List<String> partition, StructType dataSchema,
      List<Object[]> rows, TableOptions options) {
    StringBuilder dir = new StringBuilder();
    Map<String, String> partitionValues = new LinkedHashMap<>();
    for (int i = 0; i < partitionColumns.size(); i++) {
      dir.append(PartitionCodec.directory(partitionColumns.get(i), partition.get(i))).append('/');
      partitionValues.put(partitionColumns.get(i), partition.get(i));
    }
    String codec = options.compression().name().toLowerCase(Locale.ROOT);
    String path = dir + "part-00000-" + UUID.randomUUID() + ".c000." + codec + ".parquet";
    try (NewFile out = storage.create(path)) {
      WrittenFile written = DataFileWriter.write(out, dataSchema, rows, options.compression(), options.rowGroupSize());
      long size = out.publish();
      return new Written(new AddFile(DataPaths.encode(path), partitionValues, size, System.currentTimeMillis(), true,
          Optional.of(written.statsJson())), out);
    } catch (IOException e) {
      throw new StorageException("cannot write data file " + path + " of table " + table, e);
    }
  }

  /** Deletes uncommitted data files; failures are attached to {@code primary}, or thrown if it is null. */
  public void delete(List<AddFile> files, long version, RuntimeException primary) {
    for (AddFile f : files) {
      try {
        storage.delete(DataPaths.decode(f.path(), localRoot, table, version));
      } catch (IOException e) {
        StorageException failure = new StorageException("cannot delete uncommitted data file " + f.path()
            + " of table " + table + " (vacuum removes it later)", e);
        if (primary != null) {
          primary.addSuppressed(failure);
        } else {
          throw failure;
        }
      }
    }
  }
}
