package io.datashard.bench;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Starts child JVMs ({@link Child}) with the class path of the system they measure. DataShard
 * runs with its trimmed {@code hadoop-common}; Delta Kernel and Iceberg with the shaded Hadoop
 * client Kernel's default engine is built for (the two must not share a class path, see {@code
 * io.datashard.testing.KernelOracle}). Every measurement runs in a fresh JVM of the same options.
 */
final class Procs {
  /** Unshaded Hadoop module jars (hadoop-common, hadoop-mapreduce-client-core), not the shaded client. */
  static final Pattern UNSHADED_HADOOP = Pattern.compile("hadoop-(?!client-api-|client-runtime-|shaded-)[a-z0-9-]+-\\d[^/]*\\.jar");
  /** Kernel's shaded Hadoop client jars. */
  static final Pattern SHADED_HADOOP = Pattern.compile("hadoop-client-(api|runtime)-\\d[^/]*\\.jar");

  /** slf4j-simple at WARN: the libraries' per-file and per-commit INFO lines are not part of the work. */
  static final String QUIET = "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn";

  /** JVM options of single-process children (bulk loads, scans, latencies). */
  static List<String> singleJvm() {
    return options("bench.jvm", "-Xmx3g -XX:+UseParallelGC " + QUIET);
  }

  /** JVM options of each process of a multi-process run (many JVMs share few cores). */
  static List<String> workerJvm() {
    return options("bench.workerJvm", "-Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 " + QUIET);
  }

  private static List<String> options(String property, String defaults) {
    String v = System.getProperty(property, defaults).strip();
    return v.isEmpty() ? List.of() : List.of(v.split("\\s+"));
  }

  private Procs() {}

  /**
   * The class path of a system's child JVM: the bench jar and the jars its jar list names (this
   * build's dependencies, copied to lib/) that the system may see.
   */
  static String classPath(String system) {
    Path jar = benchJar();
    List<String> entries = new ArrayList<>();
    entries.add(jar.toString());
    String listed;
    try (var in = Procs.class.getResourceAsStream("classpath.txt")) {
      if (in == null) {
        throw new IllegalStateException("no jar list in " + jar + ": build with mvn package -pl datashard-bench -am");
      }
      listed = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the jar list of " + jar, e);
    }
    Pattern excluded = system.equals("ours") ? SHADED_HADOOP : UNSHADED_HADOOP;
    for (String entry : listed.strip().split(File.pathSeparator)) {
      Path lib = jar.getParent().resolve(entry);
      if (!excluded.matcher(lib.getFileName().toString()).matches()) {
        if (!Files.isRegularFile(lib)) {
          throw new IllegalStateException("missing " + lib + ": build with mvn package -pl datashard-bench -am");
        }
        entries.add(lib.toString());
      }
    }
    return String.join(File.pathSeparator, entries);
  }

  private static Path benchJar() {
    try {
      return Path.of(Procs.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static List<String> command(String system, String task, Params p, List<String> jvm) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvm);
    cmd.add("-cp");
    cmd.add(classPath(system));
    cmd.add(Child.class.getName());
    cmd.add(system);
    cmd.add(task);
    cmd.addAll(p.toArgs());
    return cmd;
  }

  /** Runs one child to completion and returns its result; fails with its stderr if it fails. */
  static Result run(String system, String task, Params p) {
    try {
      Process proc = new ProcessBuilder(command(system, task, p, singleJvm())).start();
      proc.getOutputStream().close();
      Watched c = new Watched(system + " " + task, proc);
      c.start();
      proc.waitFor();
      return c.result(proc.exitValue());
    } catch (IOException e) {
      throw new IllegalStateException("cannot start " + system + " " + task, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /**
   * Runs one child per parameter set at the same time: waits until each is {@code READY}, sends
   * {@code go} to all, and times from there to the last exit.
   */
  static Parallel runParallel(String system, String task, List<Params> each) {
    List<Process> procs = new ArrayList<>();
    List<Watched> children = new ArrayList<>();
    CountDownLatch ready = new CountDownLatch(each.size());
    try {
      for (int i = 0; i < each.size(); i++) {
        Process proc = new ProcessBuilder(command(system, task, each.get(i), workerJvm())).start();
        procs.add(proc);
        Watched c = new Watched(system + " " + task + " #" + i, proc, ready);
        children.add(c);
        c.start();
      }
      while (!ready.await(50, TimeUnit.MILLISECONDS)) {
        for (int i = 0; i < procs.size(); i++) {
          if (!procs.get(i).isAlive()) {
            children.get(i).join();
            throw new IllegalStateException(children.get(i).name + " exited with " + procs.get(i).exitValue()
                + " before it was ready:\n" + children.get(i).stderrTail());
          }
        }
      }
      long start = System.nanoTime();
      for (Process proc : procs) {
        try (OutputStream os = proc.getOutputStream()) {
          os.write("go\n".getBytes(StandardCharsets.US_ASCII));
        }
      }
      List<Result> results = new ArrayList<>();
      for (int i = 0; i < procs.size(); i++) {
        procs.get(i).waitFor();
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      for (int i = 0; i < procs.size(); i++) {
        results.add(children.get(i).result(procs.get(i).exitValue()));
      }
      return new Parallel(seconds, results);
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + system + " " + task, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } finally {
      procs.forEach(Process::destroyForcibly);
    }
  }

  /** A multi-process run: wall seconds from the start signal to the last exit, and each result. */
  record Parallel(double seconds, List<Result> results) {
    long sum(String key) {
      return results.stream().mapToLong(r -> r.lng(key)).sum();
    }
  }

  /** Reads one child's stdout (READY, RESULT, progress passed through) and stderr. */
  private static final class Watched {
    final String name;
    final Process proc;
    final CountDownLatch ready;
    final StringBuilder stderr = new StringBuilder();
    volatile Result result;
    Thread out;
    Thread err;

    Watched(String name, Process proc) {
      this(name, proc, null);
    }

    Watched(String name, Process proc, CountDownLatch ready) {
      this.name = name;
      this.proc = proc;
      this.ready = ready;
    }

    void start() {
      out = daemon(() -> {
        try (BufferedReader r = reader(proc.getInputStream())) {
          String line;
          while ((line = r.readLine()) != null) {
            if (line.equals("READY") && ready != null) {
              ready.countDown();
            } else if (line.startsWith(Result.PREFIX)) {
              result = Result.parse(line.substring(Result.PREFIX.length()));
            } else {
              System.out.println("    [" + name + "] " + line);
            }
          }
        } catch (IOException e) {
          synchronized (stderr) {
            stderr.append("reading stdout failed: ").append(e).append('\n');
          }
        }
      });
      err = daemon(() -> {
        try (BufferedReader r = reader(proc.getErrorStream())) {
          String line;
          while ((line = r.readLine()) != null) {
            synchronized (stderr) {
              stderr.append(line).append('\n');
              if (stderr.length() > 64_000) {
                stderr.delete(0, stderr.length() - 32_000);
              }
            }
          }
        } catch (IOException e) {
          synchronized (stderr) {
            stderr.append("reading stderr failed: ").append(e).append('\n');
          }
        }
      });
    }

    void join() throws InterruptedException {
      out.join(10_000);
      err.join(10_000);
    }

    String stderrTail() {
      synchronized (stderr) {
        String s = stderr.toString();
        return s.length() > 6000 ? "..." + s.substring(s.length() - 6000) : s;
      }
    }

    Result result(int exit) throws InterruptedException {
      join();
      if (exit != 0 || result == null) {
        throw new IllegalStateException(name + " failed (exit " + exit + "):\n" + stderrTail());
      }
      return result;
    }

    private static BufferedReader reader(java.io.InputStream in) {
      return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    }

    private static Thread daemon(Runnable r) {
      Thread t = new Thread(r);
      t.setDaemon(true);
      t.start();
      return t;
    }
  }
}
