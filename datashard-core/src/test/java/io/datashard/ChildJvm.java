package io.datashard;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Starts a real child JVM running a main class from the test class path. */
public final class ChildJvm {
  private ChildJvm() {}

  public static Process start(Class<?> main, Path stderr, String... args) throws IOException {
    return startWithHeap("256m", main, stderr, args);
  }

  /** As {@link #start(Class, Path, String...)} with a maximum heap such as {@code 48m}. */
  public static Process startWithHeap(String maxHeap, Class<?> main, Path stderr, String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx" + maxHeap);
    cmd.add("-XX:+UseSerialGC");
    cmd.add("-XX:TieredStopAtLevel=1");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(main.getName());
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.redirectError(stderr == null ? ProcessBuilder.Redirect.INHERIT : ProcessBuilder.Redirect.to(stderr.toFile()));
    return pb.start();
  }
}
