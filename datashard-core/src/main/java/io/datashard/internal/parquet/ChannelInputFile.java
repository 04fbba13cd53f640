package io.datashard.internal.parquet;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.SeekableInputStream;

/**
 * Lets Parquet read from a storage channel. The channel stays open when Parquet closes its stream:
 * the reader that opened it closes it. Failures of the channel itself are marked as {@link
 * ChannelFailure} so they can be told apart from a corrupt file.
 */
final class ChannelInputFile implements InputFile {
  private final SeekableByteChannel channel;
  private final long length;
  private final String description;
  private final ReadMetrics metrics;

  ChannelInputFile(SeekableByteChannel channel, long length, String description, ReadMetrics metrics) {
    this.channel = channel;
    this.length = length;
    this.description = description;
    this.metrics = metrics;
  }

  @Override
  public long getLength() {
    return length;
  }

  @Override
  public SeekableInputStream newStream() {
    return new Stream();
  }

  /** Parquet names the file by this in its messages. */
  @Override
  public String toString() {
    return description;
  }

  /** An I/O error of the underlying channel (as opposed to bad content). */
  static final class ChannelFailure extends IOException {
    private static final long serialVersionUID = 1L;

    ChannelFailure(IOException cause) {
      super(cause.toString(), cause);
    }

    IOException channelException() {
      return (IOException) getCause();
    }
  }

  /** A stream with its own position; each read positions the channel first. */
  private final class Stream extends SeekableInputStream {
    private long pos;

    /** Reads at the current position; -1 at the end of the file. */
    private int readAt(ByteBuffer buf) throws IOException {
      if (pos >= length) {
        return -1;
      }
      int n;
      try {
        channel.position(pos);
        n = channel.read(buf);
      } catch (IOException e) {
        throw new ChannelFailure(e);
      }
      if (n > 0) {
        pos += n;
        metrics.addBytes(n);
      }
      return n;
    }

    @Override
    public long getPos() {
      return pos;
    }

    @Override
    public void seek(long newPos) throws IOException {
      if (newPos < 0) {
        throw new EOFException("negative position " + newPos + " in " + description);
      }
      pos = newPos;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) <= 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      return len == 0 ? 0 : readAt(ByteBuffer.wrap(b, off, len));
    }

    @Override
    public long skip(long n) {
      long skipped = Math.max(0, Math.min(n, length - pos));
      pos += skipped;
      return skipped;
    }

    @Override
    public int read(ByteBuffer buf) throws IOException {
      return buf.hasRemaining() ? readAt(buf) : 0;
    }

    @Override
    public void readFully(byte[] bytes) throws IOException {
      readFully(ByteBuffer.wrap(bytes));
    }

    @Override
    public void readFully(byte[] bytes, int start, int len) throws IOException {
      readFully(ByteBuffer.wrap(bytes, start, len));
    }

    @Override
    public void readFully(ByteBuffer buf) throws IOException {
      while (buf.hasRemaining()) {
        if (readAt(buf) < 0) {
          throw new EOFException("unexpected end of " + description + " at byte " + pos);
        }
      }
    }

    @Override
    public void close() {
      // The channel belongs to the reader, which closes it.
    }
  }
}
