package io.datashard.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import io.datashard.Durability;
import io.datashard.Table;
import io.datashard.TableOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "stress",
    sortOptions = false,
    description = {
      "Many processes write one table at once; checks nothing was lost.",
      "",
      "Starts P worker processes (separate JVMs) that each run N operations on the same table at the same time,"
          + " then checks the table against what the workers did. Creates the table if absent. The workers start"
          + " on a common signal once all are up and warmed up (JVM start and a few uncommitted writes are not"
          + " timed).",
      "",
      "Workloads:",
      "- append: each operation appends --rows-per-op rows (writer, seq, k) in one commit; every row must be"
          + " there exactly once.",
      "- increment: one counter row; each operation increments it by 1; it must end at exactly initial + P x N.",
      "- get-or-create: each operation is get-or-create of a random key of --keys; there must be exactly one row"
          + " per key used, and every caller must have received that row.",
      "- upsert: each operation upserts one row of a random key of --keys; there must be one row per key, the one"
          + " of the key's latest upsert.",
      "- mixed: all of these plus appends and deletes of events, in one table (each kind of operation in its own"
          + " partition); all their invariants must hold.",
      "",
      "The row workloads (all but append) share one table layout (kind string not null, run string not null,"
          + " k long not null, writer int, seq long, v long, tag string; partitioned by kind), keep their rows apart"
          + " by run, and check that every version of the run was committed by exactly one recorded operation (so"
          + " nothing else may write the table during such a run). Their workers record every operation in a file"
          + " (--records).",
      "",
      "The last line of output is one JSON object with workload, processes, ops, expected, found, lost,"
          + " duplicated, seconds, commitsPerSecond and retries (lost races rebased); the row workloads add replans,"
          + " opsPerSecond and their own counts (keys, rows, duplicateKeys, mismatches, ...). Exit code 0 only if"
          + " the invariants hold and every worker succeeded."
    })
final class StressCommand extends BaseCommand {
  @Parameters(index = "0", paramLabel = "TABLE", description = "The table directory (created if absent).")
  String table;

  @Option(names = "--processes", paramLabel = "P", description = "Worker processes (default: ${DEFAULT-VALUE}).")
  int processes = 4;

  @Option(names = "--ops", paramLabel = "N", description = "Operations per process (default: ${DEFAULT-VALUE}).")
  int ops = 100;

  @Option(names = "--workload", paramLabel = "NAME", converter = StressWorkload.Converter.class,
      completionCandidates = StressWorkload.Names.class, description = "The workload: ${COMPLETION-CANDIDATES} (default: append).")
  StressWorkload workload = StressWorkload.APPEND;

  @Option(names = "--rows-per-op", paramLabel = "K", description = "Rows per operation of append (default: ${DEFAULT-VALUE}).")
  int rowsPerOp = 1;

  @Option(names = "--keys", paramLabel = "K", description = "Keys that get-or-create and upsert choose from (default:"
      + " ${DEFAULT-VALUE}).")
  int keys = 50;

  @Option(names = "--durability", paramLabel = "MODE", description = "SYNC (fsync every commit; default) or NO_SYNC.")
  Durability durability = Durability.SYNC;

  @Option(names = "--no-queue", description = "Workers do not take turns through the table's advisory writer lock"
      + " (TableOptions.queueWriters false): re-planning operations (increment, get-or-create, upsert, delete) race,"
      + " and those that lose re-plan.")
  boolean noQueue;

  @Option(names = "--records", paramLabel = "DIR", description = "Where the workers of the row workloads write their"
      + " records (worker-<i>.tsv, kept); default: a temporary directory, deleted after a successful check.")
  Path records;

  @Option(names = "--timeout", paramLabel = "SECONDS",
      description = "Give up (and kill the workers) after this long; 0, the default, waits while the workers live"
          + " (a worker that dies fails the run at once).")
  int timeoutSeconds = 0;

  @Override
  int execute() throws Exception {
    if (rowsPerOp != 1 && workload != StressWorkload.APPEND) {
      throw new UserException("--rows-per-op applies to the append workload only");
    }
    StressWorkload.StressSpec spec = spec(table, workload, processes, ops, rowsPerOp, durability, keys, !noQueue);
    Duration timeout = timeoutSeconds <= 0 ? Duration.ofDays(365) : Duration.ofSeconds(timeoutSeconds);
    Report report = run(spec, out(), err(), timeout, records);
    out().println(report.json());
    out().flush();
    report.throwIfFailed();
    return Main.OK;
  }

  /** Validates the sizes and makes a spec with a fresh run id and the default key space. */
  static StressWorkload.StressSpec spec(String table, StressWorkload workload, int processes, int ops, int rowsPerOp,
      Durability durability) {
    return spec(table, workload, processes, ops, rowsPerOp, durability, 50, true);
  }

  /** Validates the sizes and makes a spec with a fresh run id. */
  static StressWorkload.StressSpec spec(String table, StressWorkload workload, int processes, int ops, int rowsPerOp,
      Durability durability, int keys, boolean queueWriters) {
    if (keys < 1 || keys > 1_000_000) {
      throw new UserException("--keys must be within 1..1000000, got " + keys);
    }
    if (processes < 1 || processes > 512) {
      throw new UserException("--processes must be within 1..512, got " + processes);
    }
    if (ops < 1) {
      throw new UserException("--ops must be at least 1, got " + ops);
    }
    if (rowsPerOp < 1) {
      throw new UserException("--rows-per-op must be at least 1, got " + rowsPerOp);
    }
    if ((long) processes * ops * rowsPerOp > 100_000_000L) {
      throw new UserException("processes x ops x rows-per-op must be at most 100,000,000");
    }
    return new StressWorkload.StressSpec(table, workload, processes, ops, rowsPerOp, UUID.randomUUID().toString(), durability,
        keys, queueWriters);
  }

  /** A finished stress run. */
  record Report(StressWorkload.StressSpec spec, WorkerPool.Outcome outcome, StressWorkload.Verification check) {
    double commitsPerSecond() {
      return outcome.seconds() > 0 ? outcome.commits() / outcome.seconds() : 0;
    }

    double opsPerSecond() {
      return outcome.seconds() > 0 ? outcome.ops() / outcome.seconds() : 0;
    }

    boolean ok() {
      return check.ok() && outcome.failed().isEmpty();
    }

    /** The one-line JSON summary. */
    String json() {
      StringWriter sw = new StringWriter();
      try (JsonGenerator g = CanonicalJson.generator(sw)) {
        g.writeStartObject();
        g.writeStringField("workload", spec.workload().cliName());
        g.writeNumberField("processes", spec.processes());
        g.writeNumberField("ops", spec.ops());
        g.writeNumberField("expected", check.expected());
        g.writeNumberField("found", check.found());
        g.writeNumberField("lost", check.lost());
        g.writeNumberField("duplicated", check.duplicated());
        g.writeNumberField("seconds", Math.round(outcome.seconds() * 1000) / 1000.0);
        g.writeNumberField("commitsPerSecond", Math.round(commitsPerSecond() * 10) / 10.0);
        g.writeNumberField("retries", outcome.retries());
        if (spec.workload().recordsOperations()) {
          g.writeNumberField("replans", outcome.replans());
          g.writeNumberField("opsPerSecond", Math.round(opsPerSecond() * 10) / 10.0);
          for (Map.Entry<String, Long> d : check.details().entrySet()) {
            g.writeNumberField(d.getKey(), d.getValue());
          }
        }
        g.writeEndObject();
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      return sw.toString();
    }

    void throwIfFailed() {
      List<WorkerPool.WorkerResult> failed = outcome.failed();
      if (!failed.isEmpty()) {
        WorkerPool.WorkerResult f = failed.get(0);
        throw new FailureException("stress failed: " + failed.size() + " of " + spec.processes() + " workers failed (worker "
            + f.writer() + (f.exitCode() != 0 ? " exited with code " + f.exitCode() : " reported no result") + ")"
            + (check.ok() ? "" : "; " + checkFailure()));
      }
      if (!check.ok()) {
        throw new FailureException("stress failed: " + checkFailure());
      }
    }

    private String checkFailure() {
      StringBuilder sb = new StringBuilder();
      String unit = spec.workload() == StressWorkload.INCREMENT ? "increments" : "rows";
      if (check.lost() > 0 || check.duplicated() > 0 || check.unexpected() > 0 || check.problems().isEmpty()) {
        sb.append(check.lost()).append(' ').append(unit).append(" lost, ").append(check.duplicated()).append(" duplicated");
        if (check.unexpected() > 0) {
          sb.append(", ").append(check.unexpected()).append(" unexpected");
        }
      }
      for (String p : check.problems()) {
        sb.append(sb.length() > 0 ? "; " : "").append(p);
      }
      return sb.toString();
    }
  }

  /**
   * The stress run shared by {@code stress} and {@code demo}: creates the table if absent, runs the
   * workers, shows the stderr of failed workers, checks the table and prints a summary.
   */
  static Report run(StressWorkload.StressSpec spec, PrintWriter out, PrintWriter err, Duration timeout)
      throws IOException, InterruptedException {
    return run(spec, out, err, timeout, null);
  }

  /**
   * @param recordsDir where the workers write their records (kept), or null for a temporary directory
   *     that is deleted after a successful check
   */
  static Report run(StressWorkload.StressSpec spec, PrintWriter out, PrintWriter err, Duration timeout, Path recordsDir)
      throws IOException, InterruptedException {
    TableOptions options = TableOptions.builder().durability(spec.durability()).build();
    StressWorkload w = spec.workload();
    try (Table t = Table.define(spec.table(), w.schema()).partitionBy(w.partitionColumns()).options(options)
        .createIfAbsent()) {
      w.prepare(t, spec);
      long startVersion = t.currentSnapshot().version();
      out.printf(Locale.ROOT, "stress: workload %s, %d processes x %d operations%s, table %s (version %d, durability %s%s)%n",
          w.cliName(), spec.processes(), spec.ops(),
          w == StressWorkload.APPEND ? " x " + spec.rowsPerOp() + " row" + (spec.rowsPerOp() == 1 ? "" : "s")
              : w == StressWorkload.INCREMENT ? "" : " over " + spec.keys() + " keys",
          t.location(), startVersion, spec.durability(), spec.queueWriters() ? "" : ", writers not queued");
      out.flush();
      boolean temporary = recordsDir == null;
      Path dir = null;
      if (w.recordsOperations()) {
        dir = temporary ? Files.createTempDirectory("datashard-stress-") : Files.createDirectories(recordsDir);
      }
      Path records = dir;
      boolean keep = !temporary;
      try {
        List<String> common = List.of(Integer.toString(spec.ops()), Integer.toString(spec.rowsPerOp()), spec.runId(),
            spec.durability().name(), Integer.toString(spec.keys()));
        String queue = spec.queueWriters() ? "queue" : "no-queue";
        WorkerPool.Outcome outcome = WorkerPool.run(spec.processes(), i -> {
          List<String> a = new ArrayList<>(List.of(w.cliName(), spec.table(), Integer.toString(i)));
          a.addAll(common);
          a.add(records == null ? "-" : StressRows.Records.file(records, i).toString());
          a.add(queue);
          return a;
        }, (long) spec.processes() * spec.ops(), out, timeout);
        for (WorkerPool.WorkerResult f : outcome.failed()) {
          err.println("worker " + f.writer() + " failed (exit code " + f.exitCode() + "); its stderr:");
          f.stderr().lines().forEach(l -> err.println("  worker " + f.writer() + ": " + l));
          err.flush();
        }
        long checkStart = System.nanoTime();
        StressRows.Records recorded = records == null ? new StressRows.Records(List.of(), startVersion)
            : StressRows.Records.read(records, spec.processes(), startVersion);
        StressWorkload.Verification check = w.verify(t, spec, recorded);
        double checkSeconds = (System.nanoTime() - checkStart) / 1e9;
        Report report = new Report(spec, outcome, check);
        long commits = outcome.commits();
        out.printf(Locale.ROOT, "workers started in %.1f s (not timed); %d operations, %d commits in %.2f s = %.1f commits/s"
            + " (all processes together)%n", outcome.startupSeconds(), outcome.ops(), commits, outcome.seconds(),
            report.commitsPerSecond());
        out.printf(Locale.ROOT, "retries: %d (%.2f per commit; a retry is a lost race for a version, rebased and tried again)%n",
            outcome.retries(), commits == 0 ? 0.0 : outcome.retries() / (double) commits);
        if (w.recordsOperations()) {
          out.printf(Locale.ROOT, "replans: %d (%.2f per operation; a replan re-runs an operation on a newer version after a"
              + " conflicting commit)%n", outcome.replans(), outcome.ops() == 0 ? 0.0 : outcome.replans() / (double) outcome.ops());
        }
        String what = w == StressWorkload.APPEND ? "expected %d rows" : w == StressWorkload.INCREMENT ? "counter expected %d"
            : w == StressWorkload.MIXED ? "expected %d (counter + keys + upserted keys + live events)" : "keys expected %d";
        out.printf(Locale.ROOT, "check (%.1f s): " + what + ", found %d, lost %d, duplicated %d%s%s -> %s%n",
            checkSeconds, check.expected(), check.found(), check.lost(), check.duplicated(),
            check.unexpected() > 0 ? ", unexpected " + check.unexpected() : "",
            check.otherRuns() > 0 ? " (" + check.otherRuns() + " rows of earlier runs ignored)" : "",
            report.ok() ? "OK" : "FAILED");
        if (!check.details().isEmpty()) {
          StringBuilder sb = new StringBuilder("  ");
          check.details().forEach((k, v) -> sb.append(sb.length() > 2 ? ", " : "").append(k).append(' ').append(v));
          out.println(sb);
        }
        for (String p : check.problems()) {
          out.println("  problem: " + p);
        }
        out.printf(Locale.ROOT, "table now at version %d%n", t.currentSnapshot().version());
        out.flush();
        keep |= !report.ok();
        if (records != null && keep && temporary) {
          err.println("worker records kept in " + records);
          err.flush();
        }
        return report;
      } finally {
        if (records != null && !keep) {
          deleteTree(records);
        }
      }
    }
  }

  static void deleteTree(Path root) {
    try (java.util.stream.Stream<Path> s = Files.walk(root)) {
      s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          // best effort
        }
      });
    } catch (IOException e) {
      // best effort
    }
  }
}
