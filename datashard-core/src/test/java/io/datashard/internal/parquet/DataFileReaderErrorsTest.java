package io.datashard.internal.parquet;

import static io.datashard.internal.parquet.DataFileRoundTripTest.opt;
import static io.datashard.internal.parquet.DataFileRoundTripTest.req;
import static io.datashard.internal.parquet.DataFileRoundTripTest.struct;
import static io.datashard.internal.parquet.ParquetTestFiles.describe;
import static io.datashard.internal.parquet.ParquetTestFiles.readAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.datashard.CloseableIterator;
import io.datashard.Compression;
import io.datashard.CorruptTableException;
import io.datashard.PrimitiveType;
import io.datashard.StorageException;
import io.datashard.StructType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataFileReaderErrorsTest {
  private static final StructType SCHEMA = struct(req("id", PrimitiveType.LONG), opt("text", PrimitiveType.STRING));
  private static final String MARKER = "MARKER-" + "x".repeat(200);

  @TempDir
  Path dir;

  private byte[] validFile() throws IOException {
    Path file = dir.resolve("valid.parquet");
    List<Object[]> rows = new ArrayList<>();
    for (long i = 0; i < 100; i++) {
      rows.add(new Object[] {i, MARKER + i});
    }
    ParquetTestFiles.write(file, SCHEMA, rows, Compression.UNCOMPRESSED);
    assertThat(readAll(file, SCHEMA)).hasSize(100);
    return Files.readAllBytes(file);
  }

  private void assertCorrupt(String name, byte[] content) throws IOException {
    Path file = dir.resolve(name);
    Files.write(file, content);
    assertThatThrownBy(() -> readAll(file, SCHEMA))
        .isInstanceOf(CorruptTableException.class)
        .hasMessageContaining(describe(file));
  }

  @Test
  void truncatedFile() throws IOException {
    byte[] bytes = validFile();
    assertCorrupt("cut-tail.parquet", Arrays.copyOf(bytes, bytes.length - 10));
    assertCorrupt("cut-half.parquet", Arrays.copyOf(bytes, bytes.length / 2));
    assertCorrupt("cut-to-magic.parquet", Arrays.copyOf(bytes, 4));
  }

  @Test
  void garbageFile() throws IOException {
    byte[] garbage = new byte[1000];
    new Random(42).nextBytes(garbage);
    assertCorrupt("garbage.parquet", garbage);
    assertCorrupt("empty.parquet", new byte[0]);
    assertCorrupt("text.parquet", "this is not parquet at all".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void badMagicAndFooterLength() throws IOException {
    byte[] bytes = validFile();
    byte[] badMagic = bytes.clone();
    badMagic[badMagic.length - 1] = '2';
    assertCorrupt("bad-magic.parquet", badMagic);

    byte[] badLength = bytes.clone();
    ByteBuffer.wrap(badLength).order(ByteOrder.LITTLE_ENDIAN).putInt(badLength.length - 8, Integer.MAX_VALUE / 2);
    assertCorrupt("bad-footer-length.parquet", badLength);

    byte[] badFooter = bytes.clone();
    int footerLength = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getInt(bytes.length - 8);
    Arrays.fill(badFooter, bytes.length - 8 - footerLength, bytes.length - 8, (byte) 0x7f);
    assertCorrupt("bad-footer.parquet", badFooter);
  }

  @Test
  void corruptPage() throws IOException {
    byte[] bytes = validFile();
    int at = indexOf(bytes, MARKER.getBytes(StandardCharsets.US_ASCII));
    assertThat(at).isPositive();
    byte[] corrupt = bytes.clone();
    corrupt[at + 100] ^= 0x01;
    assertCorrupt("bad-page.parquet", corrupt);
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  @Test
  void closingTheIteratorClosesTheChannel() throws IOException {
    validFile();
    SeekableByteChannel channel = Files.newByteChannel(dir.resolve("valid.parquet"));
    CloseableIterator<Object[]> rows = DataFileReader.read(channel, channel.size(), SCHEMA, "f");
    assertThat(rows.next()).containsExactly(0L, MARKER + 0);
    assertThat(channel.isOpen()).isTrue();
    rows.close();
    assertThat(channel.isOpen()).isFalse();
    assertThat(rows.hasNext()).isFalse();
    rows.close();
  }

  @Test
  void failedOpenClosesTheChannel() throws IOException {
    Path file = dir.resolve("garbage.parquet");
    Files.write(file, new byte[100]);
    SeekableByteChannel channel = Files.newByteChannel(file);
    assertThatThrownBy(() -> DataFileReader.read(channel, channel.size(), SCHEMA, "the file"))
        .isInstanceOf(CorruptTableException.class)
        .hasMessageContaining("the file");
    assertThat(channel.isOpen()).isFalse();
  }

  @Test
  void channelFailureIsAStorageError() throws IOException {
    validFile();
    SeekableByteChannel channel = new FailingChannel(Files.newByteChannel(dir.resolve("valid.parquet")));
    assertThatThrownBy(() -> DataFileReader.read(channel, channel.size(), SCHEMA, "the file"))
        .isInstanceOf(StorageException.class)
        .hasMessageContaining("the file")
        .hasMessageContaining("disk on fire");
    assertThat(channel.isOpen()).isFalse();
  }

  /** A channel whose reads fail, as a broken disk's would. */
  private static final class FailingChannel implements SeekableByteChannel {
    private final SeekableByteChannel delegate;

    FailingChannel(SeekableByteChannel delegate) {
      this.delegate = delegate;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
      throw new IOException("disk on fire");
    }

    @Override
    public int write(ByteBuffer src) {
      throw new UnsupportedOperationException();
    }

    @Override
    public long position() throws IOException {
      return delegate.position();
    }

    @Override
    public SeekableByteChannel position(long newPosition) throws IOException {
      delegate.position(newPosition);
      return this;
    }

    @Override
    public long size() throws IOException {
      return delegate.size();
    }

    @Override
    public SeekableByteChannel truncate(long size) {
      throw new UnsupportedOperationException();
    }

    @Override
    public boolean isOpen() {
      return delegate.isOpen();
    }

    @Override
    public void close() throws IOException {
      delegate.close();
    }
  }
}
