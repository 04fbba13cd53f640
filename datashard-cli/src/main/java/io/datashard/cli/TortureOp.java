package io.datashard.cli;

import io.datashard.CommitResult;
import io.datashard.Expression;
import io.datashard.Expressions;
import io.datashard.GetOrCreateResult;
import io.datashard.OptimizeResult;
import io.datashard.Table;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * The operations of {@code datashard torture}. Each is planned (its random parameters, written to
 * the acknowledgement file as the intent before it runs), run (returns the fields of its
 * acknowledgement) and, if it changes the rows its writer owns, applied to a {@link TortureModel}.
 * Operations on shared rows (counter, keys, upserts) are checked across writers by {@link
 * TortureCheck}.
 *
 * <p>Adding an operation is one constant here: its weight in the mix, {@link #run}, and {@link
 * #apply} if it changes the writer's own rows (e.g. a compaction changes no rows: it only needs
 * {@code run}; the final check then proves it lost and duplicated nothing).
 */
enum TortureOp {
  /** Appends a batch of 1-3 event rows in one commit. */
  APPEND("append", 20) {
    @Override
    Map<String, String> plan(Context c, long seq) {
      return fields("n", 1 + c.random.nextInt(3));
    }

    @Override
    Map<String, String> run(Context c, long seq, Map<String, String> plan) {
      CommitResult r = c.table.append(batch(c, seq, num(plan, "n")));
      return commit(r, "inserted", r.rowsInserted());
    }

    @Override
    void apply(TortureModel m, long seq, Map<String, String> plan) {
      m.events.put(seq, new TortureModel.Batch((int) num(plan, "n"), seq));
    }

    @Override
    Optional<String> checkAck(TortureModel before, long seq, Map<String, String> plan, Map<String, String> ack) {
      return expect(ack, "inserted", num(plan, "n"));
    }
  },

  /** Deletes one of the writer's live event batches. */
  DELETE("delete", 10) {
    @Override
    boolean possible(TortureModel m) {
      return !m.events.isEmpty();
    }

    @Override
    Map<String, String> plan(Context c, long seq) {
      return fields("target", randomBatch(c));
    }

    @Override
    Map<String, String> run(Context c, long seq, Map<String, String> plan) {
      CommitResult r = c.table.delete(batchKey(c, num(plan, "target")));
      return commit(r, "deleted", r.rowsDeleted());
    }

    @Override
    void apply(TortureModel m, long seq, Map<String, String> plan) {
      m.events.remove(num(plan, "target"));
    }

    @Override
    Optional<String> checkAck(TortureModel before, long seq, Map<String, String> plan, Map<String, String> ack) {
      return expect(ack, "deleted", rowsOf(before, plan));
    }
  },

  /** Sets the generation {@code v} of every row of one of the writer's batches to this operation's sequence number. */
  UPDATE("update", 10) {
    @Override
    boolean possible(TortureModel m) {
      return !m.events.isEmpty();
    }

    @Override
    Map<String, String> plan(Context c, long seq) {
      return fields("target", randomBatch(c));
    }

    @Override
    Map<String, String> run(Context c, long seq, Map<String, String> plan) {
      CommitResult r = c.table.update(batchKey(c, num(plan, "target")), Map.of("v", Expressions.literal(seq)));
      return commit(r, "updated", r.rowsUpdated());
    }

    @Override
    void apply(TortureModel m, long seq, Map<String, String> plan) {
      long target = num(plan, "target");
      m.events.put(target, new TortureModel.Batch(m.events.get(target).n(), seq));
    }

    @Override
    Optional<String> checkAck(TortureModel before, long seq, Map<String, String> plan, Map<String, String> ack) {
      return expect(ack, "updated", rowsOf(before, plan));
    }
  },

  /** Replaces the rows of the writer's slot with 1-3 new ones ({@code overwrite(where, rows)}). */
  OVERWRITE("overwrite", 8) {
    @Override
    Map<String, String> plan(Context c, long seq) {
      return fields("n", 1 + c.random.nextInt(3));
    }

    @Override
    Map<String, String> run(Context c, long seq, Map<String, String> plan) {
      List<Map<String, Object>> rows = new ArrayList<>();
      for (int i = 0; i < num(plan, "n"); i++) {
        rows.add(row(SLOT, c.runId, seq, c.writer, (long) i, seq, null));
      }
      CommitResult r = c.table.overwrite(slotKey(c), rows);
      return commit(r, "inserted", r.rowsInserted());
    }

    @Override
    void apply(TortureModel m, long seq, Map<String, String> plan) {
      m.slot = seq;
      m.slotRows = (int) num(plan, "n");
    }

    @Override
    Optional<String> checkAck(TortureModel before, long seq, Map<String, String> plan, Map<String, String> ack) {
      return expect(ack, "inserted", num(plan, "n"));
    }
  },

  /**
   * A multi-statement transaction ({@code transact}): appends a new batch and deletes one of the
   * writer's batches, so both must be visible or neither.
   */
  TRANSACTION("transaction", 8) {
    @Override
    boolean possible(TortureModel m) {
      return !m.events.isEmpty();
    }

    @Override
    Map<String, String> plan(Context c, long seq) {
      Map<String, String> f = fields("target", randomBatch(c));
      f.put("n", Integer.toString(1 + c.random.nextInt(3)));
      return f;
    }

    @Override
    Map<String, String> run(Context c, long seq, Map<String, String> plan) {
      long[] deleted = new long[1];
      CommitResult r = c.table.transact(tx -> {
        tx.append(batch(c, seq, num(plan, "n")));
        deleted[0] = tx.delete(batchKey(c, num(plan, "target")));
      });
      return commit(r, "deleted", deleted[0]);
    }

    @Override
    void apply(TortureModel m, long seq, Map<String, String> plan) {
      m.events.remove(num(plan, "target"));
      m.events.put(seq, new TortureModel.Batch((int) num(plan, "n"), seq));
    }

    @Override
    Optional<String> checkAck(TortureModel before, long seq, Map<String, String> plan, Map<String, String> ack) {
      return expect(ack, "deleted", rowsOf(before, plan));
    }
  },

  /** Adds 1-9 to the run's one shared counter. */
  INCREMENT("increment", 14) {
    @Override
    Map<String, String> plan(Context c, long seq) {
      return fields("delta", 1 + c.random.nextInt(9));
    }

    @Override
    Map<String, String> run(Context c, long seq, Map<String, String> plan) {
      CommitResult r = c.table.increment(counterKey(c.runId), "v", num(plan, "delta"));
      return commit(r, "updated", r.rowsUpdated());
    }

    @Override
    Optional<String> checkAck(TortureModel before, long seq, Map<String, String> plan, Map<String, String> ack) {
      return expect(ack, "updated", 1);
    }
  },

  /** Get-or-create of a random shared key, supplying a row tagged with this operation. */
  GET_OR_CREATE("get-or-create", 12) {
    @Override
    Map<String, String> plan(Context c, long seq) {
      return fields("key", c.random.nextInt(KEYS));
    }

    @Override
    Map<String, String> run(Context c, long seq, Map<String, String> plan) {
      long key = num(plan, "key");
      GetOrCreateResult r = c.table.getOrCreate(sharedKey(KEY, c.runId, key),
          () -> row(KEY, c.runId, key, c.writer, seq, null, tag(c.writer, seq)));
      Map<String, String> ack = new LinkedHashMap<>();
      r.version().ifPresent(v -> ack.put("commit", Long.toString(v)));
      ack.put("created", r.created() ? "1" : "0");
      ack.put("got", r.row().getString("tag"));
      return ack;
    }
  },

  /** Upserts one row of a random shared key, tagged with this operation. */
  UPSERT("upsert", 12) {
    @Override
    Map<String, String> plan(Context c, long seq) {
      return fields("key", c.random.nextInt(KEYS));
    }

    @Override
    Map<String, String> run(Context c, long seq, Map<String, String> plan) {
      CommitResult r = c.table.upsert(List.of(row(UPSERT_KIND, c.runId, num(plan, "key"), c.writer, seq, seq,
          tag(c.writer, seq))), "kind", "run", "k");
      return commit(r, "updated", r.rowsUpdated());
    }
  },

  /** Compacts small files: it changes files, not rows, so the final check proves it lost and doubled nothing. */
  OPTIMIZE("optimize", 3) {
    @Override
    Map<String, String> run(Context c, long seq, Map<String, String> plan) {
      OptimizeResult r = c.table.optimize().commit();
      Map<String, String> f = new LinkedHashMap<>();
      r.version().ifPresent(v -> f.put("commit", Long.toString(v)));
      f.put("filesRemoved", Long.toString(r.filesRemoved()));
      return f;
    }
  },

  /**
   * Vacuums with the default (safe) retention while other writers commit and are killed: it must
   * delete nothing a snapshot or an in-flight writer still needs.
   */
  VACUUM("vacuum", 1) {
    @Override
    Map<String, String> run(Context c, long seq, Map<String, String> plan) {
      return fields("filesDeleted", c.table.vacuum().execute().filesDeleted());
    }
  },

  /** Writes a checkpoint of the latest version. */
  CHECKPOINT("checkpoint", 2) {
    @Override
    Map<String, String> run(Context c, long seq, Map<String, String> plan) {
      return fields("checkpoint", c.table.checkpoint());
    }
  };

  static final String EVENT = "event";
  static final String SLOT = "slot";
  static final String COUNTER = "counter";
  static final String KEY = "key";
  static final String UPSERT_KIND = "upsert";
  /** Shared keys that get-or-create and upsert choose from: few, so that writers collide. */
  static final int KEYS = 20;

  private final String cliName;
  private final int weight;

  TortureOp(String cliName, int weight) {
    this.cliName = cliName;
    this.weight = weight;
  }

  /** What an operation runs with: the writer's handle and identity, its random source and model. */
  record Context(Table table, String runId, int writer, Random random, TortureModel model) {}

  String cliName() {
    return cliName;
  }

  /** Relative frequency in the mix. */
  int weight() {
    return weight;
  }

  /** Whether the operation can run on the writer's current rows (e.g. delete needs a batch). */
  boolean possible(TortureModel m) {
    return true;
  }

  /** The operation's random parameters, recorded as its intent before it runs. */
  Map<String, String> plan(Context c, long seq) {
    return new LinkedHashMap<>();
  }

  /** Runs the operation; returns the fields of its acknowledgement ({@code commit} = the version it committed). */
  abstract Map<String, String> run(Context c, long seq, Map<String, String> plan);

  /** Applies the operation to the rows its writer owns (nothing for operations on shared rows). */
  void apply(TortureModel m, long seq, Map<String, String> plan) {}

  /** What is wrong with an acknowledgement, given the writer's rows before the operation. */
  Optional<String> checkAck(TortureModel before, long seq, Map<String, String> plan, Map<String, String> ack) {
    return Optional.empty();
  }

  static TortureOp byName(String name) {
    for (TortureOp op : values()) {
      if (op.cliName.equals(name.toLowerCase(Locale.ROOT))) {
        return op;
      }
    }
    return null;
  }

  /**
   * The operations of a {@code --workload}: {@code mixed} (all) or a comma-separated list of names.
   *
   * @throws UserException naming an unknown operation
   */
  static List<TortureOp> parse(String workload) {
    if (workload.equalsIgnoreCase("mixed")) {
      return List.of(values());
    }
    List<TortureOp> ops = new ArrayList<>();
    for (String name : workload.split(",")) {
      TortureOp op = byName(name.strip());
      if (op == null) {
        throw new UserException("unknown torture operation '" + name.strip() + "'; available: mixed or a comma-separated"
            + " list of " + String.join(", ", List.of(values()).stream().map(TortureOp::cliName).toList()));
      }
      if (!ops.contains(op)) {
        ops.add(op);
      }
    }
    return ops;
  }

  /** A random operation among {@code ops} that is possible on the model, by weight. */
  static TortureOp choose(List<TortureOp> ops, TortureModel m, Random random) {
    List<TortureOp> possible = ops.stream().filter(op -> op.possible(m)).toList();
    if (possible.isEmpty()) {
      return APPEND; // delete, update and transaction need a batch: make one
    }
    int total = possible.stream().mapToInt(TortureOp::weight).sum();
    int p = random.nextInt(total);
    for (TortureOp op : possible) {
      p -= op.weight;
      if (p < 0) {
        return op;
      }
    }
    throw new IllegalStateException("unreachable");
  }

  // ------------------------------------------------------------------ rows and keys

  static String tag(int writer, long seq) {
    return "w" + writer + "s" + seq;
  }

  static Map<String, Object> row(String kind, String runId, long k, Integer writer, Long seq, Long v, String tag) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("kind", kind);
    row.put("run", runId);
    row.put("k", k);
    row.put("writer", writer);
    row.put("seq", seq);
    row.put("v", v);
    row.put("tag", tag);
    return row;
  }

  /** The rows of event batch {@code seq}: {@code n} rows, generation {@code seq}. */
  private static List<Map<String, Object>> batch(Context c, long seq, long n) {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      rows.add(row(EVENT, c.runId, seq, c.writer, (long) i, seq, null));
    }
    return rows;
  }

  static Expression batchKey(Context c, long batch) {
    return Expressions.and(Expressions.equal("kind", EVENT), Expressions.equal("run", c.runId),
        Expressions.equal("writer", c.writer), Expressions.equal("k", batch));
  }

  static Expression slotKey(Context c) {
    return Expressions.and(Expressions.equal("kind", SLOT), Expressions.equal("run", c.runId),
        Expressions.equal("writer", c.writer));
  }

  static Expression counterKey(String runId) {
    return sharedKey(COUNTER, runId, 0);
  }

  static Expression sharedKey(String kind, String runId, long k) {
    return Expressions.and(Expressions.equal("kind", kind), Expressions.equal("run", runId), Expressions.equal("k", k));
  }

  private static long randomBatch(Context c) {
    List<Long> live = new ArrayList<>(c.model.events.keySet());
    return live.get(c.random.nextInt(live.size()));
  }

  private static long rowsOf(TortureModel before, Map<String, String> plan) {
    TortureModel.Batch b = before.events.get(num(plan, "target"));
    return b == null ? -1 : b.n();
  }

  // ------------------------------------------------------------------ fields

  static long num(Map<String, String> fields, String name) {
    String v = fields.get(name);
    if (v == null) {
      throw new IllegalArgumentException("field " + name + " missing in " + fields);
    }
    return Long.parseLong(v);
  }

  private static Map<String, String> fields(String name, long value) {
    Map<String, String> f = new LinkedHashMap<>();
    f.put(name, Long.toString(value));
    return f;
  }

  private static Map<String, String> commit(CommitResult r, String rowsField, long rows) {
    Map<String, String> f = new LinkedHashMap<>();
    if (r.committed()) {
      f.put("commit", Long.toString(r.version()));
    }
    f.put(rowsField, Long.toString(rows));
    return f;
  }

  private static Optional<String> expect(Map<String, String> ack, String field, long expected) {
    long actual = num(ack, field);
    return actual == expected ? Optional.empty()
        : Optional.of(field + " " + actual + " rows, expected " + expected);
  }
}
