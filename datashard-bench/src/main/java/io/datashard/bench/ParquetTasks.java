package io.datashard.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.column.ParquetProperties.WriterVersion;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.filter2.compat.FilterCompat;
import org.apache.parquet.filter2.predicate.FilterApi;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.InitContext;
import org.apache.parquet.hadoop.api.ReadSupport;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.Converter;
import org.apache.parquet.io.api.GroupConverter;
import org.apache.parquet.io.api.PrimitiveConverter;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.io.api.RecordMaterializer;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;

/**
 * Raw parquet-java, the library DataShard builds on: the same rows written with a minimal
 * {@link WriteSupport} (no table, no log, no validation, no statistics of our own) and read with
 * a minimal {@link ReadSupport} into {@code Object[]} rows. The same settings as our writer
 * (Parquet 1.0 pages, dictionary encoding, Snappy, one file per {@link BenchData#CHUNK} rows).
 * This is the floor of our write and read overhead.
 */
final class ParquetTasks {
  private ParquetTasks() {}

  static final MessageType SCHEMA = Types.buildMessage()
      .required(PrimitiveTypeName.INT64).named("id")
      .optional(PrimitiveTypeName.INT32).named("k")
      .optional(PrimitiveTypeName.DOUBLE).named("x")
      .optional(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("s")
      .optional(PrimitiveTypeName.INT64).as(LogicalTypeAnnotation.timestampType(true, LogicalTypeAnnotation.TimeUnit.MICROS)).named("ts")
      .optional(PrimitiveTypeName.BOOLEAN).named("b")
      .named("spark_schema");

  static Result run(String task, Params p, Runnable gate) throws IOException {
    return switch (task) {
      case "bulk" -> bulk(p);
      case "scan" -> scan(p);
      default -> throw Child.unknownTask("parquet", task);
    };
  }

  private static Result bulk(Params p) throws IOException {
    long total = p.lng("rows");
    int commits = p.integer("commits");
    Path dir = Files.createDirectories(Path.of(p.str("dir")));
    long start = System.nanoTime();
    int file = 0;
    for (int c = 0; c < commits; c++) {
      long to = BenchData.from(total, commits, c + 1);
      for (long f = BenchData.from(total, commits, c); f < to; f += BenchData.CHUNK) {
        try (ParquetWriter<Long> w = new WriterBuilder(new LocalOutputFile(dir.resolve("part-" + (file++) + ".parquet")))
            .withCompressionCodec(CompressionCodecName.SNAPPY)
            .withWriterVersion(WriterVersion.PARQUET_1_0)
            .withDictionaryEncoding(true)
            .build()) {
          for (long id = f, end = Math.min(to, f + BenchData.CHUNK); id < end; id++) {
            w.write(id);
          }
        }
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    Timing.Check check = read(dir, "full", total);
    return Result.of("seconds", seconds, "rows", check.rows(), "bytes", OursTasks.dataBytes(dir));
  }

  private static Result scan(Params p) {
    long total = p.lng("rows");
    Path dir = Path.of(p.str("dir"));
    String query = p.str("query");
    return Timing.repeat(p.integer("reps"), () -> {
      try {
        return read(dir, query, total);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
  }

  static List<Path> dataFiles(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(f -> f.getFileName().toString().endsWith(".parquet")).sorted().toList();
    }
  }

  private static Timing.Check read(Path dir, String query, long total) throws IOException {
    long rows = 0;
    long sumId = 0;
    long nonNull = 0;
    long[] range = BenchData.selectiveRange(total);
    for (Path f : dataFiles(dir)) {
      ReaderBuilder b = new ReaderBuilder(new LocalInputFile(f), query.equals("project"));
      if (query.equals("select")) {
        b.withFilter(FilterCompat.get(FilterApi.and(FilterApi.gtEq(FilterApi.longColumn("id"), range[0]),
            FilterApi.lt(FilterApi.longColumn("id"), range[1]))));
      }
      try (ParquetReader<Object[]> r = b.build()) {
        Object[] row;
        while ((row = r.read()) != null) {
          rows++;
          sumId += (Long) row[0];
          for (Object v : row) {
            if (v != null) {
              nonNull++;
            }
          }
        }
      }
    }
    return new Timing.Check(rows, sumId, nonNull);
  }

  private static final class WriterBuilder extends ParquetWriter.Builder<Long, WriterBuilder> {
    WriterBuilder(LocalOutputFile file) {
      super(file);
    }

    @Override
    protected WriterBuilder self() {
      return this;
    }

    @Override
    protected WriteSupport<Long> getWriteSupport(Configuration conf) {
      return new RowWriteSupport();
    }

    @Override
    protected WriteSupport<Long> getWriteSupport(ParquetConfiguration conf) {
      return new RowWriteSupport();
    }
  }

  /** Writes the bulk row of the given id straight into the record consumer. */
  private static final class RowWriteSupport extends WriteSupport<Long> {
    private RecordConsumer out;

    @Override
    public WriteContext init(Configuration configuration) {
      return new WriteContext(SCHEMA, Map.of());
    }

    @Override
    public WriteContext init(ParquetConfiguration configuration) {
      return new WriteContext(SCHEMA, Map.of());
    }

    @Override
    public void prepareForWrite(RecordConsumer recordConsumer) {
      out = recordConsumer;
    }

    @Override
    public void write(Long boxed) {
      long id = boxed;
      out.startMessage();
      out.startField("id", 0);
      out.addLong(id);
      out.endField("id", 0);
      out.startField("k", 1);
      out.addInteger(BenchData.k(id));
      out.endField("k", 1);
      out.startField("x", 2);
      out.addDouble(BenchData.x(id));
      out.endField("x", 2);
      out.startField("s", 3);
      out.addBinary(Binary.fromString(BenchData.s(id)));
      out.endField("s", 3);
      out.startField("ts", 4);
      out.addLong(BenchData.tsMicros(id));
      out.endField("ts", 4);
      out.startField("b", 5);
      out.addBoolean(BenchData.b(id));
      out.endField("b", 5);
      out.endMessage();
    }
  }

  private static final class ReaderBuilder extends ParquetReader.Builder<Object[]> {
    private final boolean project;

    ReaderBuilder(InputFile file, boolean project) {
      super(file);
      this.project = project;
    }

    @Override
    protected ReadSupport<Object[]> getReadSupport() {
      return new RowReadSupport(project);
    }
  }

  /** Materializes each record as an {@code Object[]} of the requested columns (Java values). */
  private static final class RowReadSupport extends ReadSupport<Object[]> {
    private final boolean project;

    RowReadSupport(boolean project) {
      this.project = project;
    }

    @Override
    public ReadContext init(InitContext context) {
      MessageType file = context.getFileSchema();
      if (!project) {
        return new ReadContext(file);
      }
      return new ReadContext(new MessageType(file.getName(), file.getType("id"), file.getType("x")));
    }

    @Override
    public RecordMaterializer<Object[]> prepareForRead(Configuration conf, Map<String, String> meta, MessageType fileSchema,
        ReadContext context) {
      return new RowMaterializer(context.getRequestedSchema());
    }

    @Override
    public RecordMaterializer<Object[]> prepareForRead(ParquetConfiguration conf, Map<String, String> meta,
        MessageType fileSchema, ReadContext context) {
      return new RowMaterializer(context.getRequestedSchema());
    }
  }

  private static final class RowMaterializer extends RecordMaterializer<Object[]> {
    private final Object[][] current = new Object[1][];
    private final GroupConverter root;

    RowMaterializer(MessageType schema) {
      int n = schema.getFieldCount();
      Converter[] converters = new Converter[n];
      Map<Integer, Boolean> isString = new HashMap<>();
      for (int i = 0; i < n; i++) {
        int idx = i;
        isString.put(i, schema.getType(i).getLogicalTypeAnnotation() instanceof LogicalTypeAnnotation.StringLogicalTypeAnnotation);
        boolean str = isString.get(i);
        converters[i] = new PrimitiveConverter() {
          @Override
          public void addLong(long v) {
            current[0][idx] = v;
          }

          @Override
          public void addInt(int v) {
            current[0][idx] = v;
          }

          @Override
          public void addDouble(double v) {
            current[0][idx] = v;
          }

          @Override
          public void addBoolean(boolean v) {
            current[0][idx] = v;
          }

          @Override
          public void addBinary(Binary v) {
            current[0][idx] = str ? v.toStringUsingUTF8() : v.getBytes();
          }
        };
      }
      root = new GroupConverter() {
        @Override
        public Converter getConverter(int fieldIndex) {
          return converters[fieldIndex];
        }

        @Override
        public void start() {
          current[0] = new Object[n];
        }

        @Override
        public void end() {}
      };
    }

    @Override
    public Object[] getCurrentRecord() {
      return current[0];
    }

    @Override
    public GroupConverter getRootConverter() {
      return root;
    }
  }
}
