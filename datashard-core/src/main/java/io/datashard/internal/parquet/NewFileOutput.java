package io.datashard.internal.parquet;

import io.datashard.storage.NewFile;
import java.io.IOException;
import java.io.OutputStream;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;

/** Lets Parquet write into a {@link NewFile} without closing it: its owner publishes or discards it. */
final class NewFileOutput implements OutputFile {
  private final NewFile file;

  NewFileOutput(NewFile file) {
    this.file = file;
  }

  @Override
  public PositionOutputStream create(long blockSizeHint) {
    return new Stream(file);
  }

  @Override
  public PositionOutputStream createOrOverwrite(long blockSizeHint) {
    return new Stream(file);
  }

  @Override
  public boolean supportsBlockSize() {
    return false;
  }

  @Override
  public long defaultBlockSize() {
    return 0;
  }

  private static final class Stream extends PositionOutputStream {
    private final NewFile file;
    private final OutputStream out;

    Stream(NewFile file) {
      this.file = file;
      this.out = file.stream();
    }

    @Override
    public long getPos() {
      return file.position();
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public void flush() throws IOException {
      out.flush();
    }

    /** Parquet closes its stream after the footer; the NewFile must stay open for publish(). */
    @Override
    public void close() throws IOException {
      out.flush();
    }
  }
}
