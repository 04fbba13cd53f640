package io.datashard.bench.micro;

import io.datashard.Durability;
import io.datashard.Expressions;
import io.datashard.Row;
import io.datashard.Schema;
import io.datashard.StructType;
import io.datashard.Table;
import io.datashard.TableOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * JMH micro-benchmarks of DataShard's hot paths, through the public API: the commit path of a
 * one-row append without fsync (log replay, conflict check, log entry), row conversion plus
 * statistics plus Parquet encoding of a 10,000-row append (Map rows and Row rows), data skipping
 * by file statistics on a 200-file table, and row-level predicate evaluation over a 100,000-row
 * file where statistics cannot skip anything. Run with {@code ./datashard bench jmh}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
public class HotPaths {
  private static final String SCHEMA = "id long not null, k int, x double, s string, ts timestamp, b boolean";
  private static final TableOptions NO_SYNC = TableOptions.builder().durability(Durability.NO_SYNC).build();

  private Path dir;
  private Table commitTable;
  private Table appendTable;
  private Table skipTable;
  private Table filterTable;
  private List<Map<String, Object>> mapRows;
  private List<Row> rowRows;
  private long next;

  /** Creates the tables in a temporary directory. */
  @Setup(Level.Trial)
  public void setUp() throws IOException {
    dir = Files.createTempDirectory("datashard-jmh");
    Schema schema = Schema.parse(SCHEMA);
    StructType type = schema.asStruct();
    commitTable = Table.define(dir.resolve("commit").toString(), schema).options(NO_SYNC).create();
    appendTable = Table.define(dir.resolve("append").toString(), schema).options(NO_SYNC).create();
    skipTable = Table.define(dir.resolve("skip").toString(), schema).options(NO_SYNC).create();
    filterTable = Table.define(dir.resolve("filter").toString(), schema).options(NO_SYNC).create();
    mapRows = new ArrayList<>();
    rowRows = new ArrayList<>();
    for (long id = 0; id < 10_000; id++) {
      Map<String, Object> m = new HashMap<>();
      m.put("id", id);
      m.put("k", (int) (id % 1000));
      m.put("x", id * 0.25);
      m.put("s", "name-" + (id % 10_007));
      m.put("ts", Instant.ofEpochSecond(1_700_000_000L + id));
      m.put("b", id % 2 == 0);
      mapRows.add(m);
      rowRows.add(Row.of(type, id, (int) (id % 1000), id * 0.25, "name-" + (id % 10_007),
          Instant.ofEpochSecond(1_700_000_000L + id), id % 2 == 0));
    }
    for (int f = 0; f < 200; f++) {
      skipTable.append(rowRows.subList(f * 50, f * 50 + 50));
    }
    List<Row> many = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      many.addAll(rowRows);
    }
    filterTable.append(many);
  }

  /** Deletes the temporary directory. */
  @TearDown(Level.Trial)
  public void tearDown() {
    for (Table t : List.of(commitTable, appendTable, skipTable, filterTable)) {
      t.close();
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One-row append without fsync: the commit path's CPU and file-system work. */
  @Benchmark
  public long commitOneRow() {
    return commitTable.append(List.of(Map.of("id", next++))).version();
  }

  /** 10,000 Map rows: validation and conversion, statistics, Parquet encoding, one commit. */
  @Benchmark
  public long appendMapRows() {
    return appendTable.append(mapRows).rowsInserted();
  }

  /** The same 10,000 rows as {@link Row} values (already typed). */
  @Benchmark
  public long appendRowRows() {
    return appendTable.append(rowRows).rowsInserted();
  }

  /** A point query on a 200-file table: file statistics leave one file to read. */
  @Benchmark
  public long skipByStats() {
    return skipTable.newScan().where(Expressions.equal("id", 5_025L)).count();
  }

  /** A predicate no statistic can decide (k = 7 in every file): evaluated on all 100,000 rows. */
  @Benchmark
  public long evaluatePredicate() {
    return filterTable.newScan().where(Expressions.and(Expressions.equal("k", 7), Expressions.greaterThan("x", 10.0)))
        .count();
  }
}
