package io.datashard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.IntFunction;

/**
 * Runs {@link StressWorker} child JVMs at the same time: starts them, waits until every one has
 * printed {@code ready}, sends {@code go} to all, and times from that signal to the last exit.
 */
final class WorkerPool {
  /**
   * JVM options of the workers: small heap, serial GC (many JVMs share few cores). The system
   * property {@code datashard.worker.jvmOptions} (space-separated) replaces them.
   */
  static List<String> jvmOptions() {
    String custom = System.getProperty("datashard.worker.jvmOptions");
    if (custom != null) {
      return custom.isBlank() ? List.of() : List.of(custom.strip().split("\\s+"));
    }
    return List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto");
  }

  /**
   * The storage settings given to this JVM as system properties ({@code aws.*}, {@code datashard.s3.*}),
   * passed on so that workers reach the same table; environment variables are inherited anyway.
   */
  static List<String> storageProperties() {
    List<String> props = new ArrayList<>();
    for (String name : System.getProperties().stringPropertyNames()) {
      if (name.startsWith("aws.") || name.startsWith("datashard.s3.")) {
        props.add("-D" + name + "=" + System.getProperty(name));
      }
    }
    props.sort(null);
    return props;
  }

  private static final int STDERR_LIMIT = 32 * 1024;

  /** One worker's end. */
  record WorkerResult(int writer, int exitCode, long ops, long commits, long attempts, long replans, boolean reported,
      String stderr) {
    boolean ok() {
      return exitCode == 0 && reported;
    }
  }

  /**
   * @param startupSeconds from launching to the last {@code ready}
   * @param seconds from the start signal to the last worker's exit
   */
  record Outcome(double startupSeconds, double seconds, List<WorkerResult> workers) {
    long commits() {
      return workers.stream().mapToLong(WorkerResult::commits).sum();
    }

    long ops() {
      return workers.stream().mapToLong(WorkerResult::ops).sum();
    }

    /** Lost races for a version that were rebased and tried again (attempts beyond the first of each commit). */
    long retries() {
      return workers.stream().mapToLong(w -> w.attempts() - w.commits()).sum();
    }

    /** Operations re-planned on a newer version after a conflicting commit. */
    long replans() {
      return workers.stream().mapToLong(WorkerResult::replans).sum();
    }

    List<WorkerResult> failed() {
      return workers.stream().filter(w -> !w.ok()).toList();
    }
  }

  private WorkerPool() {}

  /** The command line that starts {@code mainClass} in a child JVM with this JVM's class path and {@link #jvmOptions()}. */
  static List<String> javaCommand(Class<?> mainClass) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmOptions());
    cmd.addAll(storageProperties());
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(mainClass.getName());
    return cmd;
  }

  /**
   * Runs the workers and waits for them.
   *
   * @param workerArgs the {@link StressWorker} arguments of worker i
   * @param totalOps operations of all workers together (for progress lines)
   * @param out progress lines
   * @throws FailureException if a worker dies before it is ready or the run exceeds the timeout
   */
  static Outcome run(int processes, IntFunction<List<String>> workerArgs, long totalOps, PrintWriter out, Duration timeout)
      throws IOException, InterruptedException {
    List<String> base = javaCommand(StressWorker.class);

    long deadline = System.nanoTime() + timeout.toNanos();
    long launched = System.nanoTime();
    Process[] ps = new Process[processes];
    CountDownLatch ready = new CountDownLatch(processes);
    AtomicLongArray progress = new AtomicLongArray(processes);
    JsonNode[] results = new JsonNode[processes];
    StringBuilder[] stderr = new StringBuilder[processes];
    List<Thread> readers = new ArrayList<>();
    AtomicLongArray exitNanos = new AtomicLongArray(processes);
    List<CompletableFuture<Void>> exits = new ArrayList<>();
    Thread killer = new Thread(() -> destroyAll(ps));
    Runtime.getRuntime().addShutdownHook(killer);
    try {
      for (int i = 0; i < processes; i++) {
        List<String> cmd = new ArrayList<>(base);
        cmd.addAll(workerArgs.apply(i));
        ps[i] = new ProcessBuilder(cmd).start();
        int w = i;
        readers.add(daemon("worker-" + i + "-out", () -> readStdout(ps[w].getInputStream(), ready, progress, w, results)));
        stderr[i] = new StringBuilder();
        readers.add(daemon("worker-" + i + "-err", () -> readStderr(ps[w].getErrorStream(), stderr[w])));
        exits.add(ps[i].onExit().thenRun(() -> exitNanos.set(w, System.nanoTime())));
      }
      // Everyone set up: only then start the clock.
      while (!ready.await(20, TimeUnit.MILLISECONDS)) {
        for (int i = 0; i < processes; i++) {
          if (!ps[i].isAlive()) {
            ps[i].waitFor();
            throw died(ps, readers, stderr, i, "exited with code " + ps[i].exitValue() + " before it was ready");
          }
        }
        if (System.nanoTime() > deadline) {
          throw died(ps, readers, stderr, -1, "workers not ready within " + timeout.toSeconds() + " s");
        }
      }
      long start = System.nanoTime();
      double startup = (start - launched) / 1e9;
      for (Process p : ps) {
        try (OutputStream os = p.getOutputStream()) {
          os.write("go\n".getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
          // the worker died; its exit code tells
        }
      }
      CompletableFuture<?> all = CompletableFuture.allOf(exits.toArray(new CompletableFuture<?>[0]));
      long nextReport = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
      while (true) {
        try {
          all.get(100, TimeUnit.MILLISECONDS);
          break;
        } catch (TimeoutException e) {
          long now = System.nanoTime();
          if (now > deadline) {
            throw died(ps, readers, stderr, -1, "workers did not finish within " + timeout.toSeconds() + " s");
          }
          if (now >= nextReport) {
            long done = 0;
            for (int i = 0; i < processes; i++) {
              done += progress.get(i);
            }
            out.printf(Locale.ROOT, "  %5.1f s: %d of %d operations done%n", (now - start) / 1e9, done, totalOps);
            out.flush();
            nextReport = now + TimeUnit.SECONDS.toNanos(2);
          }
        } catch (ExecutionException e) {
          throw new IllegalStateException(e);
        }
      }
      long end = start;
      for (int i = 0; i < processes; i++) {
        ps[i].waitFor();
        end = Math.max(end, exitNanos.get(i) == 0 ? System.nanoTime() : exitNanos.get(i));
      }
      for (Thread t : readers) {
        t.join(TimeUnit.SECONDS.toMillis(10));
      }
      List<WorkerResult> workers = new ArrayList<>();
      for (int i = 0; i < processes; i++) {
        JsonNode r = results[i];
        String err;
        synchronized (stderr[i]) {
          err = stderr[i].toString();
        }
        long commits = r == null ? 0 : r.path("commits").asLong();
        workers.add(new WorkerResult(i, ps[i].exitValue(), r == null ? 0 : r.path("ops").asLong(commits), commits,
            r == null ? 0 : r.path("attempts").asLong(), r == null ? 0 : r.path("replans").asLong(), r != null, err));
      }
      return new Outcome(startup, (end - start) / 1e9, workers);
    } finally {
      destroyAll(ps);
      try {
        Runtime.getRuntime().removeShutdownHook(killer);
      } catch (IllegalStateException e) {
        // shutting down already
      }
    }
  }

  private static FailureException died(Process[] ps, List<Thread> readers, StringBuilder[] stderr, int which, String what)
      throws InterruptedException {
    destroyAll(ps);
    for (Thread t : readers) {
      t.join(2000);
    }
    StringBuilder msg = new StringBuilder(which >= 0 ? "worker " + which + " " + what : what);
    int shown = which >= 0 ? which : firstWithStderr(stderr);
    if (shown >= 0) {
      String err;
      synchronized (stderr[shown]) {
        err = stderr[shown].toString().strip();
      }
      if (!err.isEmpty()) {
        msg.append("; stderr of worker ").append(shown).append(": ").append(err.lines().findFirst().orElse(""));
      }
    }
    return new FailureException(msg.toString());
  }

  private static int firstWithStderr(StringBuilder[] stderr) {
    for (int i = 0; i < stderr.length; i++) {
      if (stderr[i] != null) {
        synchronized (stderr[i]) {
          if (!stderr[i].toString().isBlank()) {
            return i;
          }
        }
      }
    }
    return -1;
  }

  private static void destroyAll(Process[] ps) {
    for (Process p : ps) {
      if (p != null && p.isAlive()) {
        p.destroyForcibly();
      }
    }
  }

  private static Thread daemon(String name, Runnable r) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    t.start();
    return t;
  }

  private static void readStdout(InputStream in, CountDownLatch ready, AtomicLongArray progress, int w, JsonNode[] results) {
    ObjectMapper mapper = new ObjectMapper();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (line.equals("ready")) {
          ready.countDown();
        } else if (line.startsWith("progress ")) {
          progress.set(w, Long.parseLong(line.substring(9).strip()));
        } else if (line.startsWith("{")) {
          try {
            results[w] = mapper.readTree(line);
          } catch (IOException e) {
            // not a result line
          }
        }
      }
    } catch (IOException | NumberFormatException e) {
      // the worker went away; its exit code tells
    }
  }

  private static void readStderr(InputStream in, StringBuilder sink) {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        synchronized (sink) {
          if (sink.length() < STDERR_LIMIT) {
            sink.append(line).append('\n');
          }
        }
      }
    } catch (IOException e) {
      // gone
    }
  }
}
