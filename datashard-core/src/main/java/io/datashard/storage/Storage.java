package io.datashard.storage;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.util.List;
import java.util.Optional;

/**
 * The storage SPI: the only code in DataShard that touches files. One instance serves one table
 * root; every {@code path} is relative to it, {@code /}-separated, and must not escape it
 * (implementations refuse {@code ..}, absolute paths and symbolic links that lead outside the root).
 *
 * <p>Implementations must be safe for concurrent use by many threads. The commit protocol relies
 * on exactly one guarantee: {@link #publishIfAbsent} creates the named file atomically if and only
 * if no file of that name exists, across all processes and machines using the table.
 */
public interface Storage extends Closeable {

  /** The table root, as a URI or path string for messages. */
  String location();

  /** True if the table root exists and is a directory (or, for object stores, always true). */
  boolean rootIsDirectory() throws IOException;

  /** True if a file exists at the path. */
  boolean exists(String path) throws IOException;

  /** The file's size and modification time, if it exists. */
  Optional<FileInfo> info(String path) throws IOException;

  /**
   * The whole content of a small file.
   *
   * @throws java.nio.file.NoSuchFileException if it does not exist
   */
  byte[] readAll(String path) throws IOException;

  /**
   * Opens a file for random-access reading.
   *
   * @throws java.nio.file.NoSuchFileException if it does not exist
   */
  SeekableByteChannel openRead(String path) throws IOException;

  /**
   * The files (not directories) directly inside a directory whose names sort after {@code
   * startAfter} (empty: all), sorted by name. A missing directory has no files.
   */
  List<FileInfo> listFrom(String dir, String startAfter) throws IOException;

  /**
   * The regular files below a directory, recursively, for maintenance (vacuum). Symbolic links are
   * neither followed nor returned, so nothing reached through a link is ever listed (and thus never
   * deleted); the directory itself is the table root or a path inside it. A missing directory has no
   * files. On an object store this is a prefix listing ({@code dir + "/"}), which has no links.
   *
   * <p>Added for maintenance; the default implementation refuses, so storages that do not support it
   * cannot be vacuumed but work otherwise.
   *
   * @throws UnsupportedOperationException if this storage cannot list recursively
   */
  default List<FileInfo> listTree(String dir) throws IOException {
    throw new UnsupportedOperationException("storage " + location() + " does not support recursive listing");
  }

  /** Starts writing a new file that becomes visible at {@code path} only on {@link NewFile#publish()}. */
  NewFile create(String path) throws IOException;

  /**
   * Writes content to a hidden staging file in {@code dir}, for {@link #publishIfAbsent}, and starts
   * making it durable.
   */
  StagedFile stage(String dir, byte[] content) throws IOException;

  /**
   * Waits until the staged content is durable, then atomically makes it visible at {@code path} if
   * no file exists there, durably.
   *
   * @return true if this call created the file; false if a file already existed (nothing changed)
   * @throws UnconfirmedPublishException if the outcome must be learned by reading the file back
   *     (see there)
   * @throws IOException if it cannot be told whether the file was created by this call
   */
  boolean publishIfAbsent(StagedFile staged, String path) throws IOException;

  /** Writes a small file, replacing any existing one atomically (for pointers such as {@code _last_checkpoint}). */
  void replace(String path, byte[] content) throws IOException;

  /**
   * Takes an advisory lock that queues this table's re-planning writers on one machine, so that
   * under heavy contention they take turns instead of wasting work on plans that lose. Correctness
   * never depends on it: commits stay protected by {@link #publishIfAbsent} alone.
   *
   * @return the lock to close when done, or empty if this storage has no such lock
   */
  Optional<Closeable> lockWriters() throws IOException;

  /**
   * True if {@link #listFrom} costs about one request regardless of how many files the directory
   * holds before {@code startAfter} (object stores list with {@code start-after}). The log then finds
   * its latest version with one listing instead of probing for versions one by one. Default: false.
   */
  default boolean listsFromCheaply() {
    return false;
  }

  /** Deletes a file; returns false if it did not exist. */
  boolean delete(String path) throws IOException;
}
