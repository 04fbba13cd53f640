package io.datashard;

import static org.assertj.core.api.Assertions.assertThat;

import io.datashard.s3.S3ProxyServer;
import io.datashard.testing.KernelOracle;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real child JVMs, configured only through the AWS environment variables, append to one table in
 * a real S3Proxy server at once; every row must be there exactly once and every version used once.
 */
@Timeout(600)
class S3MultiProcessAppendTest {
  @TempDir Path dir;

  @Test
  void fourProcessesTimesFiftyCommitsAreExact() throws Exception {
    int processes = 4;
    int ops = 50;
    try (S3ProxyServer server = S3ProxyServer.start(dir.resolve("s3"), 0)) {
      server.useForThisJvm();
      String table = "s3://" + S3ProxyServer.BUCKET + "/multi/t";
      Table.create(table, Schema.parse("writer int not null, seq long not null")).close();
      Path go = dir.resolve("go");
      List<Process> children = new ArrayList<>();
      List<BufferedReader> outputs = new ArrayList<>();
      try {
        for (int w = 0; w < processes; w++) {
          List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
              "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
              AppendWorker.class.getName(), table, String.valueOf(w), String.valueOf(ops), go.toString());
          ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(dir.resolve("err-" + w).toFile());
          pb.environment().putAll(server.environment()); // the children find the server as users' processes do
          Process p = pb.start();
          children.add(p);
          outputs.add(new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)));
        }
        for (BufferedReader out : outputs) {
          assertThat(out.readLine()).isEqualTo("ready");
        }
        Files.createFile(go);
        long attempts = 0;
        for (int w = 0; w < processes; w++) {
          Process p = children.get(w);
          assertThat(p.waitFor(8, TimeUnit.MINUTES)).as("worker %d finished", w).isTrue();
          assertThat(p.exitValue()).as("worker %d stderr: %s", w, Files.readString(dir.resolve("err-" + w))).isZero();
          String last = outputs.get(w).readLine();
          attempts += Long.parseLong(last.substring("attempts ".length()));
        }
        try (Table t = Table.open(table)) {
          assertThat(t.currentSnapshot().version()).isEqualTo((long) processes * ops);
          Map<String, Integer> seen = new HashMap<>();
          for (Row r : t.newScan().toList()) {
            seen.merge(r.get("writer") + "/" + r.get("seq"), 1, Integer::sum);
          }
          assertThat(seen).hasSize(processes * ops);
          assertThat(seen.values()).allMatch(c -> c == 1);
          assertThat(t.history()).hasSize(processes * ops + 1);
        }
        System.out.println(processes + " processes x " + ops + " commits: " + attempts + " attempts");
        assertThat(attempts).isGreaterThanOrEqualTo((long) processes * ops);
        assertThat(KernelOracle.readRows(server.localPath(table))).hasSize(processes * ops);
      } finally {
        children.forEach(Process::destroyForcibly);
      }
    }
  }
}
