package io.datashard.internal.table;

import io.datashard.CorruptTableException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Converts between {@code add.path} values (RFC 2396 URI-encoded, relative to the table root or
 * absolute) and the storage's table-relative paths. Any path that leads outside the table root is
 * refused as corruption before anything is read.
 */
public final class DataPaths {
  private DataPaths() {}

  /** The {@code add.path} of a table-relative file path. */
  public static String encode(String relativePath) {
    try {
      return new URI(null, null, relativePath, null).getRawPath();
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("cannot encode path " + relativePath, e);
    }
  }

  /**
   * The table-relative path of an {@code add.path}.
   *
   * @param tableRoot the table's absolute local root, or null if the storage is not a local directory
   * @throws CorruptTableException if the path is malformed or leads outside the table
   */
  public static String decode(String addPath, String tableRoot, String table, long version) {
    URI uri;
    try {
      uri = new URI(addPath);
    } catch (URISyntaxException e) {
      throw corrupt(addPath, table, version, "it is not a valid URI-encoded path");
    }
    String path = uri.getPath();
    if (path == null || path.isEmpty()) {
      throw corrupt(addPath, table, version, "it has no path");
    }
    if (uri.isAbsolute() || path.startsWith("/")) {
      if (uri.isAbsolute() && !"file".equals(uri.getScheme())) {
        throw corrupt(addPath, table, version, "it is an absolute URI of another storage");
      }
      if (tableRoot == null) {
        throw corrupt(addPath, table, version, "it is absolute");
      }
      Path absolute = Paths.get(path).normalize();
      Path root = Paths.get(tableRoot).normalize();
      if (!absolute.startsWith(root) || absolute.equals(root)) {
        throw corrupt(addPath, table, version, "it leads outside the table root");
      }
      return root.relativize(absolute).toString().replace('\\', '/');
    }
    for (String segment : path.split("/", -1)) {
      if (segment.equals("..") || segment.equals(".") || segment.isEmpty()) {
        throw corrupt(addPath, table, version, "it leads outside the table root or is malformed");
      }
    }
    return path;
  }

  private static CorruptTableException corrupt(String addPath, String table, long version, String why) {
    return new CorruptTableException("table " + table + ", version " + version + ": data file path '" + addPath
        + "' is refused: " + why);
  }
}
