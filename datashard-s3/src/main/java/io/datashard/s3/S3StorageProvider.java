package io.datashard.s3;

import io.datashard.TableOptions;
import io.datashard.storage.Storage;
import io.datashard.storage.StorageProvider;
import java.net.URI;

/**
 * Provides {@link S3Storage} for {@code s3://bucket/prefix} table locations, configured from the
 * environment (see {@link S3Storage.Builder}). Found by {@link java.util.ServiceLoader}.
 */
public final class S3StorageProvider implements StorageProvider {
  /** Creates the provider; {@link java.util.ServiceLoader} calls this. */
  public S3StorageProvider() {}

  @Override
  public String scheme() {
    return "s3";
  }

  @Override
  public Storage open(URI location, TableOptions options) {
    return S3Storage.builder(location).build();
  }
}
