package io.datashard.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.datashard.Durability;
import io.datashard.Table;
import io.datashard.TableOptions;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The child process of {@code datashard stress} and {@code demo}. Protocol: prints {@code ready}
 * once set up, waits for a {@code go} line on stdin (stdin closing without it means the coordinator
 * is gone: exit 3), runs its operations printing {@code progress <n>} now and then, and ends with one
 * JSON line {@code {"writer":w,"ops":n,"commits":c,"attempts":a,"replans":r}}. Any failure: stack
 * trace on stderr, exit 1.
 *
 * <p>Arguments: {@code MODE TARGET WRITER OPS ROWS_PER_OP RUN_ID DURABILITY [KEYS RECORDS QUEUE]}, where
 * MODE is a {@link StressWorkload} name (TARGET a table) or {@value #PLAIN_JSON} (TARGET a JSON file
 * that the worker read-modify-writes without any lock, to show lost updates); KEYS is the key space
 * of get-or-create and upsert (default 50) and RECORDS the file for the per-operation records of
 * the row workloads ({@code -} for none; see {@link StressRows}); QUEUE is {@code queue} or {@code
 * no-queue} ({@link TableOptions#queueWriters()}).
 */
public final class StressWorker {
  static final String PLAIN_JSON = "plain-json";

  private StressWorker() {}

  public static void main(String[] args) {
    Main.configureLogging();
    PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
    int code;
    try {
      code = run(args, out);
    } catch (Throwable t) {
      out.flush();
      System.err.println("worker failed: " + t);
      t.printStackTrace();
      code = 1;
    }
    out.flush();
    System.exit(code);
  }

  static int run(String[] args, PrintStream out) throws Exception {
    if (args.length != 7 && args.length != 10) {
      throw new IllegalArgumentException("expected MODE TARGET WRITER OPS ROWS_PER_OP RUN_ID DURABILITY [KEYS RECORDS QUEUE]");
    }
    String mode = args[0];
    String target = args[1];
    int writer = Integer.parseInt(args[2]);
    int ops = Integer.parseInt(args[3]);
    int rowsPerOp = Integer.parseInt(args[4]);
    String runId = args[5];
    Durability durability = Durability.valueOf(args[6]);
    int keys = args.length > 7 ? Integer.parseInt(args[7]) : 50;
    Path records = args.length > 8 && !args[8].equals("-") ? Path.of(args[8]) : null;
    boolean queue = args.length <= 9 || !args[9].equals("no-queue");
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    int every = Math.max(1, ops / 20);
    long commits = ops;
    long attempts = 0;
    long replans = 0;
    if (mode.equals(PLAIN_JSON)) {
      Path file = Path.of(target);
      ObjectMapper mapper = new ObjectMapper();
      mapper.writeValueAsBytes(mapper.readTree(Files.readAllBytes(file))); // warm up the JSON code before the signal
      if (!awaitGo(out, in)) {
        return 3;
      }
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp-" + writer);
      for (long seq = 0; seq < ops; seq++) {
        // The classic read-modify-write: read, change, write back (atomically replaced, so never torn).
        ObjectNode doc = (ObjectNode) mapper.readTree(Files.readAllBytes(file));
        doc.put("counter", doc.get("counter").asLong() + 1);
        ((ArrayNode) doc.get("items")).add(writer + ":" + seq);
        Files.write(tmp, mapper.writeValueAsBytes(doc));
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        attempts++;
        progress(out, seq + 1, every);
      }
    } else {
      StressWorkload workload = StressWorkload.byName(mode);
      if (workload == null) {
        throw new IllegalArgumentException("unknown workload " + mode);
      }
      StressWorkload.StressSpec spec =
          new StressWorkload.StressSpec(target, workload, 0, ops, rowsPerOp, runId, durability, keys, queue);
      try (Table table = Table.open(target, TableOptions.builder().durability(durability).queueWriters(queue).build());
          StressRows.Worker w = new StressRows.Worker(table, spec, writer, records)) {
        table.currentSnapshot();
        workload.warmUp(table, spec, writer);
        if (!awaitGo(out, in)) {
          return 3;
        }
        for (long seq = 0; seq < ops; seq++) {
          workload.operation(w, seq);
          progress(out, seq + 1, every);
        }
        commits = w.commits;
        attempts = w.attempts;
        replans = w.replans;
      }
    }
    out.println("{\"writer\":" + writer + ",\"ops\":" + ops + ",\"commits\":" + commits + ",\"attempts\":" + attempts
        + ",\"replans\":" + replans + "}");
    out.flush();
    return 0;
  }

  private static boolean awaitGo(PrintStream out, BufferedReader in) throws java.io.IOException {
    out.println("ready");
    out.flush();
    return "go".equals(in.readLine());
  }

  private static void progress(PrintStream out, long done, int every) {
    if (done % every == 0) {
      out.println("progress " + done);
      out.flush();
    }
  }
}
