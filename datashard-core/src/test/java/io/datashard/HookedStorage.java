package io.datashard;

import io.datashard.internal.storage.LocalStorage;
import io.datashard.storage.FileInfo;
import io.datashard.storage.NewFile;
import io.datashard.storage.StagedFile;
import io.datashard.storage.Storage;
import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Local storage with two test hooks at exact points of the commit protocol: run something (a
 * concurrent winner) just before a log entry containing a marker is staged, and fail the first
 * {@code info} call on a path (a failure after the commit point).
 */
final class HookedStorage implements Storage {
  private final LocalStorage local;
  private final AtomicReference<String> stageMarker = new AtomicReference<>();
  private final AtomicReference<Runnable> beforeStage = new AtomicReference<>();
  private final AtomicReference<String> failInfoOf = new AtomicReference<>();

  HookedStorage(Path root) {
    this.local = new LocalStorage(root, false);
  }

  /** Runs {@code action} once, before the next staged log entry whose text contains {@code marker}. */
  void beforeStaging(String marker, Runnable action) {
    stageMarker.set(marker);
    beforeStage.set(action);
  }

  /** The next {@code info(path)} throws an IOException. */
  void failNextInfo(String path) {
    failInfoOf.set(path);
  }

  @Override public String location() { return local.location(); }
  @Override public boolean rootIsDirectory() throws IOException { return local.rootIsDirectory(); }
  @Override public boolean exists(String path) throws IOException { return local.exists(path); }

  @Override
  public Optional<FileInfo> info(String path) throws IOException {
    String failing = failInfoOf.get();
    if (path.equals(failing) && failInfoOf.compareAndSet(failing, null)) { // identity of the stored string
      throw new IOException("injected failure reading the attributes of " + path);
    }
    return local.info(path);
  }

  @Override public byte[] readAll(String path) throws IOException { return local.readAll(path); }
  @Override public SeekableByteChannel openRead(String path) throws IOException { return local.openRead(path); }

  @Override
  public List<FileInfo> listFrom(String dir, String startAfter) throws IOException {
    return local.listFrom(dir, startAfter);
  }

  @Override public List<FileInfo> listTree(String dir) throws IOException { return local.listTree(dir); }
  @Override public NewFile create(String path) throws IOException { return local.create(path); }

  @Override
  public StagedFile stage(String dir, byte[] content) throws IOException {
    String marker = stageMarker.get();
    if (marker != null && new String(content, StandardCharsets.UTF_8).contains(marker)
        && stageMarker.compareAndSet(marker, null)) {
      beforeStage.getAndSet(null).run();
    }
    return local.stage(dir, content);
  }

  @Override
  public boolean publishIfAbsent(StagedFile staged, String path) throws IOException {
    return local.publishIfAbsent(staged, path);
  }

  @Override public void replace(String path, byte[] content) throws IOException { local.replace(path, content); }
  @Override public Optional<java.io.Closeable> lockWriters() throws IOException { return local.lockWriters(); }
  @Override public boolean delete(String path) throws IOException { return local.delete(path); }
  @Override public void close() throws IOException { local.close(); }
}
