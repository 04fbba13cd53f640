package io.datashard.cli;

import io.datashard.DataShardException;
import java.io.BufferedWriter;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code datashard} command-line tool. {@link #run} executes one command line and returns its
 * exit code: 0 success, 2 a user error (bad options, bad input, a missing table, rows that do not
 * fit the schema), 1 anything else. Errors print exactly one line, {@code datashard: <message>}, on
 * stderr (plus the stack trace with {@code --verbose}).
 */
@Command(
    name = "datashard",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = "Transactional Delta Lake tables on plain files, written safely by many threads and processes.",
    subcommands = {
      CreateCommand.class,
      AppendCommand.class,
      UpsertCommand.class,
      UpdateCommand.class,
      IncrementCommand.class,
      DeleteCommand.class,
      ScanCommand.class,
      CountCommand.class,
      HistoryCommand.class,
      DescribeCommand.class,
      AlterCommand.class,
      CheckpointCommand.class,
      OptimizeCommand.class,
      VacuumCommand.class,
      VerifyCommand.class,
      StressCommand.class,
      TortureCommand.class,
      DemoCommand.class,
      CommandLine.HelpCommand.class
    },
    footer = {"", "Exit codes: 0 success, 2 user error (options, input, table not found), 1 internal error."})
public final class Main implements Runnable {
  static final int OK = 0;
  static final int INTERNAL_ERROR = 1;
  static final int USER_ERROR = 2;

  static {
    configureLogging();
  }

  @Spec CommandSpec spec;

  @Option(names = "--verbose", scope = ScopeType.INHERIT, description = "Print stack traces of errors.")
  boolean verbose;

  /** Standard input of this invocation (replaceable for tests). */
  InputStream stdin = System.in;

  /** Called when no subcommand is given. */
  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "missing command; try 'datashard --help'");
  }

  /** Runs one command line with the process's standard streams and exits with its code. */
  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(new BufferedWriter(
        new OutputStreamWriter(new FileOutputStream(FileDescriptor.out), StandardCharsets.UTF_8), 1 << 16));
    PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
    int code = run(out, err, System.in, args);
    out.flush();
    err.flush();
    System.exit(code);
  }

  /**
   * Runs one command line and returns its exit code; never calls {@code System.exit}.
   *
   * @param out standard output (flushed before returning)
   * @param err standard error
   * @param stdin standard input (read by {@code append --file -})
   */
  public static int run(PrintWriter out, PrintWriter err, InputStream stdin, String... args) {
    Main main = new Main();
    main.stdin = stdin;
    boolean verbose = preScanVerbose(args);
    CommandLine cl = new CommandLine(main);
    cl.setOut(out);
    cl.setErr(err);
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setParameterExceptionHandler((ex, a) -> {
      String cmd = ex.getCommandLine().getCommandSpec().qualifiedName();
      err.println("datashard: " + oneLine(ex.getMessage()) + " (see '" + cmd + " --help')");
      if (verbose) {
        ex.printStackTrace(err);
      }
      err.flush();
      return USER_ERROR;
    });
    cl.setExecutionExceptionHandler((ex, c, parsed) -> {
      out.flush();
      int code = exitCode(ex);
      err.println("datashard: " + message(ex, code));
      if (verbose || main.verbose) {
        ex.printStackTrace(err);
      }
      err.flush();
      return code;
    });
    int code;
    try {
      code = cl.execute(args);
    } finally {
      out.flush();
      err.flush();
    }
    return code;
  }

  /** Convenience for tests: runs with captured output. */
  static Result runCaptured(InputStream stdin, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = run(new PrintWriter(out), new PrintWriter(err), stdin, args);
    return new Result(code, out.toString(), err.toString());
  }

  /** The outcome of {@link #runCaptured}. */
  record Result(int exitCode, String out, String err) {}

  private static boolean preScanVerbose(String[] args) {
    for (String a : args) {
      if (a.equals("--")) {
        return false;
      }
      if (a.equals("--verbose")) {
        return true;
      }
    }
    return false;
  }

  static int exitCode(Throwable ex) {
    for (Throwable t = ex; t != null; t = t.getCause()) {
      if (t instanceof UserException || t instanceof ParameterException) {
        return USER_ERROR;
      }
      if (t instanceof FailureException) {
        return INTERNAL_ERROR;
      }
      if (t instanceof DataShardException d) {
        return d.isUserError() ? USER_ERROR : INTERNAL_ERROR;
      }
    }
    return INTERNAL_ERROR;
  }

  private static String message(Throwable ex, int code) {
    for (Throwable t = ex; t != null; t = t.getCause()) {
      if (t instanceof UserException || t instanceof ParameterException || t instanceof DataShardException
          || t instanceof FailureException) {
        return oneLine(t.getMessage());
      }
    }
    String m = ex.getMessage();
    return "internal error: " + ex.getClass().getName() + (m == null ? "" : ": " + oneLine(m))
        + (code == INTERNAL_ERROR ? " (run with --verbose for the stack trace)" : "");
  }

  static String oneLine(String s) {
    return s == null ? "" : s.strip().replaceAll("\\s*\\R\\s*", " ");
  }

  /**
   * slf4j-simple: warnings and errors only, on stderr (also set by {@code simplelogger.properties};
   * system properties given on the java command line win).
   */
  static void configureLogging() {
    setIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    setIfAbsent("org.slf4j.simpleLogger.logFile", "System.err");
    setIfAbsent("org.slf4j.simpleLogger.log.org.apache.hadoop.util.NativeCodeLoader", "error");
  }

  private static void setIfAbsent(String key, String value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
  }

  /** The version from the jar's Maven descriptor. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"datashard " + version() + " (Java " + System.getProperty("java.version") + ")"};
    }

    static String version() {
      try (InputStream in = Main.class.getResourceAsStream("/META-INF/maven/io.datashard/datashard-cli/pom.properties")) {
        if (in != null) {
          Properties p = new Properties();
          p.load(in);
          return p.getProperty("version", "dev");
        }
      } catch (java.io.IOException e) {
        // fall through
      }
      String v = Main.class.getPackage().getImplementationVersion();
      return v == null ? "dev" : v;
    }
  }
}
