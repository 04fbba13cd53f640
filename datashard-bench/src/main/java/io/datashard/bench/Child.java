package io.datashard.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Entry point of every child JVM: {@code Child SYSTEM TASK key=value...}. Runs one task of one
 * system and prints its {@link Result} line. A task that takes part in a multi-process run calls
 * the start gate once it is set up: the child prints {@code READY} and waits for {@code go} on
 * stdin, so that the clock starts when every process is ready.
 */
public final class Child {
  private Child() {}

  /** Runs one task; exits non-zero (stack trace on stderr) if it fails. */
  public static void main(String[] args) {
    if (args.length < 2) {
      throw new IllegalArgumentException("usage: Child SYSTEM TASK key=value...");
    }
    Params p = Params.parse(Arrays.asList(args).subList(2, args.length));
    Result r = run(args[0], args[1], p, Child::awaitGo);
    System.out.println(r.format());
    System.out.flush();
    // Engines' non-daemon pools (DuckDB, Kernel, Iceberg workers) must not keep the JVM alive.
    System.exit(0);
  }

  static Result run(String system, String task, Params p, Runnable gate) {
    try {
      return switch (system) {
        case "ours" -> OursTasks.run(task, p, gate);
        case "sqlite" -> SqliteTasks.run(task, p, gate);
        case "kernel" -> KernelTasks.run(task, p, gate);
        case "iceberg" -> IcebergTasks.run(task, p, gate);
        case "duckdb" -> DuckTasks.run(task, p, gate);
        case "parquet" -> ParquetTasks.run(task, p, gate);
        default -> throw new IllegalArgumentException("unknown system " + system);
      };
    } catch (Exception e) {
      throw new IllegalStateException(system + " " + task + " failed: " + e, e);
    }
  }

  private static void awaitGo() {
    System.out.println("READY");
    System.out.flush();
    try {
      BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
      String line;
      while ((line = in.readLine()) != null) {
        if (line.strip().equals("go")) {
          return;
        }
      }
      throw new IllegalStateException("stdin closed before go");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static IllegalArgumentException unknownTask(String system, String task) {
    return new IllegalArgumentException(system + " has no task " + task);
  }
}
