package io.datashard.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import io.datashard.Durability;
import io.datashard.Table;
import io.datashard.TableOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "torture",
    sortOptions = false,
    description = {
      "Crash torture: writer processes are SIGKILLed at random while they write; checks nothing acknowledged was"
          + " lost or duplicated and nothing unacknowledged is half-visible.",
      "",
      "Keeps P writer processes (separate JVMs) running random operations on the table: append, delete, update,"
          + " overwrite, multi-statement transaction, increment, get-or-create, upsert and checkpoint. Every"
          + " --kill-interval it SIGKILLs a random writer (one that has begun operating; a kill waits for one) and"
          + " starts a new one. Each writer records every operation"
          + " before it starts (intent) and after its commit returned (acknowledgement, fsync'd before the next"
          + " operation), in its own file. After --duration it stops the writers and checks the table: every"
          + " acknowledged operation is reflected exactly once; an unacknowledged one fully or not at all; the counter"
          + " equals the acknowledged increments plus a subset of the unacknowledged ones; one row per get-or-create"
          + " and upsert key, the right one; no version acknowledged twice; the table reads. (Reading the result"
          + " with Delta Kernel is done by the test suite, TortureTest: the CLI does not ship Kernel.)",
      "",
      "Creates the table if absent (kind string not null, run string not null, k long not null, writer int, seq long,"
          + " v long, tag string; partitioned by kind); rows of other runs are ignored.",
      "",
      "The last line of output is one JSON object: kills, operations, acknowledged, violations, unacknowledged,"
          + " abandoned (operations given up after a concurrency error), incarnations, processes, seconds, version,"
          + " seed. Exit code 0 only if violations is 0."
    })
final class TortureCommand extends BaseCommand {
  private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)?");
  /** How long stopping writers may take to finish their operation before they are killed. */
  private static final Duration STOP_GRACE = Duration.ofSeconds(60);
  private static final int SHOWN_VIOLATIONS = 20;

  @Parameters(index = "0", paramLabel = "TABLE", description = "The table directory (created if absent).")
  Path table;

  @Option(names = "--processes", paramLabel = "P", description = "Writer processes (default: ${DEFAULT-VALUE}).")
  int processes = 4;

  @Option(names = "--duration", paramLabel = "D", description = "How long to run: 90s, 10m, 1h (default: ${DEFAULT-VALUE}).")
  String duration = "60s";

  @Option(names = "--kill-interval", paramLabel = "I", description = "SIGKILL a random writer this often: 500ms, 2s"
      + " (default: ${DEFAULT-VALUE}).")
  String killInterval = "2s";

  @Option(names = "--workload", paramLabel = "OPS", description = "mixed (every operation; the default) or a"
      + " comma-separated list of: append, delete, update, overwrite, transaction, increment, get-or-create, upsert,"
      + " checkpoint.")
  String workload = "mixed";

  @Option(names = "--seed", paramLabel = "S", description = "Seed of the random choices (default: random, printed)."
      + " Kill timing depends on the machine, so a seed reproduces the operation mix, not the exact run.")
  Long seed;

  @Option(names = "--durability", paramLabel = "MODE", description = "SYNC (fsync every commit; default) or NO_SYNC.")
  Durability durability = Durability.SYNC;

  @Option(names = "--acks", paramLabel = "DIR", description = "Where the writers keep their acknowledgement files"
      + " (w<n>.log) and stderr (w<n>.err); default: a temporary directory, deleted after a run without violations.")
  Path acks;

  @Override
  int execute() throws Exception {
    Spec spec = new Spec(table, processes, parseDuration("--duration", duration), parseDuration("--kill-interval",
        killInterval), TortureOp.parse(workload), seed != null ? seed : new Random().nextLong(), durability);
    Report report = run(spec, acks, out());
    out().println(report.json());
    out().flush();
    if (!report.result().violations().isEmpty()) {
      throw new FailureException("torture failed: " + report.result().violations().size() + " violations; first: "
          + report.result().violations().get(0));
    }
    return Main.OK;
  }

  /** A torture run's parameters. */
  record Spec(Path table, int processes, Duration duration, Duration killInterval, List<TortureOp> ops, long seed,
      Durability durability) {
    Spec {
      if (processes < 1 || processes > 64) {
        throw new UserException("--processes must be within 1..64, got " + processes);
      }
      if (killInterval.toMillis() < 100) {
        throw new UserException("--kill-interval must be at least 100ms");
      }
    }
  }

  /** A finished run: counts of the coordinator and the check's result. */
  record Report(Spec spec, long kills, int incarnations, double seconds, TortureCheck.Result result) {
    String json() {
      StringWriter sw = new StringWriter();
      try (JsonGenerator g = CanonicalJson.generator(sw)) {
        g.writeStartObject();
        g.writeNumberField("kills", kills);
        g.writeNumberField("operations", result.operations());
        g.writeNumberField("acknowledged", result.acknowledged());
        g.writeNumberField("violations", result.violations().size());
        g.writeNumberField("unacknowledged", result.unacknowledged());
        g.writeNumberField("abandoned", result.abandoned());
        g.writeNumberField("incarnations", incarnations);
        g.writeNumberField("processes", spec.processes());
        g.writeNumberField("seconds", Math.round(seconds * 10) / 10.0);
        g.writeNumberField("version", result.version());
        g.writeNumberField("seed", spec.seed());
        g.writeEndObject();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return sw.toString();
    }
  }

  static Duration parseDuration(String option, String text) {
    Matcher m = DURATION.matcher(text.strip());
    if (!m.matches()) {
      throw new UserException(option + " must be a number with unit ms, s, m or h (e.g. 90s, 10m), got '" + text + "'");
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2);
    return switch (unit) {
      case "ms" -> Duration.ofMillis(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofSeconds(n);
    };
  }

  /** One writer slot: the process of its current incarnation. */
  private static final class Slot {
    Process process;
    int writer;
  }

  /**
   * Runs the torture and the check.
   *
   * @param acksDir where the writers keep their files (kept), or null for a temporary directory that is
   *     deleted if there were no violations
   */
  static Report run(Spec spec, Path acksDir, PrintWriter out) throws IOException, InterruptedException {
    String runId = UUID.randomUUID().toString();
    TableOptions options = TableOptions.builder().durability(spec.durability()).build();
    try (Table t = Table.define(spec.table().toString(), StressWorkload.MIXED.schema())
        .partitionBy(StressWorkload.MIXED.partitionColumns()).options(options).createIfAbsent()) {
      t.append(List.of(TortureOp.row(TortureOp.COUNTER, runId, 0, null, null, TortureCheck.INITIAL, "counter")));
      boolean temporary = acksDir == null;
      Path dir = temporary ? Files.createTempDirectory("datashard-torture-") : Files.createDirectories(acksDir);
      out.printf(Locale.ROOT, "torture: %d writer processes for %s, a SIGKILL every %s; operations %s; seed %d; table %s"
          + " (version %d, durability %s); acknowledgements in %s%n", spec.processes(), human(spec.duration()),
          human(spec.killInterval()), spec.ops().stream().map(TortureOp::cliName).collect(Collectors.joining(",")),
          spec.seed(), t.location(), t.currentSnapshot().version(), spec.durability(), dir);
      out.flush();
      Random random = new Random(spec.seed());
      Slot[] slots = new Slot[spec.processes()];
      List<String> failures = new ArrayList<>();
      long kills = 0;
      int incarnations = 0;
      Thread killer = new Thread(() -> {
        for (Slot s : slots) {
          if (s != null && s.process != null) {
            s.process.destroyForcibly();
          }
        }
      });
      Runtime.getRuntime().addShutdownHook(killer);
      long start = System.nanoTime();
      try {
        for (int i = 0; i < slots.length; i++) {
          slots[i] = new Slot();
          start(slots[i], incarnations++, spec, runId, dir);
        }
        long end = start + spec.duration().toNanos();
        long nextKill = start + spec.killInterval().toNanos();
        long nextReport = start + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < end) {
          Thread.sleep(20);
          for (Slot s : slots) {
            if (!s.process.isAlive()) {
              // Ended by itself: an abandoned operation (replaced like a killed writer) or a failure.
              int code = s.process.exitValue();
              if (code != TortureWorker.ABANDONED) {
                failures.add("writer " + s.writer + " exited with code " + code + ": " + firstLines(dir, s.writer));
              }
              start(s, incarnations++, spec, runId, dir);
            }
          }
          long now = System.nanoTime();
          if (now >= nextKill) {
            // Only writers that have begun operating: killing a JVM still starting up tests nothing.
            List<Slot> working = new ArrayList<>();
            for (Slot s : slots) {
              if (s.process.isAlive() && Files.exists(TortureCheck.ackFile(dir, s.writer))) {
                working.add(s);
              }
            }
            if (!working.isEmpty()) {
              Slot victim = working.get(random.nextInt(working.size()));
              victim.process.destroyForcibly();
              victim.process.waitFor();
              kills++;
              start(victim, incarnations++, spec, runId, dir);
              nextKill += spec.killInterval().toNanos();
            }
          }
          if (now >= nextReport) {
            out.printf(Locale.ROOT, "  %6.1f s: %d kills, %d writers started%n", (now - start) / 1e9, kills, incarnations);
            out.flush();
            nextReport += TimeUnit.SECONDS.toNanos(10);
          }
        }
        // Stop: end of input tells each writer to finish its operation and exit.
        for (Slot s : slots) {
          s.process.getOutputStream().close();
        }
        long graceEnd = System.nanoTime() + STOP_GRACE.toNanos();
        for (Slot s : slots) {
          if (!s.process.waitFor(Math.max(0, graceEnd - System.nanoTime()), TimeUnit.NANOSECONDS)) {
            failures.add("writer " + s.writer + " did not stop within " + STOP_GRACE.toSeconds() + " s");
            s.process.destroyForcibly().waitFor();
          } else if (s.process.exitValue() != 0 && s.process.exitValue() != TortureWorker.ABANDONED) {
            failures.add("writer " + s.writer + " exited with code " + s.process.exitValue() + ": "
                + firstLines(dir, s.writer));
          }
        }
      } finally {
        for (Slot s : slots) {
          if (s != null && s.process != null) {
            s.process.destroyForcibly();
          }
        }
        try {
          Runtime.getRuntime().removeShutdownHook(killer);
        } catch (IllegalStateException e) {
          // shutting down already
        }
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      out.printf(Locale.ROOT, "stopped after %.1f s: %d kills, %d writer processes in all; checking ...%n", seconds, kills,
          incarnations);
      out.flush();
      TortureCheck.Result checked;
      try (Table fresh = Table.open(spec.table().toString(), options)) {
        checked = TortureCheck.check(fresh, spec.table(), runId, dir, incarnations);
      }
      List<String> violations = new ArrayList<>(failures);
      violations.addAll(checked.violations());
      TortureCheck.Result result = new TortureCheck.Result(checked.operations(), checked.acknowledged(), checked.abandoned(),
          checked.acknowledgedByOp(), checked.version(), checked.counter(), violations);
      Report report = new Report(spec, kills, incarnations, seconds, result);
      out.printf(Locale.ROOT, "operations: %d started, %d acknowledged, %d unacknowledged (%d abandoned after a concurrency"
          + " error, the rest in flight when killed)%n", result.operations(), result.acknowledged(), result.unacknowledged(),
          result.abandoned());
      StringBuilder sb = new StringBuilder("acknowledged by operation:");
      result.acknowledgedByOp().forEach((op, n) -> sb.append(' ').append(op).append(' ').append(n).append(','));
      sb.setLength(sb.length() - 1);
      out.println(sb);
      out.printf(Locale.ROOT, "table at version %d, counter %d; Delta Kernel check: done by the test suite (TortureTest),"
          + " the CLI does not ship Kernel%n", result.version(), result.counter());
      out.printf(Locale.ROOT, "violations: %d%s%n", violations.size(), violations.isEmpty() ? " -> OK" : " -> FAILED");
      for (String v : violations.subList(0, Math.min(SHOWN_VIOLATIONS, violations.size()))) {
        out.println("  violation: " + v);
      }
      if (violations.isEmpty() && temporary) {
        StressCommand.deleteTree(dir);
      } else {
        out.println("acknowledgement files kept in " + dir);
      }
      out.flush();
      return report;
    }
  }

  private static void start(Slot slot, int writer, Spec spec, String runId, Path dir) throws IOException {
    List<String> cmd = WorkerPool.javaCommand(TortureWorker.class);
    cmd.addAll(List.of(spec.table().toString(), runId, Integer.toString(writer), Long.toString(spec.seed() * 1_000_003L
        + writer), TortureCheck.ackFile(dir, writer).toString(), spec.ops().stream().map(TortureOp::cliName)
        .collect(Collectors.joining(",")), spec.durability().name()));
    slot.writer = writer;
    slot.process = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(dir.resolve("w" + writer + ".err").toFile()).start();
  }

  private static String firstLines(Path dir, int writer) {
    try {
      return Files.readString(dir.resolve("w" + writer + ".err"), StandardCharsets.UTF_8).lines().limit(2)
          .collect(Collectors.joining(" | "));
    } catch (IOException e) {
      return "(no stderr: " + e.getMessage() + ")";
    }
  }

  private static String human(Duration d) {
    return d.toMillis() % 1000 != 0 ? d.toMillis() + " ms" : d.toSeconds() + " s";
  }
}
