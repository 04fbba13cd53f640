package io.datashard.s3;

import io.datashard.Durability;
import io.datashard.Schema;
import io.datashard.Table;
import io.datashard.TableOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Commit latency and throughput of one-row appends: a local directory (fsync'd) against S3Proxy
 * (filesystem backend, on this machine, started in this JVM). A program, not a test:
 *
 * <pre>
 * mvn -q -B -pl datashard-s3 -am test-compile dependency:build-classpath \
 *     -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * java -cp datashard-s3/target/test-classes:datashard-s3/target/classes:$(cat datashard-s3/target/cp.txt) \
 *     io.datashard.s3.S3CommitBenchmark [COMMITS [THREADS]]
 * </pre>
 *
 * Latency: one writer makes COMMITS (default 200) sequential appends after 20 warm-up ones.
 * Throughput: THREADS (default 4) writers, each with its own table handle, append COMMITS / THREADS
 * each to one table at once.
 */
public final class S3CommitBenchmark {
  private static final Schema SCHEMA = Schema.parse("writer int not null, seq long not null");

  private S3CommitBenchmark() {}

  public static void main(String[] args) throws Exception {
    int commits = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    int threads = args.length > 1 ? Integer.parseInt(args[1]) : 4;
    Path dir = Files.createTempDirectory("datashard-s3-bench-");
    try (S3ProxyServer server = S3ProxyServer.start(dir.resolve("s3"), 0)) {
      server.useForThisJvm();
      TableOptions options = TableOptions.builder().durability(Durability.SYNC).build();
      System.out.printf(Locale.ROOT, "one-row appends, durability SYNC; %d commits; S3Proxy 4.1.0 (filesystem) at %s%n",
          commits, server.endpoint());
      System.out.printf(Locale.ROOT, "%-12s %10s %10s %10s %10s %16s%n", "storage", "mean ms", "p50 ms", "p95 ms",
          "p99 ms", threads + " writers c/s");
      double[] local = run(dir.resolve("local").toString(), options, commits, threads);
      double[] s3 = run("s3://" + S3ProxyServer.BUCKET + "/bench-" + UUID.randomUUID(), options, commits, threads);
      print("local disk", local);
      print("S3Proxy", s3);
      System.out.printf(Locale.ROOT, "S3Proxy / local: mean latency x%.1f, throughput x%.2f%n", s3[0] / local[0],
          s3[4] / local[4]);
    }
  }

  private static void print(String name, double[] r) {
    System.out.printf(Locale.ROOT, "%-12s %10.2f %10.2f %10.2f %10.2f %16.1f%n", name, r[0], r[1], r[2], r[3], r[4]);
  }

  /** @return mean, p50, p95, p99 latency (ms) of one writer, and commits per second of all writers */
  private static double[] run(String location, TableOptions options, int commits, int threads) throws Exception {
    double[] ms = new double[commits];
    try (Table t = Table.define(location + "/latency", SCHEMA).options(options).create()) {
      for (int i = 0; i < 20; i++) {
        t.append(List.of(Map.of("writer", -1, "seq", (long) i)));
      }
      for (int i = 0; i < commits; i++) {
        long start = System.nanoTime();
        t.append(List.of(Map.of("writer", 0, "seq", (long) i)));
        ms[i] = (System.nanoTime() - start) / 1e6;
      }
    }
    double mean = Arrays.stream(ms).average().orElse(0);
    Arrays.sort(ms);
    String shared = location + "/throughput";
    Table.define(shared, SCHEMA).options(options).create().close();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    int each = Math.max(1, commits / threads);
    long start = System.nanoTime();
    List<Future<?>> done = new ArrayList<>();
    for (int w = 0; w < threads; w++) {
      int writer = w;
      done.add(pool.submit(() -> {
        try (Table t = Table.open(shared, options)) {
          for (int i = 0; i < each; i++) {
            t.append(List.of(Map.of("writer", writer, "seq", (long) i)));
          }
        }
        return null;
      }));
    }
    for (Future<?> f : done) {
      f.get(30, TimeUnit.MINUTES);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    pool.shutdown();
    try (Table t = Table.open(shared, options)) {
      long rows = t.newScan().count();
      if (rows != (long) threads * each) {
        throw new IllegalStateException("throughput run lost rows: " + rows + " of " + threads * each);
      }
    }
    return new double[] {mean, ms[ms.length / 2], ms[(int) (ms.length * 0.95)], ms[(int) (ms.length * 0.99)],
        threads * each / seconds};
  }
}
