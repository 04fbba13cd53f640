package io.datashard.cli;

import io.datashard.Table;
import io.datashard.VersionNotFoundException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** Shared plumbing of the subcommands: output, the parent command, opening tables. */
abstract class BaseCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @ParentCommand Main main;
  @Mixin HelpOption help;

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  PrintWriter err() {
    return spec.commandLine().getErr();
  }

  /** Opens an existing table (a missing table is a user error raised by the library). */
  static Table open(String location) {
    return Table.open(location);
  }

  static void checkVersion(Long version) {
    if (version != null && version < 0) {
      throw new VersionNotFoundException("--version must not be negative, got " + version);
    }
  }

  @Override
  public final Integer call() throws Exception {
    int code = execute();
    out().flush();
    return code;
  }

  abstract int execute() throws Exception;
}
