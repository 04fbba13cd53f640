package io.datashard.internal.storage;

import io.datashard.storage.FileInfo;
import io.datashard.storage.NewFile;
import io.datashard.storage.PathOutsideTableException;
import io.datashard.storage.StagedFile;
import io.datashard.storage.Storage;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.locks.ReentrantLock;

/**
 * {@link Storage} on a local (POSIX) file system. Log entries are published with a hard link from a
 * durable staging file: {@code link(2)} fails atomically when the name exists, across processes,
 * which is the one guarantee the commit protocol needs. {@code Files.move} is never used for that
 * (it may check-then-rename, and rename replaces). With sync on, every new file, link and directory
 * entry is fsync'd before the call returns.
 */
public final class LocalStorage implements Storage {
  private static final LinkOption[] NO_FOLLOW = {LinkOption.NOFOLLOW_LINKS};
  /**
   * Runs fsyncs concurrently: a commit's data files, their directories and its staged log entry
   * become durable in about one device flush instead of one flush each.
   */
  private static final ExecutorService SYNCS = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "datashard-sync");
    t.setDaemon(true);
    return t;
  });

  private final Path root;
  private final boolean sync;
  private volatile Path realRoot;

  /**
   * @param root the table root directory (need not exist yet)
   * @param sync whether to fsync files and directories
   */
  public LocalStorage(Path root, boolean sync) {
    this.root = root.toAbsolutePath().normalize();
    this.sync = sync;
  }

  @Override
  public String location() {
    return root.toString();
  }

  @Override
  public boolean rootIsDirectory() {
    return Files.isDirectory(root);
  }

  @Override
  public boolean exists(String path) throws IOException {
    return Files.exists(resolve(path), NO_FOLLOW);
  }

  @Override
  public Optional<FileInfo> info(String path) throws IOException {
    try {
      BasicFileAttributes a = Files.readAttributes(resolve(path), BasicFileAttributes.class, NO_FOLLOW);
      return Optional.of(new FileInfo(path, a.size(), a.lastModifiedTime().toMillis()));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  @Override
  public byte[] readAll(String path) throws IOException {
    return Files.readAllBytes(resolveForRead(path));
  }

  @Override
  public SeekableByteChannel openRead(String path) throws IOException {
    return FileChannel.open(resolveForRead(path), StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
  }

  @Override
  public List<FileInfo> listFrom(String dir, String startAfter) throws IOException {
    Path d = resolve(dir);
    List<FileInfo> files = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(d)) {
      for (Path p : stream) {
        String name = p.getFileName().toString();
        if (name.compareTo(startAfter) <= 0) {
          continue;
        }
        BasicFileAttributes a;
        try {
          a = Files.readAttributes(p, BasicFileAttributes.class, NO_FOLLOW);
        } catch (NoSuchFileException e) {
          continue; // deleted while listing
        }
        if (!a.isDirectory()) {
          files.add(new FileInfo(join(dir, name), a.size(), a.lastModifiedTime().toMillis()));
        }
      }
    } catch (NoSuchFileException e) {
      return List.of();
    }
    files.sort(Comparator.comparing(FileInfo::path));
    return files;
  }

  @Override
  public List<FileInfo> listTree(String dir) throws IOException {
    // Walk the real root: a table opened through a symlinked path must list the same files, and
    // walking a link itself would not descend. Links found below it are skipped, never followed.
    Path start = dir.isEmpty() ? realRoot() : resolveForRead(dir).toRealPath();
    if (!start.startsWith(realRoot())) {
      throw new PathOutsideTableException("directory '" + dir + "' of table " + root + " leads outside it");
    }
    List<FileInfo> files = new ArrayList<>();
    Path real = realRoot();
    Files.walkFileTree(start, new java.nio.file.SimpleFileVisitor<>() {
      @Override
      public java.nio.file.FileVisitResult visitFile(Path file, BasicFileAttributes a) {
        if (a.isRegularFile()) {
          files.add(new FileInfo(real.relativize(file).toString().replace('\\', '/'), a.size(),
              a.lastModifiedTime().toMillis()));
        }
        return java.nio.file.FileVisitResult.CONTINUE;
      }

      @Override
      public java.nio.file.FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
        if (e instanceof NoSuchFileException) {
          return java.nio.file.FileVisitResult.CONTINUE; // deleted while listing
        }
        throw e;
      }
    });
    files.sort(Comparator.comparing(FileInfo::path));
    return files;
  }

  @Override
  public NewFile create(String path) throws IOException {
    Path target = resolve(path);
    Path dir = target.getParent();
    ensureDirectory(dir);
    Path temp = dir.resolve("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
    FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    return new LocalNewFile(target, temp, channel);
  }

  @Override
  public StagedFile stage(String dir, byte[] content) throws IOException {
    Path d = resolve(dir);
    ensureDirectory(d);
    Path temp = d.resolve(".staged." + UUID.randomUUID() + ".tmp");
    FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    try {
      ByteBuffer buf = ByteBuffer.wrap(content);
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
    } catch (IOException | RuntimeException e) {
      ch.close();
      Files.deleteIfExists(temp);
      throw e;
    }
    return new LocalStagedFile(temp, content, syncAndClose(ch));
  }

  @Override
  public boolean publishIfAbsent(StagedFile staged, String path) throws IOException {
    if (!(staged instanceof LocalStagedFile local)) {
      throw new IllegalArgumentException("staged file from another storage");
    }
    await(local.durable);
    Path target = resolve(path);
    try {
      Files.createLink(target, local.temp);
    } catch (FileAlreadyExistsException e) {
      return false;
    } catch (UnsupportedOperationException e) {
      throw new IOException("the file system of " + root + " does not support hard links, which DataShard needs"
          + " to commit safely (put-if-absent); refusing to commit", e);
    } catch (FileSystemException e) {
      if (Files.exists(target, NO_FOLLOW)) {
        throw e; // the caller resolves the outcome by reading the entry back
      }
      throw new IOException("cannot create hard link " + target + " (file systems without hard links cannot be"
          + " committed to safely): " + e.getMessage(), e);
    }
    syncDirectory(target.getParent());
    return true;
  }

  @Override
  public void replace(String path, byte[] content) throws IOException {
    Path target = resolve(path);
    ensureDirectory(target.getParent());
    Path temp = target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
    try {
      writeDurably(temp, content);
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temp);
    }
    syncDirectory(target.getParent());
  }

  /**
   * One writer lock per lock file in this JVM: file locks belong to the process, so threads queue
   * on the reentrant lock and only the outermost holder takes the file lock.
   */
  private static final ConcurrentHashMap<Path, WriterLock> WRITER_LOCKS = new ConcurrentHashMap<>();
  private static final String WRITER_LOCK = "_delta_log/.datashard-writers.lock";

  private static final class WriterLock {
    final ReentrantLock threads = new ReentrantLock(true);
    FileChannel channel;
    FileLock fileLock;
  }

  @Override
  public Optional<Closeable> lockWriters() throws IOException {
    Path lockFile = resolve(WRITER_LOCK);
    WriterLock lock = WRITER_LOCKS.computeIfAbsent(lockFile, k -> new WriterLock());
    lock.threads.lock();
    if (lock.threads.getHoldCount() == 1) {
      try {
        lock.channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        lock.fileLock = lock.channel.lock();
      } catch (IOException | RuntimeException e) {
        if (lock.channel != null) {
          lock.channel.close();
        }
        lock.threads.unlock();
        throw e;
      }
    }
    return Optional.of(() -> {
      try {
        if (lock.threads.getHoldCount() == 1) {
          try (FileChannel ch = lock.channel) {
            lock.fileLock.release();
          }
        }
      } finally {
        lock.threads.unlock();
      }
    });
  }

  @Override
  public boolean delete(String path) throws IOException {
    return Files.deleteIfExists(resolve(path));
  }

  @Override
  public void close() {}

  private void writeDurably(Path file, byte[] content) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      ByteBuffer buf = ByteBuffer.wrap(content);
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
      if (sync) {
        ch.force(true);
      }
    } catch (IOException e) {
      Files.deleteIfExists(file);
      throw e;
    }
  }

  /** Forces the channel (if syncing) on the sync pool and closes it; the future completes after both. */
  private Future<?> syncAndClose(FileChannel ch) {
    if (!sync) {
      try {
        ch.close();
      } catch (IOException e) {
        return CompletableFuture.failedFuture(e);
      }
      return CompletableFuture.completedFuture(null);
    }
    return SYNCS.submit(() -> {
      try (ch) {
        ch.force(true);
      }
      return null;
    });
  }

  private Future<?> syncDirectoryAsync(Path dir) {
    return sync ? SYNCS.submit(() -> {
      syncDirectory(dir);
      return null;
    }) : CompletableFuture.completedFuture(null);
  }

  private static void await(Future<?> f) throws IOException {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          f.get();
          return;
        } catch (InterruptedException e) {
          interrupted = true; // the sync must finish before anything may refer to the file
        } catch (ExecutionException e) {
          Throwable cause = e.getCause();
          if (cause instanceof IOException io) {
            throw io;
          }
          if (cause instanceof RuntimeException re) {
            throw re;
          }
          throw new IOException(cause);
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Creates missing directories, syncing each new entry's parent so the path survives a crash. */
  private void ensureDirectory(Path dir) throws IOException {
    if (Files.isDirectory(dir, NO_FOLLOW)) {
      return;
    }
    List<Path> missing = new ArrayList<>();
    for (Path p = dir; p != null && !Files.isDirectory(p, NO_FOLLOW); p = p.getParent()) {
      missing.add(0, p);
    }
    for (Path p : missing) {
      try {
        Files.createDirectory(p);
      } catch (FileAlreadyExistsException e) {
        if (!Files.isDirectory(p, NO_FOLLOW)) {
          throw new IOException(p + " exists and is not a directory", e);
        }
      }
      syncDirectory(p.getParent());
    }
  }

  private void syncDirectory(Path dir) throws IOException {
    if (sync && dir != null) {
      try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
        ch.force(true);
      }
    }
  }

  /** The absolute path of a table-relative path, refusing anything that escapes the root lexically. */
  private Path resolve(String path) throws PathOutsideTableException {
    if (path.isEmpty()) {
      return root;
    }
    if (path.indexOf('\0') >= 0 || path.startsWith("/") || path.indexOf('\\') >= 0) {
      throw new PathOutsideTableException("path '" + path + "' is not a relative path inside table " + root);
    }
    for (String segment : path.split("/", -1)) {
      if (segment.equals("..") || segment.equals(".")) {
        throw new PathOutsideTableException("path '" + path + "' escapes table " + root);
      }
    }
    return root.resolve(path);
  }

  /** Like {@link #resolve}, and also refuses paths that leave the root through symbolic links. */
  private Path resolveForRead(String path) throws IOException {
    Path p = resolve(path);
    Path real = p.toRealPath();
    if (!real.startsWith(realRoot())) {
      throw new PathOutsideTableException("path '" + path + "' of table " + root + " leads outside it (to " + real + ")");
    }
    return p;
  }

  private Path realRoot() throws IOException {
    Path r = realRoot;
    if (r == null) {
      r = root.toRealPath();
      realRoot = r;
    }
    return r;
  }

  private static String join(String dir, String name) {
    return dir.isEmpty() ? name : dir + "/" + name;
  }

  private final class LocalNewFile implements NewFile {
    private final Path target;
    private final Path temp;
    private final FileChannel channel;
    private final CountingStream stream;
    private boolean done;
    private Future<?> fileSync;
    private Future<?> dirSync;

    LocalNewFile(Path target, Path temp, FileChannel channel) {
      this.target = target;
      this.temp = temp;
      this.channel = channel;
      this.stream = new CountingStream(new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16));
    }

    @Override
    public OutputStream stream() {
      return stream;
    }

    @Override
    public long position() {
      return stream.count;
    }

    @Override
    public long publish() throws IOException {
      if (done) {
        throw new IllegalStateException("already published or closed: " + target);
      }
      done = true;
      boolean linked = false;
      try {
        stream.flush();
        // A link (not a rename) so that an existing file is never replaced. The file stays
        // unreferenced until a commit names it, which happens only after awaitDurable().
        Files.createLink(target, temp);
        linked = true;
        Files.delete(temp);
      } catch (IOException | RuntimeException e) {
        channel.close();
        Files.deleteIfExists(temp);
        if (linked) {
          Files.deleteIfExists(target); // never referenced: publish() did not return
        }
        throw e;
      }
      fileSync = syncAndClose(channel);
      dirSync = syncDirectoryAsync(target.getParent());
      return stream.count;
    }

    @Override
    public void awaitDurable() throws IOException {
      if (fileSync == null) {
        throw new IllegalStateException("not published: " + target);
      }
      await(fileSync);
      await(dirSync);
    }

    @Override
    public void close() throws IOException {
      if (!done) {
        done = true;
        channel.close();
        Files.deleteIfExists(temp);
      }
    }
  }

  private static final class CountingStream extends OutputStream {
    private final OutputStream out;
    long count;

    CountingStream(OutputStream out) {
      this.out = out;
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

    @Override
    public void flush() throws IOException {
      out.flush();
    }

    @Override
    public void close() {
      // Closed by publish() or NewFile.close(); Parquet closing its stream must not end the file.
    }
  }

  private static final class LocalStagedFile implements StagedFile {
    private final Path temp;
    private final byte[] content;
    private final Future<?> durable;

    LocalStagedFile(Path temp, byte[] content, Future<?> durable) {
      this.temp = temp;
      this.content = content;
      this.durable = durable;
    }

    @Override
    public byte[] content() {
      return content.clone();
    }

    @Override
    public void close() throws IOException {
      Files.deleteIfExists(temp);
    }
  }
}
