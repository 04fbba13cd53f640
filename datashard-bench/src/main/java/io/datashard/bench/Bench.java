package io.datashard.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The benchmark launcher: {@code ./datashard bench WORKLOAD [--full] [key=value...]}. Each
 * workload measures DataShard and every peer in the same run, each in its own child JVM, checks
 * every result (exact counter, exact row count, same scan checksum) and prints a Markdown table
 * with the ratios. See BENCHMARKS.md for the workloads, sizes and peers.
 */
public final class Bench {
  private Bench() {}

  static final String USAGE = """
      usage: ./datashard bench WORKLOAD [--full] [key=value...]
        w1   seed counter: P processes x N increments of one row (exact result checked)
             processes=4 ops=100 (--full: processes=12 ops=10000)
        w2   single-row appends: P processes x N one-row commits (row count checked)
             processes=4 ops=100 (--full: processes=12 ops=1000)
        w3   bulk append of a 6-column table in 1 and in 100 commits
             rows=1000000 commits=1,100 (--full: rows=10000000)
        w4   scans of that table: full, 2-column projection, 0.1% selective predicate
             rows=1000000 reps=3 (--full: rows=10000000)
        w5   open and commit latency at several table versions
             versions=100,1000,10000 reps=20 icebergMax=1000 history=appends (--full: versions=100,10000,100000
             icebergMax=10000); history=updates builds the versions by replacing the one row, so the live
             table stays one file while its history grows
        jmh  JMH micro-benchmarks of hot paths; extra arguments go to JMH (default: -f 1 -wi 2 -i 3 -w 1s -r 1s)
      common: work=DIR (default /tmp/datashard-bench), systems=a,b (restrict to these: ours sqlite kernel
      iceberg duckdb parquet), keep=true (W4/W5 reuse tables already built in DIR)""";

  /** Runs one workload; exit 2 on a usage error, 1 if a check failed. */
  public static void main(String[] args) throws Exception {
    if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
      System.out.println(USAGE);
      return;
    }
    String workload = args[0];
    List<String> rest = new ArrayList<>(Arrays.asList(args).subList(1, args.length));
    if (workload.equals("jmh")) {
      System.exit(jmh(rest));
    }
    boolean full = rest.remove("--full");
    Params p;
    try {
      p = Params.parse(rest).withDefaults(defaults(workload, full));
    } catch (IllegalArgumentException e) {
      System.err.println("bench: " + e.getMessage() + "\n" + USAGE);
      System.exit(2);
      return;
    }
    Path work = Files.createDirectories(Path.of(p.str("work")));
    printMachine();
    System.out.println("workload " + workload + ": " + p);
    Workloads w = new Workloads(p, work);
    Report r = switch (workload) {
      case "w1" -> w.counter();
      case "w2" -> w.appends();
      case "w3" -> w.bulk();
      case "w4" -> w.scans();
      case "w5" -> w.latency();
      default -> {
        System.err.println("bench: unknown workload " + workload + "\n" + USAGE);
        System.exit(2);
        yield null;
      }
    };
    System.out.println();
    System.out.println(r.markdown());
    boolean failed = r.lines().stream().anyMatch(l -> l.check().startsWith("FAILED") || l.check().startsWith("WRONG"));
    System.exit(failed ? 1 : 0);
  }

  static Map<String, String> defaults(String workload, boolean full) {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("work", "/tmp/datashard-bench");
    d.put("systems", "ours,sqlite,kernel,iceberg,duckdb,parquet");
    d.put("keep", "false");
    switch (workload) {
      case "w1" -> {
        d.put("processes", full ? "12" : "4");
        d.put("ops", full ? "10000" : "100");
      }
      case "w2" -> {
        d.put("processes", full ? "12" : "4");
        d.put("ops", full ? "1000" : "100");
      }
      case "w3" -> {
        d.put("rows", full ? "10000000" : "1000000");
        d.put("commits", "1,100");
      }
      case "w4" -> {
        d.put("rows", full ? "10000000" : "1000000");
        d.put("reps", "3");
      }
      case "w5" -> {
        d.put("versions", full ? "100,10000,100000" : "100,1000,10000");
        d.put("reps", "20");
        d.put("icebergMax", full ? "10000" : "1000");
        d.put("history", "appends");
      }
      default -> { }
    }
    return d;
  }

  private static int jmh(List<String> args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add(Procs.QUIET);
    cmd.add("-cp");
    cmd.add(Procs.classPath("ours"));
    cmd.add("org.openjdk.jmh.Main");
    cmd.addAll(args.isEmpty() ? List.of("-f", "1", "-wi", "2", "-i", "3", "-w", "1s", "-r", "1s", "-jvmArgsAppend",
        Procs.QUIET) : args);
    if (args.stream().noneMatch(a -> !a.startsWith("-") && !a.matches("\\d+[a-z]*"))) {
      cmd.add("io.datashard.bench.micro");
    }
    return new ProcessBuilder(cmd).inheritIO().start().waitFor();
  }

  private static void printMachine() {
    Runtime rt = Runtime.getRuntime();
    String load = "";
    try {
      load = Files.readString(Path.of("/proc/loadavg")).strip();
    } catch (IOException e) {
      load = "unknown";
    }
    System.out.println("machine: " + rt.availableProcessors() + " cores, java " + System.getProperty("java.version") + " ("
        + System.getProperty("java.vm.name") + "), load average " + load);
  }

  static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path f : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(f);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + dir, e);
    }
  }

  /** Runs a measurement; a failing peer becomes a FAILED line instead of ending the workload. */
  static Report.Line attempt(String group, String system, String setup, String unit, boolean higher,
      Supplier<Report.Line> run) {
    try {
      return run.get();
    } catch (RuntimeException e) {
      String msg = String.valueOf(e.getMessage());
      System.out.println("  " + system + " " + setup + " failed:\n" + msg);
      String first = msg.lines().filter(l -> l.contains("Exception") || l.contains("Error")).findFirst()
          .orElse(msg.lines().findFirst().orElse("")).strip();
      return new Report.Line(group, system, setup, Double.NaN, unit, higher,
          "FAILED: " + first.replace('|', '/').substring(0, Math.min(160, first.length())));
    }
  }
}
