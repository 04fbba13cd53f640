package io.datashard.internal.parquet;

import io.datashard.Compression;
import io.datashard.StructType;
import io.datashard.storage.NewFile;
import java.io.IOException;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.column.ParquetProperties.WriterVersion;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.OutputFile;

/**
 * Writes rows as one Parquet data file in the layout Spark and Delta use, and computes the file's
 * Delta statistics on the way.
 */
public final class DataFileWriter {
  /** Parquet's default row group size, 128 MiB, as Delta writers use. */
  public static final long DEFAULT_ROW_GROUP_SIZE = ParquetWriter.DEFAULT_BLOCK_SIZE;


  /**
   * What was written.
   *
   * @param numRecords the number of rows in the file
   * @param statsJson the Delta statistics JSON for the file's {@code add} action
   */
  public record WrittenFile(long numRecords, String statsJson) {}

  private DataFileWriter() {}

  /**
   * Writes all rows to {@code out.stream()} as one Parquet file and finishes it, but neither
   * publishes nor closes {@code out}: the caller does.
   *
   * @param out the file to write; it must be empty
   * @param schema the table schema
   * @param rows the rows, already validated against the schema: each an {@code Object[]} in field
   *     order holding the Java types {@link io.datashard.PrimitiveType} documents, {@code BigDecimal}
   *     with the column's scale for decimals, {@code Object[]} for structs, {@link List} for arrays
   *     and {@link java.util.Map} (non-null keys) for maps
   * @param codec the compression codec
   * @return the row count and statistics
   * @throws IOException if writing to {@code out} fails
   */
  public static WrittenFile write(NewFile out, StructType schema, List<Object[]> rows, Compression codec)
      throws IOException {
    return write(out, schema, rows, codec, DEFAULT_ROW_GROUP_SIZE);
  }

  /**
   * As {@link #write(NewFile, StructType, List, Compression)}, starting a new row group whenever the
   * buffered one reaches about {@code rowGroupSize} bytes.
   */
  public static WrittenFile write(NewFile out, StructType schema, List<Object[]> rows, Compression codec,
      long rowGroupSize) throws IOException {
    FileStats stats = new FileStats(schema);
    ParquetWriter<Object[]> writer = new Builder(new NewFileOutput(out), schema)
        .withConf(SharedConfiguration.INSTANCE)
        .withRowGroupSize(rowGroupSize)
        .withCompressionCodec(codecName(codec))
        .withWriterVersion(WriterVersion.PARQUET_1_0)
        .withDictionaryEncoding(true)
        .build();
    try {
      for (Object[] row : rows) {
        writer.write(row);
        stats.add(row);
      }
    } catch (IOException | RuntimeException e) {
      // Releases the codec's buffers; the partial file is the caller's to discard.
      try {
        writer.close();
      } catch (IOException | RuntimeException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
    writer.close();
    return new WrittenFile(rows.size(), stats.toJson(rows.size()));
  }

  static CompressionCodecName codecName(Compression codec) {
    switch (codec) {
      case SNAPPY:
        return CompressionCodecName.SNAPPY;
      case ZSTD:
        return CompressionCodecName.ZSTD;
      case GZIP:
        return CompressionCodecName.GZIP;
      case LZ4_RAW:
        return CompressionCodecName.LZ4_RAW;
      case UNCOMPRESSED:
        return CompressionCodecName.UNCOMPRESSED;
      default:
        throw new AssertionError(codec);
    }
  }

  private static final class Builder extends ParquetWriter.Builder<Object[], Builder> {
    private final StructType schema;

    Builder(OutputFile file, StructType schema) {
      super(file);
      this.schema = schema;
    }

    @Override
    protected Builder self() {
      return this;
    }

    /** Parquet still declares this variant abstract; the newer one delegates to it. */
    @Override
    @SuppressWarnings("deprecation")
    protected WriteSupport<Object[]> getWriteSupport(Configuration conf) {
      return new RowWriteSupport(schema, ParquetSchemas.toParquet(schema));
    }
  }
}
