package io.datashard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/** Runs the CLI in-process with captured output. */
final class Cli {
  private Cli() {}

  static Main.Result run(String... args) {
    return Main.runCaptured(InputStream.nullInputStream(), args);
  }

  static Main.Result runWithStdin(String stdin, String... args) {
    return Main.runCaptured(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), args);
  }

  /** Runs and asserts success; returns stdout. */
  static String ok(String... args) {
    Main.Result r = run(args);
    assertThat(r.exitCode()).as("exit code of %s; stderr: %s", List.of(args), r.err()).isZero();
    assertThat(r.err()).as("stderr of %s", List.of(args)).isEmpty();
    return r.out();
  }

  /** Runs and asserts a user error with exactly one stderr line; returns that line. */
  static String userError(String... args) {
    Main.Result r = run(args);
    assertThat(r.exitCode()).as("exit code of %s; stdout: %s; stderr: %s", List.of(args), r.out(), r.err()).isEqualTo(2);
    return oneErrorLine(r);
  }

  static String oneErrorLine(Main.Result r) {
    List<String> lines = r.err().lines().toList();
    assertThat(lines).as("stderr").hasSize(1);
    assertThat(lines.get(0)).startsWith("datashard: ");
    return lines.get(0);
  }

  static String p(Path path) {
    return path.toString();
  }
}
