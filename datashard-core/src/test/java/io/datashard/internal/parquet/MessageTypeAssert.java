package io.datashard.internal.parquet;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.parquet.schema.MessageType;

/** Assertions on projected Parquet schemas. */
final class MessageTypeAssert {
  private MessageTypeAssert() {}

  /** The schema's leaf columns, as dotted paths, are exactly these in this order. */
  static void assertColumns(MessageType schema, String... paths) {
    assertThat(schema.getPaths().stream().map(p -> String.join(".", p))).containsExactly(paths);
  }
}
