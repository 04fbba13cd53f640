package io.datashard.cli;

import io.datashard.Row;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The rows one torture writer incarnation owns ({@code writer} = its incarnation number): event
 * batches it appended and has not deleted, each with its generation (the sequence number of the
 * operation that last updated it), and its one overwrite slot. A worker keeps it to choose targets;
 * the check replays the acknowledged operations into it and compares with the table.
 */
final class TortureModel {
  /** An event batch: {@code n} rows {@code (k = batch, seq = 0..n-1, v = generation)}. */
  record Batch(int n, long generation) {}

  /** Live event batches by batch id (the sequence number of the operation that appended them). */
  final Map<Long, Batch> events = new TreeMap<>();
  /** The sequence number of the overwrite whose rows fill the slot, or -1 if never overwritten. */
  long slot = -1;
  /** Rows of the slot. */
  int slotRows;

  TortureModel copy() {
    TortureModel m = new TortureModel();
    m.events.putAll(events);
    m.slot = slot;
    m.slotRows = slotRows;
    return m;
  }

  /** The rows this model says the table holds for the writer, as sorted {@link #key} strings. */
  List<String> expectedRows() {
    List<String> rows = new ArrayList<>();
    events.forEach((batch, b) -> {
      for (int i = 0; i < b.n(); i++) {
        rows.add(key(TortureOp.EVENT, batch, (long) i, b.generation()));
      }
    });
    for (int i = 0; i < slotRows; i++) {
      rows.add(key(TortureOp.SLOT, slot, (long) i, slot));
    }
    rows.sort(null);
    return rows;
  }

  /** A writer-owned row as a comparable string: {@code kind/k/seq/v}. */
  static String key(String kind, Long k, Long seq, Long v) {
    return kind + "/" + k + "/" + seq + "/" + v;
  }

  static String key(Row r) {
    return key(r.getString("kind"), r.getLong("k"), r.getLong("seq"), r.getLong("v"));
  }
}
