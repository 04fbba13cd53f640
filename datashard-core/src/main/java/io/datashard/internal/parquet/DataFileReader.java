package io.datashard.internal.parquet;

import io.datashard.CloseableIterator;
import io.datashard.CorruptTableException;
import io.datashard.DataShardException;
import io.datashard.StorageException;
import io.datashard.StructType;
import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.function.LongPredicate;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.filter2.compat.FilterCompat;
import org.apache.parquet.filter2.predicate.FilterPredicate;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.MessageColumnIO;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.io.SeekableInputStream;
import org.apache.parquet.schema.MessageType;

/**
 * Reads the rows of a Parquet data file, ours or another Delta writer's, streaming one row group
 * at a time and skipping row groups that a {@link RowGroupFilter} excludes.
 */
public final class DataFileReader {
  private DataFileReader() {}

  /**
   * Reads every row of a file, columns found by name; see {@link #read(SeekableByteChannel, long,
   * StructType, String, ColumnMapping, LongPredicate, Optional, ReadMetrics)}.
   */
  public static CloseableIterator<Object[]> read(
      SeekableByteChannel channel, long length, StructType readSchema, String fileDescription) {
    return read(channel, length, readSchema, fileDescription, ColumnMapping.NONE, row -> false, Optional.empty(),
        new ReadMetrics());
  }

  /**
   * Opens a data file and reads its footer and first row group.
   *
   * <p>Rows are {@code Object[]} in {@code readSchema} order holding the Java types {@link
   * io.datashard.Row} documents: nested structs as {@link io.datashard.Row}, arrays as unmodifiable
   * {@link java.util.List}s, maps as unmodifiable {@link java.util.Map}s in file order. Only the columns in
   * {@code readSchema} are read, found as {@code mapping} says; a column the file lacks reads as
   * null. Rows a deletion vector deletes are left out. Row groups that {@code filter} proves hold no
   * matching row are skipped; the rows returned from the others are not filtered.
   *
   * @param channel the open file; closed by the iterator's {@code close()}, or by this method if it fails
   * @param length the file's size in bytes
   * @param readSchema the columns to read
   * @param fileDescription names the file in exception messages
   * @param mapping how columns are found in the file (column mapping mode)
   * @param deletedRows true for the positions of deleted rows, 0-based within the whole file
   * @param filter the scan's predicate, if any
   * @param metrics counts row groups and bytes read
   * @return the rows; close it
   * @throws CorruptTableException naming {@code fileDescription} if the file is not valid Parquet
   *     or a column's stored type cannot be read as its requested type; the iterator throws it too
   * @throws StorageException if reading the channel fails; the iterator throws it too
   */
  public static CloseableIterator<Object[]> read(SeekableByteChannel channel, long length, StructType readSchema,
      String fileDescription, ColumnMapping mapping, LongPredicate deletedRows, Optional<RowGroupFilter> filter,
      ReadMetrics metrics) {
    RowIterator rows = new RowIterator(channel, fileDescription, deletedRows);
    try {
      rows.open(new ChannelInputFile(channel, length, fileDescription, metrics), readSchema, mapping, filter, metrics);
    } catch (RuntimeException e) {
      try {
        rows.close();
      } catch (RuntimeException closeFailure) {
        e.addSuppressed(closeFailure);
      }
      throw e;
    }
    return rows;
  }

  /**
   * The number of rows a data file's footer records (reads only the footer).
   *
   * @param channel the open file; the caller closes it
   * @throws CorruptTableException naming {@code fileDescription} if the footer is not valid Parquet
   * @throws StorageException if reading the channel fails
   */
  public static long rowCount(SeekableByteChannel channel, long length, String fileDescription) {
    try (ParquetFileReader reader = ParquetFileReader.open(
        new ChannelInputFile(channel, length, fileDescription, new ReadMetrics()))) {
      return reader.getRecordCount();
    } catch (IOException | RuntimeException e) {
      throw failure(e, fileDescription);
    }
  }

  /**
   * Turns what Parquet throws into our exceptions: ours pass through, failures of the channel are
   * storage errors, anything else means the content is invalid.
   */
  private static DataShardException failure(Exception e, String fileDescription) {
    Throwable root = e;
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof DataShardException d) {
        return d;
      }
      if (t instanceof ChannelInputFile.ChannelFailure f) {
        return new StorageException("cannot read " + fileDescription, f.channelException());
      }
      root = t;
    }
    // Parquet's outer exceptions only say where it was reading; the innermost one says what is wrong.
    return new CorruptTableException(fileDescription + " is not a valid Parquet file: " + root, e);
  }

  /**
   * Iterates with one record of look-ahead over the row groups that pass the filter. The footer
   * and the first record are read on open, so a bad footer or schema fails there; later ones in
   * {@code hasNext}.
   */
  private static final class RowIterator implements CloseableIterator<Object[]> {
    private final SeekableByteChannel channel;
    private final String fileDescription;
    private final LongPredicate deletedRows;
    private ParquetFileReader reader;
    private MessageColumnIO columnIO;
    private ReadPlan plan;
    private RecordReader<Object[]> rowGroup;
    private long rowsLeftInGroup;
    /** The position in the file of the next row of the current row group. */
    private long rowIndex;
    private Object[] next;
    private boolean fetched;
    private boolean closed;

    RowIterator(SeekableByteChannel channel, String fileDescription, LongPredicate deletedRows) {
      this.channel = channel;
      this.fileDescription = fileDescription;
      this.deletedRows = deletedRows;
    }

    void open(ChannelInputFile file, StructType readSchema, ColumnMapping mapping, Optional<RowGroupFilter> filter,
        ReadMetrics metrics) {
      try {
        SeekableInputStream stream = file.newStream();
        ParquetMetadata footer = ParquetFileReader.readFooter(file, options(Optional.empty()), stream);
        MessageType fileSchema = footer.getFileMetaData().getSchema();
        plan = new ReadPlan(readSchema, fileSchema, fileDescription, mapping);
        Optional<FilterPredicate> pushed = filter.flatMap(f -> f.forFile(fileSchema, mapping));
        reader = ParquetFileReader.open(file, footer, options(pushed), stream);
        reader.setRequestedSchema(plan.requestedSchema());
        int total = footer.getBlocks().size();
        metrics.addRowGroups(total, total - reader.getRowGroups().size());
        columnIO = new ColumnIOFactory(footer.getFileMetaData().getCreatedBy())
            .getColumnIO(plan.requestedSchema(), fileSchema, true);
      } catch (IOException | RuntimeException e) {
        throw failure(e, fileDescription);
      }
      hasNext();
    }

    /**
     * Statistics, dictionaries and bloom filters may exclude row groups; rows are never filtered
     * here (the scan evaluates its predicate with SQL semantics). Pages carry CRCs (parquet-java
     * writes them by default); checking them makes a corrupt page an error rather than wrong values.
     */
    private static ParquetReadOptions options(Optional<FilterPredicate> filter) {
      return ParquetReadOptions.builder(SharedConfiguration.INSTANCE)
          .withRecordFilter(filter.map(FilterCompat::get).orElse(FilterCompat.NOOP))
          .useStatsFilter(true)
          .useDictionaryFilter(true)
          .useBloomFilter(true)
          .useColumnIndexFilter(false)
          .useRecordFilter(false)
          .usePageChecksumVerification(true)
          .build();
    }

    @Override
    public boolean hasNext() {
      if (closed) {
        return false;
      }
      if (!fetched) {
        try {
          next = readRecord();
        } catch (IOException | RuntimeException e) {
          throw failure(e, fileDescription);
        }
        fetched = true;
      }
      return next != null;
    }

    /** The next row not deleted by the deletion vector, or null at the end. */
    private Object[] readRecord() throws IOException {
      while (true) {
        while (rowsLeftInGroup == 0) {
          PageReadStore pages = reader.readNextRowGroup();
          if (pages == null) {
            return null;
          }
          rowGroup = columnIO.getRecordReader(pages, plan.newMaterializer(), FilterCompat.NOOP);
          rowsLeftInGroup = pages.getRowCount();
          // Deletion vectors address rows by position in the whole file, skipped row groups included.
          rowIndex = pages.getRowIndexOffset().orElseThrow(() -> new CorruptTableException(
              fileDescription + ": Parquet did not report the position of a row group"));
        }
        rowsLeftInGroup--;
        Object[] row = rowGroup.read();
        if (!deletedRows.test(rowIndex++)) {
          return row;
        }
      }
    }

    @Override
    public Object[] next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      fetched = false;
      return next;
    }

    @Override
    public void close() {
      if (closed) {
        return;
      }
      closed = true;
      next = null;
      rowGroup = null;
      IOException failure = null;
      try {
        if (reader != null) {
          reader.close();
        }
      } catch (IOException e) {
        failure = e;
      } finally {
        try {
          channel.close();
        } catch (IOException e) {
          failure = failure == null ? e : failure;
        }
      }
      if (failure != null) {
        throw new StorageException("cannot close " + fileDescription, failure);
      }
    }
  }
}
