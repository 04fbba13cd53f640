package io.datashard.cli;

import io.datashard.Table;
import io.datashard.VacuumBuilder;
import io.datashard.VacuumResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "vacuum",
    sortOptions = false,
    description = {
      "Deletes files no snapshot within the retention window references and that are older than it.",
      "",
      "The window defaults to the table's delta.deletedFileRetentionDuration (7 days). A shorter window is refused"
          + " unless --unsafe-retention is given, because a writer's new files are unreferenced until it commits."
          + " Never follows symbolic links; never touches _delta_log/ except for log cleanup behind a checkpoint"
          + " (delta.logRetentionDuration, 30 days).",
      "",
      "Example: datashard vacuum /data/events --dry-run"
    })
final class VacuumCommand extends BaseCommand {
  @Parameters(index = "0", paramLabel = "TABLE", description = "The table directory.")
  String table;

  @Option(names = "--retain", paramLabel = "DURATION", description = "Retention window, e.g. 7d, 168h, 30m.")
  String retain;

  @Option(names = "--dry-run", description = "List the files that would be deleted; delete nothing.")
  boolean dryRun;

  @Option(names = "--unsafe-retention", description = "Allow a retention below 7 days.")
  boolean unsafe;

  @Override
  int execute() {
    try (Table t = open(table); TerminalProgress progress = TerminalProgress.create()) {
      VacuumBuilder b = t.vacuum().progress(progress);
      if (retain != null) {
        b.retain(DurationArg.parse("--retain", retain));
      }
      if (dryRun) {
        b.dryRun();
      }
      if (unsafe) {
        b.unsafeRetention();
      }
      VacuumResult r = b.execute();
      progress.close();
      if (r.dryRun()) {
        r.files().forEach(out()::println);
        out().println("would delete " + r.filesDeleted() + " files (" + r.bytesDeleted() + " bytes); retention "
            + r.retention() + ", version " + r.version());
      } else {
        out().println("deleted " + r.filesDeleted() + " files (" + r.bytesDeleted() + " bytes) and "
            + r.logFilesDeleted() + " expired log files; retention " + r.retention() + ", version " + r.version());
      }
    }
    return Main.OK;
  }
}
