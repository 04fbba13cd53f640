package io.datashard.cli;

import static io.datashard.cli.Cli.ok;
import static io.datashard.cli.Cli.p;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.datashard.Durability;
import io.datashard.Table;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The row workloads of stress (increment, get-or-create, upsert, mixed) with real child JVMs: the
 * invariants hold, the last line is the documented JSON, the table agrees when read independently,
 * and the check does catch a table that breaks the invariants (changed behind the workers' back).
 */
class RowStressTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final List<String> COMMON = List.of("workload", "processes", "ops", "expected", "found", "lost", "duplicated",
      "seconds", "commitsPerSecond", "retries", "replans", "opsPerSecond");

  @TempDir Path dir;

  static JsonNode lastLine(String out) throws IOException {
    List<String> lines = out.lines().toList();
    return JSON.readTree(lines.get(lines.size() - 1));
  }

  static void assertKeys(JsonNode j, String... specific) {
    List<String> expected = new ArrayList<>(COMMON);
    expected.addAll(List.of(specific));
    assertThat(j.fieldNames()).toIterable().containsExactlyElementsOf(expected);
    for (String k : expected) {
      if (!k.equals("workload")) {
        assertThat(j.get(k).isNumber()).as(k).isTrue();
      }
    }
    assertThat(j.get("lost").asLong()).isZero();
    assertThat(j.get("duplicated").asLong()).isZero();
    assertThat(j.get("found").asLong()).isEqualTo(j.get("expected").asLong());
    assertThat(j.get("retries").asLong()).isNotNegative();
    assertThat(j.get("replans").asLong()).isNotNegative();
  }

  /** The run id of the rows of one kind (each test table holds one run of that kind). */
  static String runId(Path table, String kind) {
    try (Table t = Table.open(p(table))) {
      return t.newScan().where(io.datashard.Expression.parse("kind = '" + kind + "'")).limit(1).toList().get(0)
          .getString("run");
    }
  }

  static StressWorkload.Verification recheck(Path table, StressWorkload w, String run, int processes, int ops, int keys,
      Path records, long startVersion) throws IOException {
    StressWorkload.StressSpec spec = new StressWorkload.StressSpec(p(table), w, processes, ops, 1, run, Durability.SYNC,
        keys, true);
    try (Table t = Table.open(p(table))) {
      return w.verify(t, spec, StressRows.Records.read(records, processes, startVersion));
    }
  }

  static List<String[]> records(Path dir, int processes) throws IOException {
    List<String[]> out = new ArrayList<>();
    for (int w = 0; w < processes; w++) {
      for (String line : Files.readAllLines(StressRows.Records.file(dir, w))) {
        String[] f = line.split("\t");
        assertThat(f).hasSize(6);
        out.add(Stream.concat(Stream.of(Integer.toString(w)), Stream.of(f)).toArray(String[]::new));
      }
    }
    return out;
  }

  /** k -> tag of the rows of a kind, read with scan --where; fails on a duplicate key. */
  static Map<Long, String> tagsByKey(Path table, String kind) throws IOException {
    Map<Long, String> tags = new HashMap<>();
    for (String line : ok("scan", p(table), "--where", "kind = '" + kind + "'", "--select", "k,tag", "--format", "jsonl")
        .lines().toList()) {
      JsonNode n = JSON.readTree(line);
      assertThat(tags.put(n.get("k").asLong(), n.get("tag").asText())).as("duplicate key %s", n.get("k")).isNull();
    }
    return tags;
  }

  @Test
  void incrementsAreExactEvenWhenTheyRaceAndReplan() throws Exception {
    Path t = dir.resolve("inc");
    Path records = dir.resolve("inc-records");
    String out = ok("stress", p(t), "--workload", "increment", "--processes", "4", "--ops", "30", "--no-queue",
        "--records", p(records));
    JsonNode j = lastLine(out);
    assertKeys(j, "initial", "increments", "commits");
    assertThat(j.get("workload").asText()).isEqualTo("increment");
    assertThat(j.get("initial").asLong()).isZero();
    assertThat(j.get("expected").asLong()).isEqualTo(120);
    assertThat(j.get("increments").asLong()).isEqualTo(120);
    assertThat(j.get("commits").asLong()).isEqualTo(120);
    assertThat(out).contains("counter expected 120, found 120, lost 0, duplicated 0 -> OK");
    // read independently: one counter row holding 120; one version per increment after the counter's
    assertThat(ok("scan", p(t), "--where", "kind = 'counter'", "--select", "k,v", "--format", "jsonl"))
        .isEqualTo("{\"k\":0,\"v\":120}\n");
    assertThat(ok("describe", p(t), "--format", "json")).contains("\"version\":121,");
    assertThat(records(records, 4)).hasSize(120).allSatisfy(r -> assertThat(r[1] + r[6]).isEqualTo("i1"));

    // one more increment behind the workers' back: the check reports it
    String run = runId(t, "counter");
    ok("increment", p(t), "--where", "kind = 'counter' AND run = '" + run + "'", "--column", "v");
    StressWorkload.Verification v = recheck(t, StressWorkload.INCREMENT, run, 4, 30, 50, records, 1);
    assertThat(v.ok()).isFalse();
    assertThat(v.duplicated()).isEqualTo(1);
    assertThat(v.problems()).anyMatch(s -> s.contains("committed by no recorded operation"));

    // a second run on the same table checks its own counter only
    String again = ok("stress", p(t), "--workload", "increment", "--processes", "2", "--ops", "5");
    assertThat(lastLine(again).get("found").asLong()).isEqualTo(10);
    assertThat(again).contains("1 rows of earlier runs ignored");
    assertThat(Files.exists(records.resolve("worker-0.tsv"))).isTrue();
  }

  @Test
  void getOrCreateMakesOneRowPerKeyAndEveryCallerGetsIt() throws Exception {
    Path t = dir.resolve("goc");
    Path records = dir.resolve("goc-records");
    JsonNode j = lastLine(ok("stress", p(t), "--workload", "get-or-create", "--processes", "4", "--ops", "30", "--keys", "20",
        "--no-queue", "--records", p(records)));
    assertKeys(j, "keys", "rows", "duplicateKeys", "mismatches", "created", "commits");
    long keys = j.get("keys").asLong();
    assertThat(keys).isBetween(1L, 20L);
    assertThat(j.get("rows").asLong()).isEqualTo(keys);
    assertThat(j.get("created").asLong()).isEqualTo(keys);
    assertThat(j.get("commits").asLong()).isEqualTo(keys);
    assertThat(j.get("duplicateKeys").asLong()).isZero();
    assertThat(j.get("mismatches").asLong()).isZero();

    // independently: every call received the one row of its key, and its creator is the row's tag
    Map<Long, String> tags = tagsByKey(t, "key");
    assertThat(tags).hasSize((int) keys);
    List<String[]> calls = records(records, 4);
    assertThat(calls).hasSize(120);
    for (String[] c : calls) {
      assertThat(c[1]).isEqualTo("g");
      assertThat(c[4]).as("tag received for key %s", c[3]).isEqualTo(tags.get(Long.parseLong(c[3])));
      if (c[6].equals("1")) {
        assertThat(c[4]).isEqualTo("w" + c[0] + "s" + c[2]);
      }
    }
    assertThat(calls.stream().filter(c -> c[6].equals("1")).count()).isEqualTo(keys);

    // a second row for a key, behind the workers' back: the check reports it
    String run = runId(t, "key");
    long k = tags.keySet().iterator().next();
    ok("append", p(t), "--json", "{\"kind\":\"key\",\"run\":\"" + run + "\",\"k\":" + k + ",\"tag\":\"intruder\"}");
    StressWorkload.Verification v = recheck(t, StressWorkload.GET_OR_CREATE, run, 4, 30, 20, records, 0);
    assertThat(v.ok()).isFalse();
    assertThat(v.details().get("duplicateKeys")).isEqualTo(1L);
    assertThat(v.details().get("mismatches")).isPositive();
  }

  @Test
  void upsertsLeaveOneRowPerKeyFromTheLatestUpsert() throws Exception {
    Path t = dir.resolve("ups");
    Path records = dir.resolve("ups-records");
    JsonNode j = lastLine(ok("stress", p(t), "--workload", "upsert", "--processes", "4", "--ops", "30", "--keys", "20",
        "--no-queue", "--records", p(records)));
    assertKeys(j, "keys", "rows", "duplicateKeys", "notWritten", "notLatest", "commits");
    long keys = j.get("keys").asLong();
    assertThat(j.get("rows").asLong()).isEqualTo(keys);
    assertThat(j.get("commits").asLong()).isEqualTo(120);
    assertThat(j.get("duplicateKeys").asLong()).isZero();
    assertThat(j.get("notWritten").asLong()).isZero();
    assertThat(j.get("notLatest").asLong()).isZero();

    // independently: each key holds the row of its upsert with the highest version
    Map<Long, String> tags = tagsByKey(t, "upsert");
    Map<Long, String[]> latest = new HashMap<>();
    for (String[] u : records(records, 4)) {
      latest.merge(Long.parseLong(u[3]), u, (a, b) -> Long.parseLong(a[5]) > Long.parseLong(b[5]) ? a : b);
    }
    assertThat(tags).hasSize((int) keys).hasSameSizeAs(latest);
    latest.forEach((k, u) -> assertThat(tags.get(k)).as("key %s", k).isEqualTo(u[4]));

    // a row no writer wrote, behind their back: the check reports it
    String run = runId(t, "upsert");
    long k = tags.keySet().iterator().next();
    ok("update", p(t), "--where", "kind = 'upsert' AND run = '" + run + "' AND k = " + k, "--set", "tag = 'forged'");
    StressWorkload.Verification v = recheck(t, StressWorkload.UPSERT, run, 4, 30, 20, records, 0);
    assertThat(v.ok()).isFalse();
    assertThat(v.unexpected()).isEqualTo(1);
    assertThat(v.details().get("notWritten")).isEqualTo(1L);
    StressCommand.Report report = new StressCommand.Report(new StressWorkload.StressSpec(p(t), StressWorkload.UPSERT, 4, 30,
        1, run, Durability.SYNC, 20, true), new WorkerPool.Outcome(0, 1, List.of()), v);
    assertThat(report.ok()).isFalse();
    assertThat(JSON.readTree(report.json()).get("notWritten").asLong()).isEqualTo(1);
    org.assertj.core.api.Assertions.assertThatThrownBy(report::throwIfFailed).isInstanceOf(FailureException.class)
        .hasMessageContaining("1 unexpected").hasMessageContaining("committed by no recorded operation");
  }

  @Test
  void mixedWorkloadKeepsEveryInvariant() throws Exception {
    Path t = dir.resolve("mixed");
    Path records = dir.resolve("mixed-records");
    String out = ok("stress", p(t), "--workload", "mixed", "--processes", "4", "--ops", "40", "--records", p(records));
    JsonNode j = lastLine(out);
    assertKeys(j, "initial", "increments", "counterExpected", "counterFound", "keys", "keyRows", "duplicateKeys",
        "mismatches", "created", "upsertKeys", "upsertRows", "duplicateUpsertKeys", "notWritten", "notLatest",
        "eventsAppended", "eventsDeleted", "eventsExpected", "eventsFound", "commits");
    assertThat(j.get("workload").asText()).isEqualTo("mixed");
    assertThat(j.get("counterFound").asLong()).isEqualTo(j.get("increments").asLong());
    assertThat(j.get("keyRows").asLong()).isEqualTo(j.get("keys").asLong());
    assertThat(j.get("upsertRows").asLong()).isEqualTo(j.get("upsertKeys").asLong());
    assertThat(j.get("eventsFound").asLong()).isEqualTo(j.get("eventsExpected").asLong())
        .isEqualTo(j.get("eventsAppended").asLong() - j.get("eventsDeleted").asLong());
    assertThat(j.get("duplicateKeys").asLong() + j.get("mismatches").asLong() + j.get("duplicateUpsertKeys").asLong()
        + j.get("notWritten").asLong() + j.get("notLatest").asLong()).isZero();
    List<String[]> recs = records(records, 4);
    assertThat(recs).hasSize(160);
    assertThat(recs.stream().map(r -> r[1]).distinct()).contains("i", "g", "u", "a");
    assertThat(j.get("expected").asLong()).isEqualTo(j.get("increments").asLong() + j.get("keys").asLong()
        + j.get("upsertKeys").asLong() + j.get("eventsExpected").asLong());

    // independently, by kind
    assertThat(ok("scan", p(t), "--where", "kind = 'counter'", "--select", "v", "--format", "jsonl"))
        .isEqualTo("{\"v\":" + j.get("increments").asLong() + "}\n");
    assertThat(ok("count", p(t), "--where", "kind = 'key'")).isEqualTo(j.get("keys").asLong() + "\n");
    assertThat(ok("count", p(t), "--where", "kind = 'upsert'")).isEqualTo(j.get("upsertKeys").asLong() + "\n");
    assertThat(ok("count", p(t), "--where", "kind = 'event'")).isEqualTo(j.get("eventsExpected").asLong() + "\n");
    assertThat(ok("describe", p(t), "--format", "json")).contains("\"version\":" + (1 + j.get("commits").asLong()) + ",");

    // an event deleted behind the workers' back: the check reports it lost
    String run = runId(t, "event");
    String live = recs.stream().filter(r -> r[1].equals("a")).map(r -> "kind = 'event' AND run = '" + run + "' AND writer = "
        + r[0] + " AND seq = " + r[2]).filter(e -> ok("count", p(t), "--where", e).equals("1\n")).findFirst().orElseThrow();
    assertThat(ok("delete", p(t), "--where", live)).startsWith("deleted 1 row as version");
    StressWorkload.Verification v = recheck(t, StressWorkload.MIXED, run, 4, 40, 50, records, 1);
    assertThat(v.ok()).isFalse();
    assertThat(v.lost()).isEqualTo(1);
  }
}
