package io.datashard.testing;

import io.datashard.storage.FileInfo;
import io.datashard.storage.NewFile;
import io.datashard.storage.StagedFile;
import io.datashard.storage.Storage;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.FileSystemException;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A {@link Storage} wrapper that fails the n-th call of one {@link Call kind} with a realistic
 * {@link IOException} ("No space left on device" for writes, with the first half of the bytes
 * written: a short write; "Input/output error" (EIO) for the rest), and counts the calls of every
 * kind, so a test can first count the calls an operation makes and then fail each one in turn.
 *
 * <p>The SPI has no separate fsync, link or rename: they map onto the calls that do them (see
 * {@link Call}). One storage call may count as several kinds (publishing a log entry waits for
 * durability, then links, then syncs the directory). Thread-safe; only the one armed call fails.
 */
public final class FaultInjectingStorage implements Storage {
  /** The kinds of calls that can be failed. */
  public enum Call {
    /** {@code exists}, {@code info}, {@code rootIsDirectory}. */
    STAT,
    /** {@code readAll}, {@code openRead} and each read of an opened channel. */
    READ,
    /** {@code listFrom}, {@code listTree}. */
    LIST,
    /** {@code create}, {@code stage}, {@code replace}: starting to write a file. */
    WRITE,
    /** Each write to a new file's stream: half the bytes are written, then the disk is full (a short write). */
    WRITE_DATA,
    /** Making content durable: {@code NewFile.awaitDurable} and the durability wait of {@code publishIfAbsent}. */
    FSYNC,
    /** {@code NewFile.publish} (the link of a data file) and {@code replace}'s atomic move. */
    RENAME,
    /** {@code publishIfAbsent} failing before it creates anything (put-if-absent / link of a log entry). */
    PUT_IF_ABSENT,
    /** {@code publishIfAbsent} failing after it created the entry: the reply is lost (directory fsync failed). */
    PUT_IF_ABSENT_REPLY_LOST,
    /** {@code delete}, and removing a staged log entry's staging copy ({@code StagedFile.close}). */
    DELETE
  }

  private static final String ENOSPC = "No space left on device";
  private static final String EIO = "Input/output error";

  private final Storage delegate;
  private final Map<Call, Integer> counts = new EnumMap<>(Call.class);
  private Call armed;
  private int failAt;
  private IOException injected;

  public FaultInjectingStorage(Storage delegate) {
    this.delegate = delegate;
  }

  /** Fails the {@code n}-th call (1-based) of {@code call} from now on; resets all counts. */
  public synchronized void arm(Call call, int n) {
    counts.clear();
    armed = call;
    failAt = n;
    injected = null;
  }

  /** Only counts from now on; resets all counts. */
  public synchronized void countOnly() {
    counts.clear();
    armed = null;
    injected = null;
  }

  /** Calls of each kind since the last {@link #arm} or {@link #countOnly}. */
  public synchronized Map<Call, Integer> counts() {
    Map<Call, Integer> copy = new EnumMap<>(Call.class);
    copy.putAll(counts);
    return copy;
  }

  /** The failure injected since arming, if the armed call happened. */
  public synchronized Optional<IOException> injected() {
    return Optional.ofNullable(injected);
  }

  /**
   * Counts a call; returns the failure to throw if it is the armed one. Version checksum files
   * ({@code N.crc}) are neither counted nor failed: they are written best effort on a background
   * thread after a commit, so whether their calls fall inside an operation is a matter of timing,
   * and their failure can never fail an operation.
   */
  private synchronized IOException hit(Call call, String path) {
    if (path.endsWith(".crc")) {
      return null;
    }
    int n = counts.merge(call, 1, Integer::sum);
    if (call != armed || n != failAt) {
      return null;
    }
    injected = new FileSystemException(path, null, call == Call.WRITE || call == Call.WRITE_DATA ? ENOSPC : EIO);
    return injected;
  }

  private void check(Call call, String path) throws IOException {
    IOException e = hit(call, path);
    if (e != null) {
      throw e;
    }
  }

  @Override
  public String location() {
    return delegate.location();
  }

  @Override
  public boolean rootIsDirectory() throws IOException {
    check(Call.STAT, "");
    return delegate.rootIsDirectory();
  }

  @Override
  public boolean exists(String path) throws IOException {
    check(Call.STAT, path);
    return delegate.exists(path);
  }

  @Override
  public Optional<FileInfo> info(String path) throws IOException {
    check(Call.STAT, path);
    return delegate.info(path);
  }

  @Override
  public byte[] readAll(String path) throws IOException {
    check(Call.READ, path);
    return delegate.readAll(path);
  }

  @Override
  public SeekableByteChannel openRead(String path) throws IOException {
    check(Call.READ, path);
    return new FaultyChannel(delegate.openRead(path), path);
  }

  @Override
  public List<FileInfo> listFrom(String dir, String startAfter) throws IOException {
    check(Call.LIST, dir);
    return delegate.listFrom(dir, startAfter);
  }

  @Override
  public List<FileInfo> listTree(String dir) throws IOException {
    check(Call.LIST, dir);
    return delegate.listTree(dir);
  }

  @Override
  public boolean listsFromCheaply() {
    return delegate.listsFromCheaply();
  }

  @Override
  public NewFile create(String path) throws IOException {
    check(Call.WRITE, path);
    return new FaultyNewFile(delegate.create(path), path);
  }

  @Override
  public StagedFile stage(String dir, byte[] content) throws IOException {
    check(Call.WRITE, dir);
    return new FaultyStagedFile(delegate.stage(dir, content), dir);
  }

  @Override
  public boolean publishIfAbsent(StagedFile staged, String path) throws IOException {
    check(Call.FSYNC, path);
    check(Call.PUT_IF_ABSENT, path);
    boolean created = delegate.publishIfAbsent(staged instanceof FaultyStagedFile f ? f.staged : staged, path);
    check(Call.PUT_IF_ABSENT_REPLY_LOST, path);
    return created;
  }

  @Override
  public void replace(String path, byte[] content) throws IOException {
    check(Call.WRITE, path);
    check(Call.RENAME, path);
    delegate.replace(path, content);
  }

  @Override
  public Optional<Closeable> lockWriters() throws IOException {
    return delegate.lockWriters();
  }

  @Override
  public boolean delete(String path) throws IOException {
    check(Call.DELETE, path);
    return delegate.delete(path);
  }

  @Override
  public void close() throws IOException {
    delegate.close();
  }

  /** A new file whose stream writes, publish and durability wait can fail. */
  private final class FaultyNewFile implements NewFile {
    private final NewFile file;
    private final String path;
    private final OutputStream stream;

    FaultyNewFile(NewFile file, String path) {
      this.file = file;
      this.path = path;
      this.stream = new OutputStream() {
        @Override
        public void write(int b) throws IOException {
          check(Call.WRITE_DATA, path);
          file.stream().write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
          IOException e = hit(Call.WRITE_DATA, path);
          if (e != null) {
            file.stream().write(b, off, len / 2); // a short write, then the disk is full
            throw e;
          }
          file.stream().write(b, off, len);
        }

        @Override
        public void flush() throws IOException {
          file.stream().flush();
        }
      };
    }

    @Override
    public OutputStream stream() {
      return stream;
    }

    @Override
    public long position() {
      return file.position();
    }

    @Override
    public long publish() throws IOException {
      IOException e = hit(Call.RENAME, path);
      if (e != null) {
        file.close(); // as a failed link leaves nothing under the final name
        throw e;
      }
      return file.publish();
    }

    @Override
    public void awaitDurable() throws IOException {
      check(Call.FSYNC, path);
      file.awaitDurable();
    }

    @Override
    public void close() throws IOException {
      file.close();
    }
  }

  /** A staged log entry whose staging copy's removal can fail. */
  private final class FaultyStagedFile implements StagedFile {
    private final StagedFile staged;
    private final String dir;

    FaultyStagedFile(StagedFile staged, String dir) {
      this.staged = staged;
      this.dir = dir;
    }

    @Override
    public byte[] content() {
      return staged.content();
    }

    @Override
    public void close() throws IOException {
      check(Call.DELETE, dir);
      staged.close();
    }
  }

  /** A read channel whose reads can fail. */
  private final class FaultyChannel implements SeekableByteChannel {
    private final SeekableByteChannel channel;
    private final String path;

    FaultyChannel(SeekableByteChannel channel, String path) {
      this.channel = channel;
      this.path = path;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
      check(Call.READ, path);
      return channel.read(dst);
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
      return channel.write(src);
    }

    @Override
    public long position() throws IOException {
      return channel.position();
    }

    @Override
    public SeekableByteChannel position(long newPosition) throws IOException {
      channel.position(newPosition);
      return this;
    }

    @Override
    public long size() throws IOException {
      return channel.size();
    }

    @Override
    public SeekableByteChannel truncate(long size) throws IOException {
      channel.truncate(size);
      return this;
    }

    @Override
    public boolean isOpen() {
      return channel.isOpen();
    }

    @Override
    public void close() throws IOException {
      channel.close();
    }
  }
}
