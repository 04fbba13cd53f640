package io.datashard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.datashard.Durability;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "demo",
    sortOptions = false,
    description = {
      "Shows what DataShard is for: no lost updates.",
      "",
      "P processes make N writes each, all at the same time: first as commits to a DataShard table (the run of"
          + " 'stress --workload append'), then as read-modify-write updates of a plain JSON file without a lock."
          + " Prints what each lost, and why."
    })
final class DemoCommand extends BaseCommand {
  @Option(names = "--dir", paramLabel = "DIR", description = "Where to put the table and the JSON file (kept); default: a temporary directory, deleted afterwards.")
  Path dir;

  @Option(names = "--processes", paramLabel = "P", description = "Processes (default: ${DEFAULT-VALUE}).")
  int processes = 12;

  @Option(names = "--ops", paramLabel = "N", description = "Writes per process (default: ${DEFAULT-VALUE}).")
  int ops = 1000;

  @Option(names = "--durability", paramLabel = "MODE", description = "Durability of the table's commits: NO_SYNC (default;"
      + " no fsync, like the plain file, so both sides do the same I/O) or SYNC (fsync every commit).")
  Durability durability = Durability.NO_SYNC;

  @Option(names = "--timeout", paramLabel = "SECONDS", description = "Give up after this long per phase (default: ${DEFAULT-VALUE}).")
  int timeoutSeconds = 600;

  @Override
  int execute() throws Exception {
    long began = System.nanoTime();
    boolean temporary = dir == null;
    Path base = temporary ? Files.createTempDirectory("datashard-demo-") : dir;
    Files.createDirectories(base);
    PrintWriter out = out();
    try {
      Path tablePath = base.resolve("table");
      Path jsonPath = base.resolve("plain.json");
      long total = (long) processes * ops;
      out.printf(Locale.ROOT, "DataShard demo: %d processes x %d writes each, all at the same time, on %d CPU cores.%n%n",
          processes, ops, Runtime.getRuntime().availableProcessors());

      out.println("1) DataShard table " + tablePath + " - every write is one Table.append commit"
          + (durability == Durability.NO_SYNC ? " (durability NO_SYNC: no fsync, as with the plain file)" : " (fsync'd)") + ":");
      StressWorkload.StressSpec spec =
          StressCommand.spec(tablePath.toString(), StressWorkload.APPEND, processes, ops, 1, durability);
      StressCommand.Report ds = StressCommand.run(spec, indent(out), err(), Duration.ofSeconds(timeoutSeconds));
      out.println();

      out.println("2) Plain JSON file " + jsonPath + " - every write reads the file, adds one item, writes it back (no lock):");
      Files.writeString(jsonPath, "{\"counter\":0,\"items\":[]}");
      String runId = spec.runId();
      WorkerPool.Outcome plain = WorkerPool.run(processes, i -> List.of(StressWorker.PLAIN_JSON, jsonPath.toString(),
          Integer.toString(i), Integer.toString(ops), "1", runId, Durability.NO_SYNC.name()), total, indent(out),
          Duration.ofSeconds(timeoutSeconds));
      if (!plain.failed().isEmpty()) {
        WorkerPool.WorkerResult f = plain.failed().get(0);
        err().println("plain-file worker " + f.writer() + " failed; its stderr:");
        f.stderr().lines().forEach(l -> err().println("  " + l));
        throw new FailureException("demo failed: a plain-file worker failed (exit code " + f.exitCode() + ")");
      }
      JsonNode doc = new ObjectMapper().readTree(Files.readAllBytes(jsonPath));
      long counter = doc.path("counter").asLong();
      Set<String> items = new HashSet<>();
      doc.path("items").forEach(n -> items.add(n.asText()));
      long plainLost = total - items.size();
      out.printf(Locale.ROOT, "   %d writes in %.2f s: the file holds %d of %d items and counter = %d%n", total, plain.seconds(),
          items.size(), total, counter);
      out.println();

      StressWorkload.Verification c = ds.check();
      out.println("Result:");
      out.printf(Locale.ROOT, "  plain JSON file: %d of %d updates LOST (%.1f%%) - and nothing reported an error.%n",
          plainLost, total, 100.0 * plainLost / total);
      out.printf(Locale.ROOT, "  DataShard:       %d of %d rows present, %d lost, %d duplicated (%.0f commits/s, %d retries).%n",
          c.found(), c.expected(), c.lost(), c.duplicated(), ds.commitsPerSecond(), ds.outcome().retries());
      out.println();
      out.println("Why: with the plain file, two processes that read the same contents each add their item and write");
      out.println("the file back; the second write silently replaces the first (a lost update). Writing via rename keeps");
      out.println("the file whole, but cannot keep the read-modify-write atomic. DataShard never overwrites anything:");
      out.println("each commit creates the next log entry _delta_log/<version>.json only if it does not exist yet (an");
      out.println("atomic put-if-absent, a hard link on local disks), so exactly one writer wins each version. The others");
      out.println("(optimistic concurrency, no locks) re-read the commits that beat them, check that they do not conflict");
      out.println("with a blind append, and rebase onto the new version: retried, never lost, never doubled.");
      out.printf(Locale.ROOT, "%nDemo took %.1f s%s.%n", (System.nanoTime() - began) / 1e9,
          temporary ? "" : "; the table and the JSON file are in " + base);
      out.flush();
      ds.throwIfFailed();
      return Main.OK;
    } finally {
      if (temporary) {
        deleteTree(base);
      }
    }
  }

  /** Output indented by three spaces (the stress summary inside the demo). */
  private static PrintWriter indent(PrintWriter out) {
    return new PrintWriter(new java.io.Writer() {
      private boolean lineStart = true;

      @Override
      public void write(char[] buf, int off, int len) {
        for (int i = off; i < off + len; i++) {
          if (lineStart) {
            out.write("   ");
            lineStart = false;
          }
          out.write(buf[i]);
          if (buf[i] == '\n') {
            lineStart = true;
          }
        }
      }

      @Override
      public void flush() {
        out.flush();
      }

      @Override
      public void close() {
        out.flush();
      }
    });
  }

  private static void deleteTree(Path root) {
    try (Stream<Path> s = Files.walk(root)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> {
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
