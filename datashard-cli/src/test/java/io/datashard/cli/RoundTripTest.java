package io.datashard.cli;

import static io.datashard.cli.Cli.ok;
import static io.datashard.cli.Cli.p;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** create / append / scan round trips through the canonical JSON encoding and CSV. */
class RoundTripTest {
  static final String ALL_TYPES = "id long not null, s string, i integer, sh short, by byte, f float, d double,"
      + " bo boolean, bi binary, da date, ts timestamp, ntz timestamp_ntz, dec decimal(38,10), dec0 decimal(5,0),"
      + " tags array<string>, nums array<long not null>, m map<integer, string>, ms map<string, double>,"
      + " st struct<a integer, b struct<c string, d array<date>>>, am array<map<string, integer>>";

  @TempDir Path dir;

  static String resource(String name) throws IOException {
    try (InputStream in = RoundTripTest.class.getResourceAsStream("/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  static List<String> sortedLines(String text) {
    return text.lines().filter(l -> !l.isBlank()).sorted().toList();
  }

  @Test
  void everyTypeRoundTripsThroughCanonicalJsonl() throws IOException {
    String expected = resource("alltypes.jsonl");
    Path input = dir.resolve("alltypes.jsonl");
    Files.writeString(input, expected);

    Path a = dir.resolve("a");
    assertThat(ok("create", p(a), "--schema", ALL_TYPES)).contains("version 0");
    assertThat(ok("append", p(a), "--file", p(input))).contains("appended 5 rows as version 1");
    String out1 = ok("scan", p(a), "--format", "jsonl");
    // the canonical encoding, exactly (rows may come back in any order)
    assertThat(sortedLines(out1)).containsExactlyElementsOf(sortedLines(expected));
    assertThat(out1).endsWith("\n");

    // the scan output appends back unchanged
    Path jsonl = dir.resolve("out1.jsonl");
    Files.writeString(jsonl, out1);
    Path b = dir.resolve("b");
    ok("create", p(b), "--schema", ALL_TYPES);
    ok("append", p(b), "--file", p(jsonl));
    String out2 = ok("scan", p(b), "--format", "jsonl");
    assertThat(sortedLines(out2)).containsExactlyElementsOf(sortedLines(out1));
  }

  @Test
  void otherEncodingsOfTheSameValuesGiveTheCanonicalRows() throws IOException {
    // maps as objects, numbers for decimals, offsets and 9-digit fractions, keys out of order,
    // missing columns, blank lines, a space instead of T
    Path input = dir.resolve("variants.ndjson");
    Files.writeString(input, resource("alltypes-variants.jsonl"));
    Path t = dir.resolve("t");
    ok("create", p(t), "--schema", ALL_TYPES);
    ok("append", p(t), "--file", p(input));
    assertThat(sortedLines(ok("scan", p(t), "--format", "jsonl")))
        .containsExactlyElementsOf(sortedLines(resource("alltypes.jsonl")));
  }

  @Test
  void stdinAndJsonArraysAndJsonOptionsAreOneCommit() throws IOException {
    Path t = dir.resolve("t");
    ok("create", p(t), "--schema", "id long not null, name string");
    Main.Result r = Cli.runWithStdin("{\"id\":1,\"name\":\"a\"}\n\n{\"id\":2}\n", "append", p(t), "--file", "-",
        "--json", "{\"id\":3,\"name\":\"c\"}");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).contains("appended 3 rows as version 1");
    Path arr = dir.resolve("rows.json");
    Files.writeString(arr, "\n[\n  {\"id\": 4, \"name\": \"d\"},\n  {\"id\": 5}\n]\n");
    assertThat(ok("append", p(t), "--file", p(arr))).contains("appended 2 rows as version 2");
    assertThat(sortedLines(ok("scan", p(t), "--format", "jsonl"))).containsExactly(
        "{\"id\":1,\"name\":\"a\"}", "{\"id\":2,\"name\":null}", "{\"id\":3,\"name\":\"c\"}",
        "{\"id\":4,\"name\":\"d\"}", "{\"id\":5,\"name\":null}");
    assertThat(ok("count", p(t))).isEqualTo("5\n");
  }

  @Test
  void manyBatchesStillMakeOneCommit() throws IOException {
    int saved = AppendCommand.batchRows;
    AppendCommand.batchRows = 7;
    try {
      Path t = dir.resolve("t");
      ok("create", p(t), "--schema", "id long not null");
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < 50; i++) {
        sb.append("{\"id\":").append(i).append("}\n");
      }
      Path f = dir.resolve("rows.jsonl");
      Files.writeString(f, sb);
      assertThat(ok("append", p(t), "--file", p(f))).contains("appended 50 rows as version 1");
      assertThat(ok("count", p(t))).isEqualTo("50\n");
      assertThat(ok("history", p(t), "--format", "jsonl").lines().count()).isEqualTo(2);
    } finally {
      AppendCommand.batchRows = saved;
    }
  }

  static final String CSV_SCHEMA = "id long not null, name string, price decimal(7,2), ok boolean, ts timestamp,"
      + " ntz timestamp_ntz, day date, score double, small float, raw binary, n integer";

  @Test
  void csvInAndOut() throws IOException {
    Path t = dir.resolve("t");
    ok("create", p(t), "--schema", CSV_SCHEMA);
    Path csv = dir.resolve("in.csv");
    Files.writeString(csv, "id,name,price,ok,ts,ntz,day,score,small,raw,n\n"
        + "1,\"hello, \"\"world\"\"\",1.5,true,2024-01-02T03:04:05.123Z,2024-01-02T03:04:05,2024-01-02,0.25,1.5,AP8=,-7\n"
        + "2,,,,,,,,,,\n"
        + "3,\"\",-0.01,FALSE,2024-01-02 05:04:05+02:00,2024-01-02 03:04:05.000006,1999-12-31,NaN,-Infinity,,2147483647\n"
        + "4,\"two\nlines\",100,false,,,,1e3,,,\n");
    assertThat(ok("append", p(t), "--file", p(csv))).contains("appended 4 rows as version 1");

    String expectedJson = String.join("\n",
        "{\"id\":1,\"name\":\"hello, \\\"world\\\"\",\"price\":\"1.50\",\"ok\":true,\"ts\":\"2024-01-02T03:04:05.123000Z\","
            + "\"ntz\":\"2024-01-02T03:04:05.000000\",\"day\":\"2024-01-02\",\"score\":0.25,\"small\":1.5,\"raw\":\"AP8=\",\"n\":-7}",
        "{\"id\":2,\"name\":null,\"price\":null,\"ok\":null,\"ts\":null,\"ntz\":null,\"day\":null,\"score\":null,\"small\":null,"
            + "\"raw\":null,\"n\":null}",
        "{\"id\":3,\"name\":\"\",\"price\":\"-0.01\",\"ok\":false,\"ts\":\"2024-01-02T03:04:05.000000Z\","
            + "\"ntz\":\"2024-01-02T03:04:05.000006\",\"day\":\"1999-12-31\",\"score\":\"NaN\",\"small\":\"-Infinity\",\"raw\":null,"
            + "\"n\":2147483647}",
        "{\"id\":4,\"name\":\"two\\nlines\",\"price\":\"100.00\",\"ok\":false,\"ts\":null,\"ntz\":null,\"day\":null,\"score\":1000.0,"
            + "\"small\":null,\"raw\":null,\"n\":null}");
    assertThat(sortedLines(ok("scan", p(t), "--format", "jsonl"))).containsExactlyElementsOf(sortedLines(expectedJson));

    String csvOut = ok("scan", p(t), "--format", "csv");
    List<String> lines = csvOut.lines().toList();
    assertThat(lines.get(0)).isEqualTo("id,name,price,ok,ts,ntz,day,score,small,raw,n");
    assertThat(csvOut).contains(
        "1,\"hello, \"\"world\"\"\",1.50,true,2024-01-02T03:04:05.123000Z,2024-01-02T03:04:05.000000,2024-01-02,0.25,1.5,AP8=,-7\n",
        "2,,,,,,,,,,\n",
        "3,\"\",-0.01,false,2024-01-02T03:04:05.000000Z,2024-01-02T03:04:05.000006,1999-12-31,NaN,-Infinity,,2147483647\n",
        "4,\"two\nlines\",100.00,false,,,,1000.0,,,\n");

    // CSV output appends back to the same rows (null stays null, "" stays empty)
    Path back = dir.resolve("back.csv");
    Files.writeString(back, csvOut);
    Path t2 = dir.resolve("t2");
    ok("create", p(t2), "--schema", CSV_SCHEMA);
    ok("append", p(t2), "--file", p(back));
    assertThat(sortedLines(ok("scan", p(t2), "--format", "jsonl"))).containsExactlyElementsOf(sortedLines(expectedJson));
  }

  @Test
  void csvOutputWritesNestedValuesAsJsonAndHeaderOnlyForEmptyTables() throws IOException {
    Path t = dir.resolve("t");
    ok("create", p(t), "--schema", "id long, tags array<string>, m map<string, long>");
    assertThat(ok("scan", p(t), "--format", "csv")).isEqualTo("id,tags,m\n");
    ok("append", p(t), "--json", "{\"id\":1,\"tags\":[\"a\",\"b,c\"],\"m\":{\"z\":1,\"a\":2}}");
    assertThat(ok("scan", p(t), "--format", "csv"))
        .isEqualTo("id,tags,m\n1,\"[\"\"a\"\",\"\"b,c\"\"]\",\"[[\"\"a\"\",2],[\"\"z\"\",1]]\"\n");
  }
}
