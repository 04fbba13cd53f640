package io.datashard.storage;

import io.datashard.TableOptions;
import java.io.IOException;
import java.net.URI;

/**
 * Opens {@link Storage} for table locations of one URI scheme, such as {@code s3}. Implementations
 * are found with {@link java.util.ServiceLoader} (listed in {@code
 * META-INF/services/io.datashard.storage.StorageProvider}), so that {@code Table.open("s3://bucket/t")}
 * works whenever the module providing the scheme is on the class path. Local paths and {@code file:}
 * URIs need no provider.
 */
public interface StorageProvider {
  /** The URI scheme this provider handles, lower case, without {@code ://} (for example {@code s3}). */
  String scheme();

  /**
   * Opens the storage of one table root. Called once per table handle.
   *
   * @param location the table location, with this provider's scheme
   * @param options the handle's options (for example its durability)
   * @throws IOException if the storage cannot be set up (for example, no credentials or region)
   * @throws IllegalArgumentException if the URI is malformed for this scheme (for example, no bucket)
   */
  Storage open(URI location, TableOptions options) throws IOException;
}
