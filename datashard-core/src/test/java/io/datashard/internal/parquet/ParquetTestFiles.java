package io.datashard.internal.parquet;

import io.datashard.CloseableIterator;
import io.datashard.Compression;
import io.datashard.StructType;
import io.datashard.storage.NewFile;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;

/** Writing and reading test files on the local disk. */
final class ParquetTestFiles {
  private static final Configuration EXAMPLE_CONF = new Configuration(false);

  private ParquetTestFiles() {}

  /** A {@link NewFile} writing straight to a local file; publish just finishes it. */
  static final class LocalNewFile implements NewFile {
    private final Path path;
    private final CountingStream out;
    private boolean finished;

    LocalNewFile(Path path) throws IOException {
      this.path = path;
      this.out = new CountingStream(new BufferedOutputStream(Files.newOutputStream(path)));
    }

    @Override
    public OutputStream stream() {
      return out;
    }

    @Override
    public long position() {
      return out.count;
    }

    @Override
    public long publish() throws IOException {
      finished = true;
      out.close();
      return Files.size(path);
    }

    @Override
    public void awaitDurable() {
      // test files are not synced
    }

    @Override
    public void close() throws IOException {
      if (!finished) {
        finished = true;
        out.close();
        Files.deleteIfExists(path);
      }
    }
  }

  private static final class CountingStream extends FilterOutputStream {
    long count;

    CountingStream(OutputStream out) {
      super(out);
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      count += len;
    }
  }

  static DataFileWriter.WrittenFile write(Path path, StructType schema, List<Object[]> rows, Compression codec)
      throws IOException {
    try (LocalNewFile out = new LocalNewFile(path)) {
      DataFileWriter.WrittenFile written = DataFileWriter.write(out, schema, rows, codec);
      long size = out.publish();
      if (size != out.position()) {
        throw new AssertionError("published " + size + " bytes but wrote " + out.position());
      }
      return written;
    }
  }

  static DataFileWriter.WrittenFile write(Path path, StructType schema, List<Object[]> rows) throws IOException {
    return write(path, schema, rows, Compression.SNAPPY);
  }

  static List<Object[]> readAll(Path path, StructType readSchema) throws IOException {
    SeekableByteChannel channel = Files.newByteChannel(path);
    List<Object[]> rows = new ArrayList<>();
    try (CloseableIterator<Object[]> it = DataFileReader.read(channel, channel.size(), readSchema, describe(path))) {
      it.forEachRemaining(rows::add);
    }
    return rows;
  }

  /** How the tests name a file to the reader, to find it in messages. */
  static String describe(Path path) {
    return "test file " + path.getFileName();
  }

  /**
   * Writes a file with Parquet's example object model, for layouts our writer never produces.
   *
   * @param schema the schema in Parquet's text form
   * @param fill adds the records, given a factory of empty groups
   */
  static void writeExample(Path path, String schema, Consumer<RecordSink> fill) throws IOException {
    writeExample(path, schema, ParquetWriter.DEFAULT_BLOCK_SIZE, fill);
  }

  /** As {@link #writeExample(Path, String, Consumer)}, starting a row group every {@code rowGroupBytes}. */
  static void writeExample(Path path, String schema, long rowGroupBytes, Consumer<RecordSink> fill)
      throws IOException {
    MessageType type = MessageTypeParser.parseMessageType(schema);
    try (LocalNewFile out = new LocalNewFile(path)) {
      try (ParquetWriter<Group> writer = ExampleParquetWriter.builder(new NewFileOutput(out))
          .withConf(EXAMPLE_CONF)
          .withType(type)
          .withRowGroupSize(rowGroupBytes)
          .build()) {
        SimpleGroupFactory factory = new SimpleGroupFactory(type);
        fill.accept(new RecordSink() {
          @Override
          public Group newRecord() {
            return factory.newGroup();
          }

          @Override
          public void write(Group record) {
            try {
              writer.write(record);
            } catch (IOException e) {
              throw new AssertionError(e);
            }
          }
        });
      }
      out.publish();
    }
  }

  /** Creates and writes example records. */
  interface RecordSink {
    Group newRecord();

    void write(Group record);
  }
}
