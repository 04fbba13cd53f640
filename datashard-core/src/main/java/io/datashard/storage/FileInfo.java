package io.datashard.storage;

/**
 * A file found in storage.
 *
 * @param path path relative to the table root, {@code /}-separated
 * @param size size in bytes
 * @param modificationTime last modification time, milliseconds since the epoch
 */
public record FileInfo(String path, long size, long modificationTime) {
  /** The last path segment. */
  public String name() {
    int slash = path.lastIndexOf('/');
    return slash < 0 ? path : path.substring(slash + 1);
  }
}
