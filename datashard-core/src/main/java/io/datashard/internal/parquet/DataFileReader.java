package io.datashard.internal.parquet;

import io.datashard.CloseableIterator;
import io.datashard.CorruptTableException;
import io.datashard.DataShardException;
import io.datashard.StorageException;
import io.datashard.StructType;
import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.util.Map;
import java.util.NoSuchElementException;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.api.InitContext;
import org.apache.parquet.hadoop.api.ReadSupport;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.api.RecordMaterializer;
import org.apache.parquet.schema.MessageType;

/**
 * Reads the rows of a Parquet data file, ours or another Delta writer's, streaming one row group
 * at a time.
 */
public final class DataFileReader {
  private DataFileReader() {}

  /**
   * Opens a data file and reads its footer and first row group.
   *
   * <p>Rows are {@code Object[]} in {@code readSchema} order holding the Java types {@link
   * io.datashard.Row} documents: nested structs as {@link io.datashard.Row}, arrays as {@link
   * java.util.List}, maps as {@link java.util.LinkedHashMap} in file order. Only the columns in
   * {@code readSchema} are read, matched by name; a column the file lacks reads as null.
   *
   * @param channel the open file; closed by the iterator's {@code close()}, or by this method if it fails
   * @param length the file's size in bytes
   * @param readSchema the columns to read
   * @param fileDescription names the file in exception messages
   * @return the rows; close it
   * @throws CorruptTableException naming {@code fileDescription} if the file is not valid Parquet
   *     or a column's stored type cannot be read as its requested type; the iterator throws it too
   * @throws StorageException if reading the channel fails; the iterator throws it too
   */
  public static CloseableIterator<Object[]> read(
      SeekableByteChannel channel, long length, StructType readSchema, String fileDescription) {
    RowIterator rows = new RowIterator(channel, fileDescription);
    try {
      rows.open(new ChannelInputFile(channel, length, fileDescription),
          new RowReadSupport(readSchema, fileDescription));
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
    try (org.apache.parquet.hadoop.ParquetFileReader reader = org.apache.parquet.hadoop.ParquetFileReader.open(
        new ChannelInputFile(channel, length, fileDescription))) {
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
   * Iterates with one record of look-ahead, as ParquetReader signals the end only by null. The
   * first record is read on open, so a bad footer or schema fails there; later ones in {@code hasNext}.
   */
  private static final class RowIterator implements CloseableIterator<Object[]> {
    private final SeekableByteChannel channel;
    private final String fileDescription;
    private ParquetReader<Object[]> reader;
    private Object[] next;
    private boolean fetched;
    private boolean closed;

    RowIterator(SeekableByteChannel channel, String fileDescription) {
      this.channel = channel;
      this.fileDescription = fileDescription;
    }

    void open(InputFile file, RowReadSupport readSupport) {
      try {
        // Pages carry CRCs (parquet-java writes them by default); checking them makes a corrupt
        // page an error rather than wrong values.
        reader = new Builder(file, readSupport).usePageChecksumVerification(true).build();
      } catch (IOException | RuntimeException e) {
        throw failure(e, fileDescription);
      }
      hasNext();
    }

    @Override
    public boolean hasNext() {
      if (closed) {
        return false;
      }
      if (!fetched) {
        try {
          next = reader.read();
        } catch (IOException | RuntimeException e) {
          throw failure(e, fileDescription);
        }
        fetched = true;
      }
      return next != null;
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

  private static final class Builder extends ParquetReader.Builder<Object[]> {
    private final RowReadSupport readSupport;

    Builder(InputFile file, RowReadSupport readSupport) {
      super(file, SharedConfiguration.INSTANCE);
      this.readSupport = readSupport;
    }

    @Override
    protected ReadSupport<Object[]> getReadSupport() {
      return readSupport;
    }
  }

  /** Plans the read against the file's schema once the footer is known. */
  private static final class RowReadSupport extends ReadSupport<Object[]> {
    private final StructType readSchema;
    private final String fileDescription;
    private ReadPlan plan;

    RowReadSupport(StructType readSchema, String fileDescription) {
      this.readSchema = readSchema;
      this.fileDescription = fileDescription;
    }

    @Override
    public ReadContext init(InitContext context) {
      plan = new ReadPlan(readSchema, context.getFileSchema(), fileDescription);
      return new ReadContext(plan.requestedSchema());
    }

    /** Parquet still declares this variant abstract; the newer one delegates to it. */
    @Override
    @SuppressWarnings("deprecation")
    public RecordMaterializer<Object[]> prepareForRead(Configuration configuration,
        Map<String, String> keyValueMetaData, MessageType fileSchema, ReadContext readContext) {
      return plan.newMaterializer();
    }
  }
}
