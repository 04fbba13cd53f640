package io.datashard.internal.storage;

import io.datashard.storage.FileInfo;
import io.datashard.storage.NewFile;
import io.datashard.storage.PathOutsideTableException;
import io.datashard.storage.StagedFile;
import io.datashard.storage.Storage;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
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
import java.util.stream.Stream;

/**
 * {@link Storage} on a local (POSIX) file system. Log entries are published with a hard link from a
 * durable staging file: {@code link(2)} fails atomically when the name exists, across processes,
 * which is the one guarantee the commit protocol needs. {@code Files.move} is never used for that
 * (it may check-then-rename, and rename replaces). With sync on, every new file, link and directory
 * entry is fsync'd before the call returns.
 */
public final class LocalStorage implements Storage {
  private static final LinkOption[] NO_FOLLOW = {LinkOption.NOFOLLOW_LINKS};

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
  public List<FileInfo> listRecursively(String dir) throws IOException {
    Path d = resolve(dir);
    if (!Files.isDirectory(d, NO_FOLLOW)) {
      return List.of();
    }
    List<FileInfo> files = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(d)) { // walk does not follow links by default
      for (Path p : (Iterable<Path>) walk::iterator) {
        BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, NO_FOLLOW);
        if (!a.isDirectory()) {
          files.add(new FileInfo(root.relativize(p).toString().replace('\\', '/'), a.size(), a.lastModifiedTime().toMillis()));
        }
      }
    }
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
    writeDurably(temp, content);
    return new LocalStagedFile(temp, content);
  }

  @Override
  public boolean publishIfAbsent(StagedFile staged, String path) throws IOException {
    if (!(staged instanceof LocalStagedFile local)) {
      throw new IllegalArgumentException("staged file from another storage");
    }
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
        // A link (not a rename) so that an existing file is never replaced. The name changes come
        // before the syncs: a journaling file system then commits them with the file's own sync,
        // leaving the directory sync next to nothing. The file stays unreferenced until a commit
        // names it, and commits happen only after this method returns.
        Files.createLink(target, temp);
        linked = true;
        Files.delete(temp);
        if (sync) {
          channel.force(true);
        }
        channel.close();
        syncDirectory(target.getParent());
        return stream.count;
      } catch (IOException | RuntimeException e) {
        channel.close();
        Files.deleteIfExists(temp);
        if (linked) {
          Files.deleteIfExists(target); // never referenced: publish() did not return
        }
        throw e;
      }
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

    LocalStagedFile(Path temp, byte[] content) {
      this.temp = temp;
      this.content = content;
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
