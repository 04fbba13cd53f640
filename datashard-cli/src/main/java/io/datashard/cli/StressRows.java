package io.datashard.cli;

import io.datashard.CloseableIterator;
import io.datashard.CommitResult;
import io.datashard.Expression;
import io.datashard.Expressions;
import io.datashard.GetOrCreateResult;
import io.datashard.Row;
import io.datashard.Table;
import io.datashard.TableMetrics;
import io.datashard.Transaction;
import io.datashard.cli.StressWorkload.StressSpec;
import io.datashard.cli.StressWorkload.Verification;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

/**
 * The row workloads of {@code datashard stress} (increment, get-or-create, upsert, mixed): their
 * table layout, the operations of a worker, the records workers keep of what they did, and the
 * checks of the coordinator.
 *
 * <p>One layout serves all of them: {@code kind string not null, run string not null, k long not
 * null, writer int, seq long, v long, tag string}, partitioned by {@code kind}. Each operation
 * touches only its kind: {@value #COUNTER} (one row per run, incremented), {@value #KEY}
 * (get-or-create), {@value #UPSERT} and {@value #EVENT} (appended, some deleted by their writer).
 * Every row belongs to one run ({@code run} is the run's id), so runs on the same table do not
 * disturb each other's checks. A row's {@code tag} names who wrote it: {@code w<writer>s<seq>}.
 *
 * <p>Each worker writes one line per operation to its records file: {@code
 * TYPE SEQ K TAG VERSION N}, tab-separated, where TYPE is {@code i} (increment; N = rows updated),
 * {@code g} (get-or-create of key K; TAG = tag of the row received, N = 1 if this call created it),
 * {@code u} (upsert of key K with TAG; N = rows updated, 0 if it inserted), {@code a} (event K
 * appended) or {@code d} (own event K deleted; N = rows deleted). VERSION is the version the
 * operation committed, or -1 if it committed nothing.
 */
final class StressRows {
  static final String SCHEMA = "kind string not null, run string not null, k long not null, writer int, seq long,"
      + " v long, tag string";
  static final List<String> PARTITIONING = List.of("kind");
  static final String COUNTER = "counter";
  static final String KEY = "key";
  static final String UPSERT = "upsert";
  static final String EVENT = "event";
  /** The counter's value when the run starts. */
  static final long INITIAL = 0;

  private StressRows() {}

  static String tag(int writer, long seq) {
    return "w" + writer + "s" + seq;
  }

  static Map<String, Object> row(String kind, StressSpec spec, long k, Integer writer, Long seq, Long v, String tag) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("kind", kind);
    row.put("run", spec.runId());
    row.put("k", k);
    row.put("writer", writer);
    row.put("seq", seq);
    row.put("v", v);
    row.put("tag", tag);
    return row;
  }

  /** {@code kind = K AND run = R AND k = key}. */
  static Expression key(String kind, StressSpec spec, long k) {
    return Expressions.and(Expressions.equal("kind", kind), Expressions.equal("run", spec.runId()),
        Expressions.equal("k", k));
  }

  /** The event a writer appended as its operation {@code seq}. */
  static Expression event(StressSpec spec, int writer, long seq) {
    return Expressions.and(Expressions.equal("kind", EVENT), Expressions.equal("run", spec.runId()),
        Expressions.equal("writer", writer), Expressions.equal("seq", seq));
  }

  // ------------------------------------------------------------------ coordinator set-up and worker side

  /** The run's counter row (k = 0, v = {@link #INITIAL}). */
  static void createCounter(Table table, StressSpec spec) {
    table.append(List.of(row(COUNTER, spec, 0, null, null, INITIAL, "counter")));
  }

  /**
   * Runs the read and write paths of the operations in transactions that are never committed (their
   * data files are deleted on close): binding, pruning, scanning, rewriting and writing files.
   */
  static void warmUp(Table table, StressSpec spec, int writer) {
    for (int i = 0; i < 3; i++) {
      try (Transaction tx = table.newTransaction()) {
        tx.update(key(COUNTER, spec, 0), Map.of("v", Expressions.add(Expressions.column("v"), Expressions.literal(0L))));
        try (CloseableIterator<Row> it = tx.scan().where(key(KEY, spec, -1)).iterator()) {
          while (it.hasNext()) {
            it.next();
          }
        }
        tx.delete(event(spec, writer, -1L - i));
        tx.append(List.of(row(EVENT, spec, -1L - i, writer, -1L - i, null, "warm-up")));
      }
    }
  }

  /** A worker's state: its handle, identity, random choices, records file and counters. */
  static final class Worker implements Closeable {
    final Table table;
    final StressSpec spec;
    final int writer;
    final Random random;
    private final BufferedWriter records;
    long commits;
    long attempts;
    long replans;
    /** Own events appended and not yet deleted (mixed). */
    final List<Long> liveEvents = new ArrayList<>();

    /** @param records the records file, or null to keep none */
    Worker(Table table, StressSpec spec, int writer, Path records) throws IOException {
      this.table = table;
      this.spec = spec;
      this.writer = writer;
      this.random = new Random(spec.runId().hashCode() * 1_000_003L + writer);
      this.records = records == null ? null : Files.newBufferedWriter(records, StandardCharsets.UTF_8);
    }

    /** Counts an operation's commit: attempts of a commit, re-plans of any outcome. */
    void count(CommitResult r) {
      if (r.committed()) {
        commits++;
        attempts += r.attempts();
      }
      replans += r.replans();
    }

    /** Counts an operation without a {@link CommitResult} (get-or-create) by the handle's metrics. */
    void count(TableMetrics before, TableMetrics after) {
      long c = after.commits() - before.commits();
      commits += c;
      attempts += c + after.rebases() - before.rebases();
      replans += after.replans() - before.replans();
    }

    void record(char type, long seq, long k, String tag, long version, long n) {
      if (records == null) {
        return;
      }
      try {
        records.write(type + "\t" + seq + "\t" + k + "\t" + (tag == null ? "-" : tag) + "\t" + version + "\t" + n + "\n");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public void close() throws IOException {
      if (records != null) {
        records.close();
      }
    }
  }

  static void increment(Worker w, long seq) {
    CommitResult r = w.table.increment(key(COUNTER, w.spec, 0), "v", 1L);
    w.count(r);
    w.record('i', seq, 0, null, r.committed() ? r.version() : -1, r.rowsUpdated());
  }

  static void getOrCreate(Worker w, long seq) {
    long k = w.random.nextInt(w.spec.keys());
    String tag = tag(w.writer, seq);
    TableMetrics before = w.table.metrics();
    GetOrCreateResult r = w.table.getOrCreate(key(KEY, w.spec, k),
        () -> row(KEY, w.spec, k, w.writer, seq, null, tag));
    w.count(before, w.table.metrics());
    w.record('g', seq, k, r.row().getString("tag"), r.version().orElse(-1), r.created() ? 1 : 0);
  }

  static void upsert(Worker w, long seq) {
    long k = w.random.nextInt(w.spec.keys());
    String tag = tag(w.writer, seq);
    CommitResult r = w.table.upsert(List.of(row(UPSERT, w.spec, k, w.writer, seq, seq, tag)), "kind", "run", "k");
    w.count(r);
    w.record('u', seq, k, tag, r.committed() ? r.version() : -1, r.rowsUpdated());
  }

  static void appendEvent(Worker w, long seq) {
    CommitResult r = w.table.append(List.of(row(EVENT, w.spec, seq, w.writer, seq, null, tag(w.writer, seq))));
    w.count(r);
    w.record('a', seq, seq, tag(w.writer, seq), r.version(), r.rowsInserted());
    w.liveEvents.add(seq);
  }

  static void deleteEvent(Worker w, long seq) {
    long target = w.liveEvents.remove(w.random.nextInt(w.liveEvents.size()));
    CommitResult r = w.table.delete(event(w.spec, w.writer, target));
    w.count(r);
    w.record('d', seq, target, null, r.committed() ? r.version() : -1, r.rowsDeleted());
  }

  /** One operation of the mixed workload: 20% increment, 20% get-or-create, 20% upsert, 25% append, 15% delete. */
  static void mixed(Worker w, long seq) {
    int p = w.random.nextInt(100);
    if (p < 20) {
      increment(w, seq);
    } else if (p < 40) {
      getOrCreate(w, seq);
    } else if (p < 60) {
      upsert(w, seq);
    } else if (p < 85 || w.liveEvents.isEmpty()) {
      appendEvent(w, seq);
    } else {
      deleteEvent(w, seq);
    }
  }

  // ------------------------------------------------------------------ records

  /** One line of a records file. */
  record Rec(char type, int writer, long seq, long k, String tag, long version, long n) {}

  /** What all workers recorded, and the table's version when they started. */
  static final class Records {
    final List<Rec> all;
    final long startVersion;

    Records(List<Rec> all, long startVersion) {
      this.all = all;
      this.startVersion = startVersion;
    }

    static Path file(Path dir, int writer) {
      return dir.resolve("worker-" + writer + ".tsv");
    }

    /** Reads the files of writers 0..processes-1; a missing file (a failed worker) reads as no records. */
    static Records read(Path dir, int processes, long startVersion) throws IOException {
      List<Rec> all = new ArrayList<>();
      for (int w = 0; w < processes; w++) {
        List<String> lines;
        try {
          lines = Files.readAllLines(file(dir, w), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
          continue;
        }
        for (String line : lines) {
          String[] f = line.split("\t", -1);
          if (f.length != 6 || f[0].length() != 1) {
            continue; // a torn last line of a worker that died
          }
          all.add(new Rec(f[0].charAt(0), w, Long.parseLong(f[1]), Long.parseLong(f[2]), f[3], Long.parseLong(f[4]),
              Long.parseLong(f[5])));
        }
      }
      return new Records(all, startVersion);
    }

    List<Rec> of(char type) {
      return all.stream().filter(r -> r.type() == type).toList();
    }
  }

  // ------------------------------------------------------------------ checks

  /** A check's tallies; parts of the mixed workload are added up. */
  private static final class Check {
    long expected;
    long found;
    long lost;
    long duplicated;
    long unexpected;
    long otherRuns;
    final Map<String, Long> details = new LinkedHashMap<>();
    final List<String> problems = new ArrayList<>();

    void add(Check c) {
      expected += c.expected;
      found += c.found;
      lost += c.lost;
      duplicated += c.duplicated;
      unexpected += c.unexpected;
      otherRuns += c.otherRuns;
      details.putAll(c.details);
      problems.addAll(c.problems);
    }

    Verification verification() {
      return new Verification(expected, found, lost, duplicated, unexpected, otherRuns, details, problems);
    }
  }

  /** The rows of one kind of this run; rows of other runs are counted in {@code check.otherRuns}. */
  private static List<Row> rows(Table table, String kind, StressSpec spec, Check check) {
    List<Row> out = new ArrayList<>();
    try (CloseableIterator<Row> it = table.newScan().where(Expressions.equal("kind", kind)).iterator()) {
      while (it.hasNext()) {
        Row r = it.next();
        if (spec.runId().equals(r.getString("run"))) {
          out.add(r);
        } else {
          check.otherRuns++;
        }
      }
    }
    return out;
  }

  static Verification verifyIncrement(Table table, StressSpec spec, Records records) {
    Check c = counter(table, spec, records, (long) spec.processes() * spec.ops());
    c.add(versions(table, records));
    return c.verification();
  }

  static Verification verifyGetOrCreate(Table table, StressSpec spec, Records records) {
    Check c = keys(table, spec, records, "");
    c.add(versions(table, records));
    return c.verification();
  }

  static Verification verifyUpsert(Table table, StressSpec spec, Records records) {
    Check c = upserts(table, spec, records, "");
    c.add(versions(table, records));
    return c.verification();
  }

  /**
   * The sums of the four parts (counter, keys, upserts, events) as expected/found/lost/duplicated,
   * each part also in the details.
   */
  static Verification verifyMixed(Table table, StressSpec spec, Records records) {
    Check c = new Check();
    Check counter = counter(table, spec, records, records.of('i').size());
    c.add(counter);
    c.details.put("counterExpected", counter.expected);
    c.details.put("counterFound", counter.found);
    c.add(keys(table, spec, records, "key"));
    c.add(upserts(table, spec, records, "upsert"));
    Check events = events(table, spec, records);
    c.add(events);
    c.details.put("eventsExpected", events.expected);
    c.details.put("eventsFound", events.found);
    c.add(versions(table, records));
    return c.verification();
  }

  /** The counter must be exactly {@link #INITIAL} + the increments, in exactly one row. */
  private static Check counter(Table table, StressSpec spec, Records records, long increments) {
    Check c = new Check();
    List<Row> rows = rows(table, COUNTER, spec, c);
    long value = rows.isEmpty() || rows.get(0).getLong("v") == null ? 0 : rows.get(0).getLong("v");
    c.expected = INITIAL + increments;
    c.found = value;
    c.lost = Math.max(0, c.expected - c.found);
    c.duplicated = Math.max(0, c.found - c.expected);
    c.details.put("initial", INITIAL);
    c.details.put("increments", increments);
    if (rows.size() != 1) {
      c.problems.add(rows.size() + " counter rows instead of 1");
    }
    long notOne = records.of('i').stream().filter(r -> r.n() != 1).count();
    if (notOne > 0) {
      c.problems.add(notOne + " increments updated other than exactly one row");
    }
    return c;
  }

  /** Exactly one row per key used, created by exactly one caller, and received by every caller. */
  private static Check keys(Table table, StressSpec spec, Records records, String prefix) {
    Check c = new Check();
    Map<Long, List<String>> rowTags = new HashMap<>();
    List<Row> rows = rows(table, KEY, spec, c);
    for (Row r : rows) {
      rowTags.computeIfAbsent(r.getLong("k"), k -> new ArrayList<>()).add(r.getString("tag"));
    }
    Map<Long, List<Rec>> calls = new TreeMap<>();
    for (Rec r : records.of('g')) {
      calls.computeIfAbsent(r.k(), k -> new ArrayList<>()).add(r);
    }
    long duplicateKeys = 0;
    long mismatches = 0;
    long created = 0;
    long badCreators = 0;
    for (Map.Entry<Long, List<Rec>> e : calls.entrySet()) {
      List<String> tags = rowTags.getOrDefault(e.getKey(), List.of());
      if (!tags.isEmpty()) {
        c.found++;
      }
      if (tags.size() > 1) {
        duplicateKeys++;
        c.duplicated += tags.size() - 1;
      }
      long creators = 0;
      for (Rec call : e.getValue()) {
        if (tags.size() != 1 || !tags.get(0).equals(call.tag())) {
          mismatches++;
        }
        if (call.n() == 1) {
          creators++;
          created++;
          if (!call.tag().equals(tag(call.writer(), call.seq()))) {
            badCreators++; // "created" but received another caller's row
          }
        }
      }
      if (creators != 1) {
        badCreators++;
      }
    }
    for (Map.Entry<Long, List<String>> e : rowTags.entrySet()) {
      if (!calls.containsKey(e.getKey())) {
        c.unexpected += e.getValue().size(); // a row of a key nobody asked for
      }
    }
    c.expected = calls.size();
    c.lost = c.expected - c.found;
    c.details.put("keys", (long) calls.size());
    c.details.put(prefix.isEmpty() ? "rows" : "keyRows", (long) rows.size());
    c.details.put("duplicateKeys", duplicateKeys);
    c.details.put("mismatches", mismatches);
    c.details.put("created", created);
    if (mismatches > 0) {
      c.problems.add(mismatches + " get-or-create calls received a row other than their key's one row");
    }
    if (badCreators > 0) {
      c.problems.add(badCreators + " keys not created by exactly one get-or-create call (or its creator got another row)");
    }
    return c;
  }

  /**
   * One row per upserted key; it is a row some writer upserted, and the one of the key's upsert with
   * the highest version. Exactly one upsert per key inserted (the first), every other one updated.
   */
  private static Check upserts(Table table, StressSpec spec, Records records, String prefix) {
    Check c = new Check();
    Map<Long, List<String>> rowTags = new HashMap<>();
    List<Row> rows = rows(table, UPSERT, spec, c);
    for (Row r : rows) {
      rowTags.computeIfAbsent(r.getLong("k"), k -> new ArrayList<>()).add(r.getString("tag"));
    }
    Map<Long, List<Rec>> writes = new TreeMap<>();
    for (Rec r : records.of('u')) {
      writes.computeIfAbsent(r.k(), k -> new ArrayList<>()).add(r);
    }
    long duplicateKeys = 0;
    long notWritten = 0;
    long notLatest = 0;
    long badInserts = 0;
    for (Map.Entry<Long, List<String>> e : rowTags.entrySet()) {
      List<Rec> w = writes.getOrDefault(e.getKey(), List.of());
      Set<String> written = new HashSet<>();
      w.forEach(r -> written.add(r.tag()));
      List<String> valid = e.getValue().stream().filter(written::contains).toList();
      notWritten += e.getValue().size() - valid.size();
      if (!valid.isEmpty()) {
        c.found++;
        c.duplicated += valid.size() - 1;
      }
      if (e.getValue().size() > 1) {
        duplicateKeys++;
      }
    }
    for (Map.Entry<Long, List<Rec>> e : writes.entrySet()) {
      List<Rec> w = new ArrayList<>(e.getValue());
      w.sort((a, b) -> Long.compare(a.version(), b.version()));
      List<String> tags = rowTags.getOrDefault(e.getKey(), List.of());
      if (tags.size() == 1 && !tags.get(0).equals(w.get(w.size() - 1).tag())) {
        notLatest++;
      }
      for (int i = 0; i < w.size(); i++) {
        boolean inserted = w.get(i).n() == 0;
        if (inserted != (i == 0)) {
          badInserts++;
        }
      }
    }
    c.expected = writes.size();
    c.lost = c.expected - c.found;
    c.unexpected = notWritten;
    c.details.put(prefix.isEmpty() ? "keys" : "upsertKeys", (long) writes.size());
    c.details.put(prefix.isEmpty() ? "rows" : "upsertRows", (long) rows.size());
    c.details.put(prefix.isEmpty() ? "duplicateKeys" : "duplicateUpsertKeys", duplicateKeys);
    c.details.put("notWritten", notWritten);
    c.details.put("notLatest", notLatest);
    if (notLatest > 0) {
      c.problems.add(notLatest + " upserted keys hold a row other than their latest upsert's (a lost update)");
    }
    if (badInserts > 0) {
      c.problems.add(badInserts + " upserts inserted where they should have updated, or the reverse");
    }
    return c;
  }

  /** The events present are exactly those appended and not deleted, each once. */
  private static Check events(Table table, StressSpec spec, Records records) {
    Check c = new Check();
    Set<List<Long>> live = new HashSet<>();
    for (Rec r : records.of('a')) {
      live.add(List.of((long) r.writer(), r.k()));
    }
    long appended = live.size();
    long deleted = 0;
    long badDeletes = 0;
    for (Rec r : records.of('d')) {
      if (r.n() != 1) {
        badDeletes++;
      }
      if (live.remove(List.of((long) r.writer(), r.k()))) {
        deleted++;
      }
    }
    Map<List<Long>, Integer> present = new HashMap<>();
    for (Row r : rows(table, EVENT, spec, c)) {
      Integer writer = r.getInt("writer");
      Long seq = r.getLong("seq");
      present.merge(List.of(writer == null ? -1L : writer, seq == null ? -1L : seq), 1, Integer::sum);
    }
    for (Map.Entry<List<Long>, Integer> e : present.entrySet()) {
      if (live.contains(e.getKey())) {
        c.found++;
        c.duplicated += e.getValue() - 1;
      } else {
        c.unexpected += e.getValue(); // deleted, or never appended
      }
    }
    c.expected = live.size();
    c.lost = c.expected - c.found;
    c.details.put("eventsAppended", appended);
    c.details.put("eventsDeleted", deleted);
    if (badDeletes > 0) {
      c.problems.add(badDeletes + " deletes of a writer's own live event deleted other than exactly one row");
    }
    return c;
  }

  /**
   * Every version after the start was committed by exactly one recorded operation: the committed
   * versions recorded are distinct and are exactly start+1 .. latest.
   */
  private static Check versions(Table table, Records records) {
    Check c = new Check();
    long latest = table.currentSnapshot().version();
    Set<Long> seen = new HashSet<>();
    long clashes = 0;
    long outside = 0;
    for (Rec r : records.all) {
      if (r.version() < 0) {
        continue;
      }
      if (!seen.add(r.version())) {
        clashes++;
      } else if (r.version() <= records.startVersion || r.version() > latest) {
        outside++;
      }
    }
    long unclaimed = (latest - records.startVersion) - (seen.size() - outside);
    c.details.put("commits", (long) seen.size());
    if (clashes > 0) {
      c.problems.add(clashes + " commits reported a version another commit also reported");
    }
    if (outside > 0) {
      c.problems.add(outside + " commits reported a version outside " + (records.startVersion + 1) + ".." + latest);
    }
    if (unclaimed > 0) {
      c.problems.add(unclaimed + " of the versions " + (records.startVersion + 1) + ".." + latest
          + " were committed by no recorded operation");
    }
    return c;
  }
}
