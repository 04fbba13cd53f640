package io.datashard;

import io.datashard.internal.storage.LocalStorage;
import io.datashard.storage.FileInfo;
import io.datashard.storage.NewFile;
import io.datashard.storage.StagedFile;
import io.datashard.storage.Storage;
import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Child process that appends one row but stops forever just before publishing its log entry (after
 * its data file and staged entry are durable), so that a test can SIGKILL it at that point.
 */
public final class BlockingWorker {
  public static void main(String[] args) throws Exception {
    Storage local = new LocalStorage(Path.of(args[0]), true);
    Storage blocking = new Storage() {
      @Override public String location() { return local.location(); }
      @Override public boolean rootIsDirectory() throws IOException { return local.rootIsDirectory(); }
      @Override public boolean exists(String path) throws IOException { return local.exists(path); }
      @Override public Optional<FileInfo> info(String path) throws IOException { return local.info(path); }
      @Override public byte[] readAll(String path) throws IOException { return local.readAll(path); }
      @Override public SeekableByteChannel openRead(String path) throws IOException { return local.openRead(path); }
      @Override public List<FileInfo> listFrom(String dir, String startAfter) throws IOException {
        return local.listFrom(dir, startAfter);
      }
      @Override public NewFile create(String path) throws IOException { return local.create(path); }
      @Override public StagedFile stage(String dir, byte[] content) throws IOException { return local.stage(dir, content); }
      @Override public void replace(String path, byte[] content) throws IOException { local.replace(path, content); }
      @Override public boolean delete(String path) throws IOException { return local.delete(path); }
      @Override public void close() throws IOException { local.close(); }
      @Override public Optional<java.io.Closeable> lockWriters() throws IOException { return local.lockWriters(); }

      @Override
      public boolean publishIfAbsent(StagedFile staged, String path) throws IOException {
        System.out.println("about to link " + path);
        System.out.flush();
        try {
          Thread.sleep(Long.MAX_VALUE);
        } catch (InterruptedException e) {
          throw new IOException(e);
        }
        return local.publishIfAbsent(staged, path);
      }
    };
    try (Table t = Table.open(blocking, TableOptions.DEFAULT)) {
      t.append(List.of(Map.of("writer", 99, "seq", 0L)));
    }
  }
}
