package io.datashard;

import static org.assertj.core.api.Assertions.assertThat;

import io.datashard.internal.storage.LocalStorage;
import io.datashard.testing.FaultInjectingStorage;
import io.datashard.testing.FaultInjectingStorage.Call;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * I/O errors at every storage call of representative operations. For each scenario the calls the
 * operation makes are counted by kind; then, on a fresh copy of the table each time, the n-th call
 * of each kind fails ("No space left on device" with a short write, or EIO). Each time: the
 * operation either succeeds (the failure was in a step it may tolerate, such as cleanup) with the
 * full result, or throws a {@link DataShardException} that names the table and the I/O error; the
 * table stays readable and holds exactly its rows from before (or, after a {@link
 * CommitOutcomeUnknownException} only, from before or after); and running the operation again on
 * the same handle succeeds with the full result.
 *
 * <p>The scenarios are data: adding an operation (optimize, vacuum) is one more entry in {@link
 * #scenarios()}.
 */
class FaultInjectionTest {
  @TempDir Path dir;

  private static final Schema SCHEMA = Schema.parse("id long not null, v long, s string");
  private static final TableOptions OPTIONS = TableOptions.DEFAULT;
  private static final int DATA_WRITES = 12;

  /**
   * One operation under test and the rows it must leave, given the rows before (id to "v,s"). The
   * action must be safe to repeat after a failure (idempotent transactions, or operations whose
   * result does not depend on how often they ran), as the retry check repeats it.
   */
  record Scenario(String name, Consumer<Table> action, UnaryOperator<Map<Long, String>> effect) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Scenario> scenarios() {
    return Stream.of(
        new Scenario("append", t -> {
          try (Transaction tx = t.newTransaction()) {
            tx.idempotent("fault-test", 1).append(List.of(row(100, 100, "a"), row(101, 101, "b"), row(102, 102, "c")));
            tx.commit();
          }
        }, before -> with(before, Map.of(100L, "100,a", 101L, "101,b", 102L, "102,c"))),
        new Scenario("update", t -> t.update(Expression.parse("id < 3"), Map.of("v", Expressions.literal(-1L))),
            before -> {
              Map<Long, String> m = new TreeMap<>(before);
              for (long id = 0; id < 3; id++) {
                m.put(id, "-1," + before.get(id).split(",")[1]);
              }
              return m;
            }),
        new Scenario("delete", t -> t.delete(Expression.parse("id >= 8")), before -> {
          Map<Long, String> m = new TreeMap<>(before);
          m.keySet().removeIf(id -> id >= 8);
          return m;
        }),
        new Scenario("upsert", t -> t.upsert(List.of(row(1, 77, "u"), row(200, 200, "n")), "id"),
            before -> with(before, Map.of(1L, "77,u", 200L, "200,n"))),
        new Scenario("get-or-create", t -> t.getOrCreate(Expressions.equal("id", 300L), () -> row(300, 300, "g")),
            before -> with(before, Map.of(300L, "300,g"))),
        new Scenario("overwrite", t -> t.overwrite(Expression.parse("id < 5"), List.of(row(0, 1000, "o"), row(1, 1001, "o"))),
            before -> {
              Map<Long, String> m = new TreeMap<>(before);
              m.keySet().removeIf(id -> id < 5);
              return with(m, Map.of(0L, "1000,o", 1L, "1001,o"));
            }),
        new Scenario("transaction", t -> {
          try (Transaction tx = t.newTransaction()) {
            tx.idempotent("fault-test", 2).append(List.of(row(400, 400, "t")));
            tx.delete(Expressions.equal("id", 0L));
            tx.commit();
          }
        }, before -> {
          Map<Long, String> m = with(before, Map.of(400L, "400,t"));
          m.remove(0L);
          return m;
        }),
        new Scenario("checkpoint", Table::checkpoint, before -> before),
        // Compacts the template's two files into one; a retry after a failure compacts what is left.
        new Scenario("optimize", t -> t.optimize().commit(), before -> before),
        // Deletes the template's leftover of a killed writer (no retention), then cleans up the log.
        new Scenario("vacuum", t -> t.vacuum().retain(Duration.ZERO).unsafeRetention().execute(), before -> before));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scenarios")
  @Timeout(value = 10, unit = TimeUnit.MINUTES)
  void everyFailedCallLeavesTheTableIntactAndTheRetrySucceeds(Scenario scenario) throws IOException {
    Path template = dir.resolve("template");
    try (Table t = Table.define(template.toString(), SCHEMA)
        .property("delta.checkpointInterval", "1000000") // no background checkpoint: the calls are the operation's own
        .create()) {
      t.append(List.of(row(0, 0, "x"), row(1, 1, "x"), row(2, 2, "x"), row(3, 3, "x"), row(4, 4, "x")));
      t.append(List.of(row(5, 5, "y"), row(6, 6, "y"), row(7, 7, "y"), row(8, 8, "y"), row(9, 9, "y")));
    }
    // A data file no commit references, as a writer killed before its commit leaves behind.
    Files.write(template.resolve("part-00000-leftover-of-a-killed-writer.c000.snappy.parquet"), new byte[] {1, 2, 3});
    Map<Long, String> before = rows(template);
    Map<Long, String> after = scenario.effect().apply(before);

    Map<Call, Integer> counts;
    Path dry = copy(template, "dry");
    FaultInjectingStorage counting = new FaultInjectingStorage(new LocalStorage(dry, true));
    try (Table t = Table.open(counting, OPTIONS)) {
      t.currentSnapshot();
      counting.countOnly();
      scenario.action().accept(t);
      counts = counting.counts();
    }
    assertThat(rows(dry)).as("%s without faults", scenario).isEqualTo(after);
    System.out.println(scenario + ": calls " + counts);

    List<String> problems = new ArrayList<>();
    Map<String, Integer> outcomes = new TreeMap<>();
    int cases = 0;
    for (Map.Entry<Call, Integer> e : counts.entrySet()) {
      for (int n : callsToFail(e.getKey(), e.getValue())) {
        String where = scenario + ", " + e.getKey() + " call " + n + " of " + e.getValue();
        Path copy = copy(template, "c" + cases++);
        String outcome = injectOnce(copy, scenario, e.getKey(), n, before, after, where, problems);
        outcomes.merge(e.getKey() + " -> " + outcome, 1, Integer::sum);
      }
    }
    System.out.println(scenario + ": " + cases + " failures injected; outcomes " + outcomes);
    assertThat(problems).as("%s: problems in %d injected failures", scenario, cases).isEmpty();
  }

  /**
   * Which calls of a kind to fail: all of them, except for {@link Call#WRITE_DATA}, the hundreds of
   * buffer writes into one Parquet file, where {@value #DATA_WRITES} spread from the first to the
   * last stand for the rest (they all reach the same handling; the walk would otherwise take hours).
   */
  private static List<Integer> callsToFail(Call call, int count) {
    List<Integer> ns = new ArrayList<>();
    if (call != Call.WRITE_DATA || count <= DATA_WRITES) {
      for (int n = 1; n <= count; n++) {
        ns.add(n);
      }
      return ns;
    }
    for (int i = 0; i < DATA_WRITES; i++) {
      int n = 1 + (int) ((long) i * (count - 1) / (DATA_WRITES - 1));
      if (!ns.contains(n)) {
        ns.add(n);
      }
    }
    return ns;
  }

  /** Fails call n of a kind in one run of the scenario; returns the outcome's name, adds problems. */
  private String injectOnce(Path table, Scenario scenario, Call call, int n, Map<Long, String> before,
      Map<Long, String> after, String where, List<String> problems) throws IOException {
    FaultInjectingStorage storage = new FaultInjectingStorage(new LocalStorage(table, true));
    String outcome;
    try (Table t = Table.open(storage, OPTIONS)) {
      t.currentSnapshot();
      storage.arm(call, n);
      RuntimeException thrown = null;
      try {
        scenario.action().accept(t);
      } catch (RuntimeException e) {
        thrown = e;
      }
      if (storage.injected().isEmpty()) {
        problems.add(where + ": the call was not reached");
        return "not reached";
      }
      String io = storage.injected().get().getMessage();
      Map<Long, String> now = readable(table, where, problems);
      if (thrown == null) {
        outcome = "succeeded";
        if (now != null && !now.equals(after)) {
          problems.add(where + ": succeeded but the table holds " + now + " instead of " + after);
        }
      } else {
        outcome = thrown.getClass().getSimpleName();
        if (!(thrown instanceof DataShardException)) {
          problems.add(where + ": threw " + thrown + ", not a DataShardException");
        } else if (!thrown.getMessage().contains(io) || !thrown.getMessage().contains(table.toString())) {
          problems.add(where + ": the message does not name the table and the I/O error (" + io + "): "
              + thrown.getMessage());
        }
        boolean unknown = thrown instanceof CommitOutcomeUnknownException;
        if (now != null && !now.equals(before) && !(unknown && now.equals(after))) {
          problems.add(where + ": threw " + thrown + " but the table changed to " + now);
        }
        try {
          scenario.action().accept(t);
        } catch (RuntimeException e) {
          problems.add(where + ": the next attempt failed too: " + e);
        }
        Map<Long, String> retried = readable(table, where + " (after the retry)", problems);
        if (retried != null && !retried.equals(after)) {
          problems.add(where + ": after the retry the table holds " + retried + " instead of " + after);
        }
      }
    }
    return outcome;
  }

  /** The rows of a fresh handle on plain storage, or null (and a problem) if the table cannot be read. */
  private static Map<Long, String> readable(Path table, String where, List<String> problems) {
    try {
      return rows(table);
    } catch (RuntimeException e) {
      problems.add(where + ": the table is not readable: " + e);
      return null;
    }
  }

  private static Map<Long, String> rows(Path table) {
    Map<Long, String> m = new TreeMap<>();
    try (Table t = Table.open(table.toString())) {
      for (Row r : t.newScan().toList()) {
        String previous = m.put(r.getLong("id"), r.getLong("v") + "," + r.getString("s"));
        if (previous != null) {
          throw new IllegalStateException("id " + r.getLong("id") + " twice in " + table);
        }
      }
    }
    return m;
  }

  private static Map<String, Object> row(long id, long v, String s) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("id", id);
    r.put("v", v);
    r.put("s", s);
    return r;
  }

  private static Map<Long, String> with(Map<Long, String> before, Map<Long, String> changes) {
    Map<Long, String> m = new TreeMap<>(before);
    m.putAll(changes);
    return m;
  }

  private Path copy(Path from, String name) throws IOException {
    Path to = dir.resolve(name);
    try (Stream<Path> walk = Files.walk(from)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        Files.copy(p, to.resolve(from.relativize(p).toString()), StandardCopyOption.COPY_ATTRIBUTES);
      }
    }
    return to;
  }
}
