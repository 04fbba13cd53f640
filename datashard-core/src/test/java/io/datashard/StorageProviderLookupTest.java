package io.datashard;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** URI locations need a {@link io.datashard.storage.StorageProvider}; core alone has none. */
class StorageProviderLookupTest {
  @Test
  void anS3LocationWithoutTheS3ModuleNamesTheModule() {
    assertThatThrownBy(() -> Table.open("s3://bucket/t")).isExactlyInstanceOf(DataShardException.class)
        .hasMessageContaining("scheme 's3'").hasMessageContaining("io.datashard:datashard-s3");
  }

  @Test
  void anUnknownSchemeIsNamed() {
    assertThatThrownBy(() -> Table.create("gs://bucket/t", Schema.parse("k long"))).isExactlyInstanceOf(DataShardException.class)
        .hasMessageContaining("scheme 'gs'").hasMessageContaining("no StorageProvider");
  }
}
