package io.datashard.cli;

import io.datashard.CommitResult;
import io.datashard.StructType;
import io.datashard.Table;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "append",
    sortOptions = false,
    description = {
      "Appends rows as one atomic commit.",
      "",
      "Either every row of the call is committed (as one new version) or none is: a bad row anywhere stops"
          + " the call with exit code 2 and the table unchanged.",
      "",
      "JSON rows: the canonical encoding that 'scan --format jsonl' writes, so its output appends back unchanged."
          + " Also accepted: decimals as numbers, timestamps with any number of fractional digits and any offset,"
          + " maps as objects with string keys. Missing columns are null. Timestamps need Z or an offset.",
      "",
      "CSV: the first line names the columns; an empty field is null, a quoted empty field (\"\") an empty"
          + " string; only primitive and decimal columns.",
      "",
      "Examples:",
      "  datashard append /data/events --json '{\"id\": 1, \"kind\": \"start\"}'",
      "  datashard append /data/events --file events.jsonl",
      "  producer | datashard append /data/events --file -"
    })
final class AppendCommand extends BaseCommand {
  /** Rows handed to the library at once; more than this go through one multi-batch transaction. */
  static volatile int batchRows = 50_000;

  @Parameters(index = "0", paramLabel = "TABLE", description = "The table directory.")
  String table;

  @Option(names = "--json", paramLabel = "JSON", description = "One row as a JSON object (repeatable).")
  List<String> json = new ArrayList<>();

  @Option(names = "--file", paramLabel = "FILE", description = "Rows from a file: .jsonl/.ndjson/.json (JSON Lines, or one JSON array)"
      + " or .csv (with a header line); '-' reads JSON Lines from stdin. Repeatable.")
  List<String> files = new ArrayList<>();

  @Override
  int execute() throws IOException {
    if (json.isEmpty() && files.isEmpty()) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "nothing to append: give --json and/or --file");
    }
    List<RowInput.Format> formats = formats(files); // fail on an unknown extension before reading anything
    try (Table t = open(table)) {
      StructType schema = t.currentSnapshot().schema().asStruct();
      CommitResult result;
      long rows;
      try (RowSink sink = new RowSink(t, batchRows)) {
        readAll(new RowInput(schema, sink), json, files, formats, main.stdin);
        rows = sink.rows();
        result = sink.commit();
      }
      if (result == null) {
        out().println("no rows to append; nothing committed");
      } else {
        out().println("appended " + rows + " row" + (rows == 1 ? "" : "s") + " as version " + result.version()
            + (result.attempts() > 1 ? " (" + result.attempts() + " attempts)" : ""));
      }
    }
    return Main.OK;
  }

  /** Reads the {@code --json} values, then the {@code --file}s (formats from {@link #formats}), into {@code input}. */
  static void readAll(RowInput input, List<String> json, List<String> files, List<RowInput.Format> formats, InputStream stdin)
      throws IOException {
    for (int i = 0; i < json.size(); i++) {
      input.json(json.get(i), new RowSink.Origin("--json value " + (i + 1), 0));
    }
    for (int i = 0; i < files.size(); i++) {
      String f = files.get(i);
      if (f.equals("-")) {
        input.read(RowInput.utf8(nonClosing(stdin)), "stdin", RowInput.Format.JSONL);
      } else {
        try (Reader r = RowInput.utf8(openFile(f))) {
          input.read(r, f, formats.get(i));
        }
      }
    }
  }

  /** The format of each file, checked before anything is read (an unknown extension is a user error). */
  static List<RowInput.Format> formats(List<String> files) {
    List<RowInput.Format> formats = new ArrayList<>();
    for (String f : files) {
      formats.add(RowInput.Format.of(f));
    }
    return formats;
  }

  private static InputStream openFile(String name) {
    Path p = Path.of(name);
    try {
      if (Files.isDirectory(p)) {
        throw new UserException("cannot read " + name + ": it is a directory");
      }
      return Files.newInputStream(p);
    } catch (NoSuchFileException e) {
      throw new UserException("cannot read " + name + ": no such file", e);
    } catch (AccessDeniedException e) {
      throw new UserException("cannot read " + name + ": permission denied", e);
    } catch (IOException e) {
      throw new UserException("cannot read " + name + ": " + e.getMessage(), e);
    }
  }

  private static InputStream nonClosing(InputStream in) {
    return new java.io.FilterInputStream(in) {
      @Override
      public void close() {}
    };
  }
}
