package io.datashard.cli;

import io.datashard.CloseableIterator;
import io.datashard.Expressions;
import io.datashard.Row;
import io.datashard.Table;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The end-of-run check of {@code datashard torture}: reads every writer incarnation's
 * acknowledgement file and the table, and lists every violation of "every acknowledged operation
 * is reflected exactly once, an unacknowledged one fully or not at all":
 *
 * <ul>
 *   <li>each incarnation's own rows (event batches, slot) equal its acknowledged operations
 *       replayed into a {@link TortureModel}, or that plus its one unacknowledged last operation;
 *   <li>the counter equals its initial value plus the acknowledged increments plus a subset of the
 *       unacknowledged ones, in exactly one row;
 *   <li>every get-or-create key has one row, made by exactly the call that says it created it (or an
 *       unacknowledged one), and every acknowledged caller received it;
 *   <li>every upserted key has one row: the acknowledged upsert with the highest version, or an
 *       unacknowledged one;
 *   <li>no two acknowledged commits report the same version; acknowledged checkpoints exist;
 *   <li>no row belongs to no incarnation or kind of the run.
 * </ul>
 */
final class TortureCheck {
  /** The counter's value when the run starts. */
  static final long INITIAL = 0;
  private static final int SHOWN_DIFF = 5;

  /** One line of an acknowledgement file. */
  record Entry(char type, long seq, TortureOp op, Map<String, String> fields) {}

  /**
   * The outcome.
   *
   * @param operations operations started (intents)
   * @param acknowledged operations whose commit returned and was recorded
   * @param abandoned operations that failed with a concurrency error (retries exhausted, unknown outcome)
   * @param acknowledgedByOp acknowledged operations per operation name
   * @param violations one sentence each; empty when every promise held
   */
  record Result(long operations, long acknowledged, long abandoned, Map<String, Long> acknowledgedByOp, long version,
      long counter, List<String> violations) {
    long unacknowledged() {
      return operations - acknowledged;
    }
  }

  private final List<String> violations = new ArrayList<>();
  private long operations;
  private long acknowledged;
  private long abandoned;
  private final Map<String, Long> byOp = new LinkedHashMap<>();
  /** Unacknowledged intents and acknowledged operations (intent and acknowledgement fields), for the shared-row checks. */
  private final List<Entry> pendingShared = new ArrayList<>();
  private final List<Entry> ackedShared = new ArrayList<>();

  private TortureCheck() {}

  static Path ackFile(Path dir, int writer) {
    return dir.resolve("w" + writer + ".log");
  }

  /**
   * Checks the table against the acknowledgement files of incarnations {@code 0..incarnations-1} in
   * {@code acks}.
   */
  static Result check(Table table, Path tableDir, String runId, Path acks, int incarnations) throws IOException {
    TortureCheck c = new TortureCheck();
    for (TortureOp op : TortureOp.values()) {
      c.byOp.put(op.cliName(), 0L);
    }
    Map<Integer, List<String>> own = new HashMap<>();
    Map<String, List<Row>> shared = new HashMap<>();
    long version = table.currentSnapshot().version();
    try (CloseableIterator<Row> it = table.newScan().where(Expressions.equal("run", runId)).iterator()) {
      while (it.hasNext()) {
        Row r = it.next();
        String kind = r.getString("kind");
        if (kind.equals(TortureOp.EVENT) || kind.equals(TortureOp.SLOT)) {
          Integer w = r.getInt("writer");
          if (w == null || w < 0 || w >= incarnations) {
            c.violations.add("row " + TortureModel.key(r) + " of writer " + w + ", which never ran");
          } else {
            own.computeIfAbsent(w, x -> new ArrayList<>()).add(TortureModel.key(r));
          }
        } else {
          shared.computeIfAbsent(kind, x -> new ArrayList<>()).add(r);
        }
      }
    }
    Map<Long, Long> commits = new HashMap<>();
    for (int w = 0; w < incarnations; w++) {
      List<Entry> entries = c.read(ackFile(acks, w), w);
      c.incarnation(w, entries, own.getOrDefault(w, List.of()), commits, version, tableDir);
    }
    c.counter(shared.getOrDefault(TortureOp.COUNTER, List.of()));
    c.keys(shared.getOrDefault(TortureOp.KEY, List.of()));
    c.upserts(shared.getOrDefault(TortureOp.UPSERT_KIND, List.of()));
    for (String kind : shared.keySet()) {
      if (!Set.of(TortureOp.COUNTER, TortureOp.KEY, TortureOp.UPSERT_KIND).contains(kind)) {
        c.violations.add(shared.get(kind).size() + " rows of unknown kind '" + kind + "'");
      }
    }
    // The table's own consistency: log continuity, checkpoints against replay, files and footers.
    for (String error : table.verify(false).errors()) {
      c.violations.add("verify: " + error);
    }
    long counter = shared.getOrDefault(TortureOp.COUNTER, List.of()).stream().map(r -> r.getLong("v"))
        .filter(v -> v != null).mapToLong(Long::longValue).sum();
    return new Result(c.operations, c.acknowledged, c.abandoned, c.byOp, version, counter, List.copyOf(c.violations));
  }

  /** The entries of one file; a torn last line (the writer was killed while writing it) is ignored. */
  private List<Entry> read(Path file, int writer) throws IOException {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return List.of(); // killed before it opened the file
    }
    List<Entry> entries = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      Entry e = parse(lines.get(i));
      if (e == null) {
        if (i < lines.size() - 1) {
          violations.add(file + " line " + (i + 1) + " is malformed: " + lines.get(i));
        }
        continue;
      }
      entries.add(e);
    }
    return entries;
  }

  private static Entry parse(String line) {
    String[] f = line.split("\t", -1);
    if (f.length < 3 || f[0].length() != 1 || "IAX".indexOf(f[0].charAt(0)) < 0) {
      return null;
    }
    TortureOp op = TortureOp.byName(f[2]);
    if (op == null) {
      return null;
    }
    Map<String, String> fields = new LinkedHashMap<>();
    for (int i = 3; i < f.length; i++) {
      int eq = f[i].indexOf('=');
      if (eq < 0) {
        return null;
      }
      fields.put(f[i].substring(0, eq), f[i].substring(eq + 1));
    }
    try {
      return new Entry(f[0].charAt(0), Long.parseLong(f[1]), op, fields);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private void incarnation(int w, List<Entry> entries, List<String> actualRows, Map<Long, Long> commits, long version,
      Path tableDir) {
    Map<Long, Entry> acks = new HashMap<>();
    Set<Long> abandonedSeqs = new HashSet<>();
    List<Entry> intents = new ArrayList<>();
    for (Entry e : entries) {
      switch (e.type()) {
        case 'I' -> intents.add(e);
        case 'A' -> acks.put(e.seq(), e);
        default -> abandonedSeqs.add(e.seq());
      }
    }
    TortureModel model = new TortureModel();
    Entry pending = null;
    Set<Long> intended = new HashSet<>();
    for (Entry intent : intents) {
      operations++;
      intended.add(intent.seq());
      Entry ack = acks.get(intent.seq());
      if (pending != null) {
        violations.add("writer " + w + " ran operation " + intent.seq() + " after operation " + pending.seq()
            + " that it never acknowledged");
      }
      String who = "writer " + w + " operation " + intent.seq() + " (" + intent.op().cliName() + ")";
      if (ack == null) {
        pending = intent;
        if (abandonedSeqs.contains(intent.seq())) {
          abandoned++;
        }
        pendingShared.add(withWriter(intent, w));
        continue;
      }
      if (ack.op() != intent.op()) {
        violations.add(who + " was acknowledged as " + ack.op().cliName());
        continue;
      }
      acknowledged++;
      byOp.merge(intent.op().cliName(), 1L, Long::sum);
      intent.op().checkAck(model, intent.seq(), intent.fields(), ack.fields())
          .ifPresent(p -> violations.add(who + ": " + p));
      intent.op().apply(model, intent.seq(), intent.fields());
      String commit = ack.fields().get("commit");
      if (commit != null) {
        long v = Long.parseLong(commit);
        Long other = commits.put(v, (long) w);
        if (other != null) {
          violations.add(who + " acknowledged version " + v + ", which writer " + other + " also acknowledged");
        }
        if (v > version) {
          violations.add(who + " acknowledged version " + v + " but the table is at version " + version);
        }
      }
      String checkpoint = ack.fields().get("checkpoint");
      if (checkpoint != null
          && !Files.exists(tableDir.resolve(String.format("_delta_log/%020d.checkpoint.parquet", Long.parseLong(checkpoint))))) {
        violations.add(who + " acknowledged a checkpoint of version " + checkpoint + " that does not exist");
      }
      Entry shared = withWriter(intent, w);
      ackedShared.add(new Entry('A', intent.seq(), intent.op(), merged(shared.fields(), ack.fields())));
    }
    for (Long seq : acks.keySet()) {
      if (!intended.contains(seq)) {
        violations.add("writer " + w + " acknowledged operation " + seq + " it never started");
      }
    }
    List<String> actual = new ArrayList<>(actualRows);
    actual.sort(null);
    List<String> without = model.expectedRows();
    if (actual.equals(without)) {
      return;
    }
    if (pending != null) {
      TortureModel with = model.copy();
      pending.op().apply(with, pending.seq(), pending.fields());
      if (actual.equals(with.expectedRows())) {
        return;
      }
    }
    violations.add("writer " + w + "'s rows differ from its acknowledged operations" + (pending == null ? ""
        : " (with or without its unacknowledged operation " + pending.seq() + ", " + pending.op().cliName() + ")")
        + ": " + diff(without, actual));
  }

  private static Entry withWriter(Entry e, int w) {
    Map<String, String> f = new LinkedHashMap<>(e.fields());
    f.put("writer", Integer.toString(w));
    f.put("tag", TortureOp.tag(w, e.seq()));
    return new Entry(e.type(), e.seq(), e.op(), f);
  }

  private static Map<String, String> merged(Map<String, String> a, Map<String, String> b) {
    Map<String, String> m = new LinkedHashMap<>(a);
    m.putAll(b);
    return m;
  }

  private static String diff(List<String> expected, List<String> actual) {
    Map<String, Integer> count = new TreeMap<>();
    expected.forEach(r -> count.merge(r, 1, Integer::sum));
    actual.forEach(r -> count.merge(r, -1, Integer::sum));
    List<String> missing = new ArrayList<>();
    List<String> extra = new ArrayList<>();
    count.forEach((r, n) -> {
      for (int i = 0; i < Math.abs(n); i++) {
        (n > 0 ? missing : extra).add(r);
      }
    });
    return "missing " + missing.size() + " " + missing.subList(0, Math.min(SHOWN_DIFF, missing.size())) + ", extra "
        + extra.size() + " " + extra.subList(0, Math.min(SHOWN_DIFF, extra.size()));
  }

  private List<Entry> of(List<Entry> entries, TortureOp op) {
    return entries.stream().filter(e -> e.op() == op).toList();
  }

  private void counter(List<Row> rows) {
    if (rows.size() != 1) {
      violations.add(rows.size() + " counter rows instead of 1");
      return;
    }
    Long value = rows.get(0).getLong("v");
    long acked = of(ackedShared, TortureOp.INCREMENT).stream().mapToLong(e -> TortureOp.num(e.fields(), "delta")).sum();
    List<Long> maybe = of(pendingShared, TortureOp.INCREMENT).stream().map(e -> TortureOp.num(e.fields(), "delta")).toList();
    // Which sums of the unacknowledged increments can have committed: a subset-sum table.
    BitSet reachable = new BitSet();
    reachable.set(0);
    for (long d : maybe) {
      BitSet shifted = new BitSet();
      reachable.stream().forEach(s -> shifted.set(Math.toIntExact(s + d)));
      reachable.or(shifted);
    }
    long extra = value == null ? -1 : value - INITIAL - acked;
    if (extra < 0 || extra > Integer.MAX_VALUE || !reachable.get((int) extra)) {
      violations.add("counter is " + value + ": " + INITIAL + " + " + acked + " acknowledged"
          + " + no subset of the " + maybe.size() + " unacknowledged increments " + maybe);
    }
  }

  private void keys(List<Row> rows) {
    Map<Long, List<String>> rowTags = tagsByKey(rows);
    Map<Long, List<Entry>> acked = byKey(of(ackedShared, TortureOp.GET_OR_CREATE));
    Map<Long, List<Entry>> pending = byKey(of(pendingShared, TortureOp.GET_OR_CREATE));
    Set<Long> keys = new HashSet<>(rowTags.keySet());
    keys.addAll(acked.keySet());
    for (long key : keys) {
      List<String> tags = rowTags.getOrDefault(key, List.of());
      List<Entry> calls = acked.getOrDefault(key, List.of());
      Set<String> callers = new HashSet<>();
      calls.forEach(e -> callers.add(e.fields().get("tag")));
      pending.getOrDefault(key, List.of()).forEach(e -> callers.add(e.fields().get("tag")));
      if (tags.size() > 1 || (tags.isEmpty() && !calls.isEmpty())) {
        violations.add("get-or-create key " + key + " has " + tags.size() + " rows " + tags + " instead of 1");
        continue;
      }
      if (tags.isEmpty()) {
        continue;
      }
      String tag = tags.get(0);
      if (!callers.contains(tag)) {
        violations.add("get-or-create key " + key + " holds row " + tag + " that no call supplied");
      }
      long creators = 0;
      for (Entry call : calls) {
        String own = call.fields().get("tag");
        boolean created = "1".equals(call.fields().get("created"));
        if (!tag.equals(call.fields().get("got"))) {
          violations.add("get-or-create " + own + " of key " + key + " received " + call.fields().get("got")
              + " but the key's row is " + tag);
        }
        if (created) {
          creators++;
        }
        if (created != own.equals(tag)) {
          violations.add("get-or-create " + own + " of key " + key + " says created=" + created + " but the row is " + tag);
        }
      }
      if (creators > 1) {
        violations.add("get-or-create key " + key + " was created by " + creators + " acknowledged calls");
      }
    }
  }

  private void upserts(List<Row> rows) {
    Map<Long, List<String>> rowTags = tagsByKey(rows);
    Map<Long, List<Entry>> acked = byKey(of(ackedShared, TortureOp.UPSERT));
    Map<Long, List<Entry>> pending = byKey(of(pendingShared, TortureOp.UPSERT));
    Set<Long> keys = new HashSet<>(rowTags.keySet());
    keys.addAll(acked.keySet());
    for (long key : keys) {
      List<String> tags = rowTags.getOrDefault(key, List.of());
      List<Entry> writes = acked.getOrDefault(key, List.of());
      if (tags.size() > 1 || (tags.isEmpty() && !writes.isEmpty())) {
        violations.add("upsert key " + key + " has " + tags.size() + " rows " + tags + " instead of 1");
        continue;
      }
      if (tags.isEmpty()) {
        continue;
      }
      String tag = tags.get(0);
      Entry latest = writes.stream().max((a, b) -> Long.compare(committed(a), committed(b))).orElse(null);
      boolean isPending = pending.getOrDefault(key, List.of()).stream().anyMatch(e -> e.fields().get("tag").equals(tag));
      if (isPending) {
        continue; // an unacknowledged upsert may have committed after every acknowledged one
      }
      if (latest == null || !latest.fields().get("tag").equals(tag)) {
        violations.add("upsert key " + key + " holds row " + tag + ", not its latest acknowledged upsert "
            + (latest == null ? "(none)" : latest.fields().get("tag") + " at version " + latest.fields().get("commit")));
      }
    }
  }

  /** The version an acknowledged operation committed, or -1 if it committed nothing. */
  private static long committed(Entry e) {
    return Long.parseLong(e.fields().getOrDefault("commit", "-1"));
  }

  private static Map<Long, List<String>> tagsByKey(List<Row> rows) {
    Map<Long, List<String>> m = new HashMap<>();
    for (Row r : rows) {
      m.computeIfAbsent(r.getLong("k"), k -> new ArrayList<>()).add(r.getString("tag"));
    }
    return m;
  }

  private static Map<Long, List<Entry>> byKey(List<Entry> entries) {
    Map<Long, List<Entry>> m = new HashMap<>();
    for (Entry e : entries) {
      m.computeIfAbsent(TortureOp.num(e.fields(), "key"), k -> new ArrayList<>()).add(e);
    }
    return m;
  }
}
