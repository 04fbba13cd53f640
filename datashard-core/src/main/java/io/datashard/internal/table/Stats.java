package io.datashard.internal.table;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.datashard.internal.log.Action.AddFile;
import java.io.IOException;
import java.util.OptionalLong;

/** Reads the per-file statistics of {@code add.stats}. */
public final class Stats {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private Stats() {}

  /**
   * The file's live rows: its {@code numRecords} less the rows its deletion vector deletes, if its
   * stats record it (unparseable stats count as absent).
   */
  public static OptionalLong numRecords(AddFile add) {
    if (add.stats().isEmpty()) {
      return OptionalLong.empty();
    }
    try {
      JsonNode n = MAPPER.readTree(add.stats().get()).get("numRecords");
      long deleted = add.deletionVector().map(dv -> dv.cardinality()).orElse(0L);
      return n != null && n.canConvertToExactIntegral() && n.asLong() >= deleted
          ? OptionalLong.of(n.asLong() - deleted) : OptionalLong.empty();
    } catch (IOException e) {
      return OptionalLong.empty();
    }
  }
}
