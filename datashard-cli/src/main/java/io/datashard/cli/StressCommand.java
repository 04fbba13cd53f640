package io.datashard.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import io.datashard.Durability;
import io.datashard.Table;
import io.datashard.TableOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
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
      "Starts P worker processes (separate JVMs) that each make N commits to the same table at the same time,"
          + " then scans the table and checks that every expected row is there exactly once. Creates the table"
          + " if absent. The workers start on a common signal once all are up and warmed up (JVM start and a few"
          + " uncommitted writes are not timed).",
      "",
      "The last line of output is one JSON object with workload, processes, ops, expected, found, lost,"
          + " duplicated, seconds, commitsPerSecond and retries. Exit code 0 only if nothing was lost or"
          + " duplicated and every worker succeeded.",
      "",
      "Workloads: append (each operation appends --rows-per-op rows (writer, seq, k) in one commit)."
    })
final class StressCommand extends BaseCommand {
  @Parameters(index = "0", paramLabel = "TABLE", description = "The table directory (created if absent).")
  String table;

  @Option(names = "--processes", paramLabel = "P", description = "Worker processes (default: ${DEFAULT-VALUE}).")
  int processes = 4;

  @Option(names = "--ops", paramLabel = "N", description = "Operations (commits) per process (default: ${DEFAULT-VALUE}).")
  int ops = 100;

  @Option(names = "--workload", paramLabel = "NAME", converter = StressWorkload.Converter.class,
      completionCandidates = StressWorkload.Names.class, description = "The workload: ${COMPLETION-CANDIDATES} (default: append).")
  StressWorkload workload = StressWorkload.APPEND;

  @Option(names = "--rows-per-op", paramLabel = "K", description = "Rows per operation (default: ${DEFAULT-VALUE}).")
  int rowsPerOp = 1;

  @Option(names = "--durability", paramLabel = "MODE", description = "SYNC (fsync every commit; default) or NO_SYNC.")
  Durability durability = Durability.SYNC;

  @Option(names = "--timeout", paramLabel = "SECONDS", description = "Give up (and kill the workers) after this long (default: ${DEFAULT-VALUE}).")
  int timeoutSeconds = 600;

  @Override
  int execute() throws Exception {
    StressWorkload.StressSpec spec = spec(table, workload, processes, ops, rowsPerOp, durability);
    Report report = run(spec, out(), err(), Duration.ofSeconds(Math.max(1, timeoutSeconds)));
    out().println(report.json());
    out().flush();
    report.throwIfFailed();
    return Main.OK;
  }

  /** Validates the sizes and makes a spec with a fresh run id. */
  static StressWorkload.StressSpec spec(String table, StressWorkload workload, int processes, int ops, int rowsPerOp,
      Durability durability) {
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
    return new StressWorkload.StressSpec(table, workload, processes, ops, rowsPerOp, UUID.randomUUID().toString(), durability);
  }

  /** A finished stress run. */
  record Report(StressWorkload.StressSpec spec, WorkerPool.Outcome outcome, StressWorkload.Verification check) {
    double commitsPerSecond() {
      return outcome.seconds() > 0 ? outcome.commits() / outcome.seconds() : 0;
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
            + (check.ok() ? "" : "; " + check.lost() + " rows lost, " + check.duplicated() + " duplicated"));
      }
      if (!check.ok()) {
        throw new FailureException("stress failed: " + check.lost() + " rows lost, " + check.duplicated() + " duplicated"
            + (check.unexpected() > 0 ? ", " + check.unexpected() + " unexpected" : ""));
      }
    }
  }

  /**
   * The stress run shared by {@code stress} and {@code demo}: creates the table if absent, runs the
   * workers, shows the stderr of failed workers, checks the table and prints a summary.
   */
  static Report run(StressWorkload.StressSpec spec, PrintWriter out, PrintWriter err, Duration timeout)
      throws IOException, InterruptedException {
    TableOptions options = TableOptions.builder().durability(spec.durability()).build();
    try (Table t = Table.define(spec.table(), spec.workload().schema()).options(options).createIfAbsent()) {
      long startVersion = t.currentSnapshot().version();
      out.printf(Locale.ROOT, "stress: workload %s, %d processes x %d operations x %d row%s, table %s (version %d, durability %s)%n",
          spec.workload().cliName(), spec.processes(), spec.ops(), spec.rowsPerOp(), spec.rowsPerOp() == 1 ? "" : "s",
          t.location(), startVersion, spec.durability());
      out.flush();
      List<String> common = List.of(Integer.toString(spec.ops()), Integer.toString(spec.rowsPerOp()), spec.runId(),
          spec.durability().name());
      WorkerPool.Outcome outcome = WorkerPool.run(spec.processes(), i -> {
        List<String> a = new java.util.ArrayList<>(List.of(spec.workload().cliName(), spec.table(), Integer.toString(i)));
        a.addAll(common);
        return a;
      }, (long) spec.processes() * spec.ops(), out, timeout);
      for (WorkerPool.WorkerResult w : outcome.failed()) {
        err.println("worker " + w.writer() + " failed (exit code " + w.exitCode() + "); its stderr:");
        w.stderr().lines().forEach(l -> err.println("  worker " + w.writer() + ": " + l));
        err.flush();
      }
      long checkStart = System.nanoTime();
      StressWorkload.Verification check = spec.workload().verify(t, spec);
      double checkSeconds = (System.nanoTime() - checkStart) / 1e9;
      Report report = new Report(spec, outcome, check);
      long commits = outcome.commits();
      out.printf(Locale.ROOT, "workers started in %.1f s (not timed); %d commits in %.2f s = %.1f commits/s (all processes together)%n",
          outcome.startupSeconds(), commits, outcome.seconds(), report.commitsPerSecond());
      out.printf(Locale.ROOT, "retries: %d (%.2f per commit; a retry is a lost race for a version, rebased and tried again)%n",
          outcome.retries(), commits == 0 ? 0.0 : outcome.retries() / (double) commits);
      out.printf(Locale.ROOT, "check (a scan of the table, %.1f s): expected %d rows, found %d, lost %d, duplicated %d%s%s -> %s%n",
          checkSeconds, check.expected(), check.found(), check.lost(), check.duplicated(),
          check.unexpected() > 0 ? ", unexpected " + check.unexpected() : "",
          check.otherRuns() > 0 ? " (" + check.otherRuns() + " rows of earlier runs ignored)" : "",
          report.ok() ? "OK" : "FAILED");
      out.printf(Locale.ROOT, "table now at version %d%n", t.currentSnapshot().version());
      out.flush();
      return report;
    }
  }
}
