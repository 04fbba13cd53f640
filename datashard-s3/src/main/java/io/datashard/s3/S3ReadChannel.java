package io.datashard.s3;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;

/**
 * Random-access reads of one object through ranged GETs. Each miss fetches at least {@link
 * #READ_AHEAD} bytes, so Parquet's small footer and page reads cost a few requests, not one each.
 */
final class S3ReadChannel implements SeekableByteChannel {
  static final int READ_AHEAD = 1 << 20;

  private final S3Storage storage;
  private final String path;
  private final String key;
  private final long size;
  private long position;
  private byte[] buffer = new byte[0];
  private long bufferStart;
  private boolean open = true;

  S3ReadChannel(S3Storage storage, String path, String key, long size) {
    this.storage = storage;
    this.path = path;
    this.key = key;
    this.size = size;
  }

  @Override
  public int read(ByteBuffer dst) throws IOException {
    ensureOpen();
    if (position >= size) {
      return -1;
    }
    if (!dst.hasRemaining()) {
      return 0;
    }
    if (position < bufferStart || position >= bufferStart + buffer.length) {
      long length = Math.min(size - position, Math.max(dst.remaining(), READ_AHEAD));
      buffer = storage.readRange(path, key, position, length);
      bufferStart = position;
      if (buffer.length == 0) {
        throw new IOException("object " + storage.uri(path) + " ended at " + position + " of " + size + " bytes");
      }
    }
    int offset = (int) (position - bufferStart);
    int n = Math.min(dst.remaining(), buffer.length - offset);
    dst.put(buffer, offset, n);
    position += n;
    return n;
  }

  @Override
  public int write(ByteBuffer src) {
    throw new NonWritableChannelException();
  }

  @Override
  public long position() throws IOException {
    ensureOpen();
    return position;
  }

  @Override
  public SeekableByteChannel position(long newPosition) throws IOException {
    ensureOpen();
    if (newPosition < 0) {
      throw new IllegalArgumentException("negative position " + newPosition);
    }
    position = newPosition;
    return this;
  }

  @Override
  public long size() throws IOException {
    ensureOpen();
    return size;
  }

  @Override
  public SeekableByteChannel truncate(long newSize) {
    throw new NonWritableChannelException();
  }

  @Override
  public boolean isOpen() {
    return open;
  }

  @Override
  public void close() {
    open = false;
    buffer = new byte[0];
  }

  private void ensureOpen() throws ClosedChannelException {
    if (!open) {
      throw new ClosedChannelException();
    }
  }
}
