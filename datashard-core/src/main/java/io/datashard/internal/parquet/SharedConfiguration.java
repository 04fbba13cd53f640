package io.datashard.internal.parquet;

import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.conf.HadoopParquetConfiguration;
import org.apache.parquet.conf.ParquetConfiguration;

/**
 * The one configuration every Parquet reader and writer here uses. Building a Hadoop {@link
 * Configuration} with defaults parses XML from the class path, far too slow per file; an empty one
 * made once suffices, since all settings are passed through the builders. Nothing modifies it.
 */
final class SharedConfiguration {
  static final ParquetConfiguration INSTANCE = new HadoopParquetConfiguration(new Configuration(false));

  private SharedConfiguration() {}
}
