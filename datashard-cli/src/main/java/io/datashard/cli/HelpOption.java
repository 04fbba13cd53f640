package io.datashard.cli;

import picocli.CommandLine.Option;

/** The {@code -h/--help} option of every subcommand. */
final class HelpOption {
  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
  boolean help;
}
