package io.datashard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.datashard.Expressions;
import io.datashard.Table;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The torture check finds what it promises to find: a known history of one writer is run in this
 * JVM, the table or the acknowledgement file is then damaged the way a bug would, and the check
 * must report it (and report nothing for the undamaged and the legitimately unacknowledged cases).
 */
class TortureCheckTest {
  @TempDir Path dir;

  /** One case: damage done after the known history, and the violation expected (null: none). */
  interface Damage {
    void apply(History h) throws IOException;
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("nothing damaged", (Damage) h -> {}, null),
        Arguments.of("an acknowledged batch lost", (Damage) h -> h.table.delete(batch(h, 0)),
            "writer 0's rows differ from its acknowledged operations: missing 2"),
        Arguments.of("an acknowledged batch duplicated", (Damage) h -> h.table.append(List.of(
            TortureOp.row(TortureOp.EVENT, h.runId, 1, 0, 0L, 1L, null))), "extra 1 [event/1/0/1]"),
        Arguments.of("an update half applied", (Damage) h -> h.table.update(Expressions.and(batch(h, 0),
            Expressions.equal("seq", 0L)), Map.of("v", Expressions.literal(0L))), "writer 0's rows differ"),
        Arguments.of("an acknowledged increment lost", (Damage) h -> h.table.increment(TortureOp.counterKey(h.runId), "v",
            -1L), "counter is 6: 0 + 7 acknowledged + no subset"),
        Arguments.of("an increment applied twice", (Damage) h -> h.table.increment(TortureOp.counterKey(h.runId), "v",
            7L), "counter is 14"),
        Arguments.of("a second row for a get-or-create key", (Damage) h -> h.table.append(List.of(
            TortureOp.row(TortureOp.KEY, h.runId, 3, 0, 99L, null, "w0s99"))), "get-or-create key 3 has 2 rows"),
        Arguments.of("an upsert lost (the older one wins)", (Damage) h -> h.table.upsert(List.of(
            TortureOp.row(TortureOp.UPSERT_KIND, h.runId, 5, 0, 5L, 5L, "w0s5")), "kind", "run", "k"),
            "upsert key 5 holds row w0s5, not its latest acknowledged upsert w0s6"),
        Arguments.of("an unacknowledged transaction fully committed", (Damage) h -> h.unacknowledged(true, true), null),
        Arguments.of("an unacknowledged transaction not committed", (Damage) h -> h.unacknowledged(false, false), null),
        Arguments.of("an unacknowledged transaction half visible", (Damage) h -> h.unacknowledged(true, false),
            "with or without its unacknowledged operation 9, transaction"),
        Arguments.of("an acknowledgement without an intent", (Damage) h -> h.line('A', 42, TortureOp.CHECKPOINT,
            Map.of("checkpoint", "1")), "acknowledged operation 42 it never started"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void theCheckFindsWhatIsWrong(String name, Damage damage, String expected) throws IOException {
    History h = new History(dir);
    try {
      damage.apply(h);
      TortureCheck.Result r;
      try (Table fresh = Table.open(dir.resolve("t").toString())) {
        r = TortureCheck.check(fresh, dir.resolve("t"), h.runId, dir, 1);
      }
      if (expected == null) {
        assertThat(r.violations()).isEmpty();
      } else {
        assertThat(r.violations()).as("violations").anySatisfy(v -> assertThat(v).contains(expected));
      }
    } finally {
      h.close();
    }
  }

  private static io.datashard.Expression batch(History h, long batch) {
    return TortureOp.batchKey(h.context, batch);
  }

  /**
   * Writer 0's known history, run for real: append batch 0 (2 rows), append batch 1 (1 row), update
   * batch 0, increment by 3, get-or-create key 3, upsert key 5 twice, increment by 4, checkpoint.
   */
  static final class History implements AutoCloseable {
    final Table table;
    final String runId = "run-1";
    final TortureOp.Context context;
    final FileChannel acks;

    History(Path dir) throws IOException {
      table = Table.define(dir.resolve("t").toString(), StressWorkload.MIXED.schema())
          .partitionBy(StressWorkload.MIXED.partitionColumns()).createIfAbsent();
      table.append(List.of(TortureOp.row(TortureOp.COUNTER, runId, 0, null, null, TortureCheck.INITIAL, "counter")));
      context = new TortureOp.Context(table, runId, 0, new Random(1), new TortureModel());
      acks = FileChannel.open(TortureCheck.ackFile(dir, 0), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
          StandardOpenOption.APPEND);
      op(0, TortureOp.APPEND, "n", 2);
      op(1, TortureOp.APPEND, "n", 1);
      op(2, TortureOp.UPDATE, "target", 0);
      op(3, TortureOp.INCREMENT, "delta", 3);
      op(4, TortureOp.GET_OR_CREATE, "key", 3);
      op(5, TortureOp.UPSERT, "key", 5);
      op(6, TortureOp.UPSERT, "key", 5);
      op(7, TortureOp.INCREMENT, "delta", 4);
      op(8, TortureOp.CHECKPOINT, null, 0);
    }

    private void op(long seq, TortureOp op, String field, long value) throws IOException {
      Map<String, String> plan = new LinkedHashMap<>();
      if (field != null) {
        plan.put(field, Long.toString(value));
      }
      line('I', seq, op, plan);
      Map<String, String> ack = op.run(context, seq, plan);
      line('A', seq, op, ack);
      op.apply(context.model(), seq, plan);
    }

    void line(char type, long seq, TortureOp op, Map<String, String> fields) throws IOException {
      TortureWorker.write(acks, type, seq, op, fields);
    }

    /**
     * Operation 9, a transaction moving batch 1 into a new 2-row batch 9, started but never
     * acknowledged; its append and its delete are applied as told, separately.
     */
    void unacknowledged(boolean append, boolean delete) throws IOException {
      line('I', 9, TortureOp.TRANSACTION, Map.of("target", "1", "n", "2"));
      if (append) {
        table.append(List.of(TortureOp.row(TortureOp.EVENT, runId, 9, 0, 0L, 9L, null),
            TortureOp.row(TortureOp.EVENT, runId, 9, 0, 1L, 9L, null)));
      }
      if (delete) {
        table.delete(batch(this, 1));
      }
    }

    @Override
    public void close() throws IOException {
      acks.close();
      table.close();
    }
  }
}
