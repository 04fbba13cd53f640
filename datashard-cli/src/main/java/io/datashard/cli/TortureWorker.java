package io.datashard.cli;

import io.datashard.CommitFailedException;
import io.datashard.CommitOutcomeUnknownException;
import io.datashard.ConcurrentModificationException;
import io.datashard.Durability;
import io.datashard.Table;
import io.datashard.TableOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A writer process of {@code datashard torture}: runs random {@link TortureOp operations} on the
 * table until its standard input closes (then exits 0) or it is killed. Before each operation it
 * writes the intent ({@code I}) to its acknowledgement file; after the commit returned it writes
 * the acknowledgement ({@code A}) and fsyncs the file before the next operation. An operation that
 * fails in a way concurrency allows (retries exhausted, conflict, unknown outcome) is recorded as
 * {@code X} and the worker exits with {@value #ABANDONED}, to be replaced by a fresh incarnation
 * (its view of its own rows is no longer certain). Anything else: stack trace on stderr, exit 1.
 *
 * <p>Arguments: {@code TABLE RUN_ID WRITER SEED ACK_FILE OPS DURABILITY}, where WRITER is the
 * incarnation number (unique in the run), OPS a comma-separated list of {@link TortureOp} names.
 *
 * <p>Lines of the acknowledgement file: {@code TYPE SEQ OP field=value...}, tab-separated.
 */
public final class TortureWorker {
  /** Exit code after an operation failed in a way concurrent writers may cause. */
  static final int ABANDONED = 4;

  private TortureWorker() {}

  public static void main(String[] args) {
    Main.configureLogging();
    int code;
    try {
      code = run(args);
    } catch (Throwable t) {
      System.err.println("torture worker failed: " + t);
      t.printStackTrace();
      code = 1;
    }
    System.exit(code);
  }

  static int run(String[] args) throws IOException {
    if (args.length != 7) {
      throw new IllegalArgumentException("expected TABLE RUN_ID WRITER SEED ACK_FILE OPS DURABILITY");
    }
    String target = args[0];
    String runId = args[1];
    int writer = Integer.parseInt(args[2]);
    long seed = Long.parseLong(args[3]);
    Path ackFile = Path.of(args[4]);
    List<TortureOp> ops = new ArrayList<>();
    for (String name : args[5].split(",")) {
      ops.add(TortureOp.byName(name));
    }
    Durability durability = Durability.valueOf(args[6]);
    Thread watcher = new Thread(TortureWorker::awaitEndOfInput, "stdin-watcher");
    watcher.setDaemon(true);
    watcher.start();
    TortureModel model = new TortureModel();
    try (Table table = Table.open(target, TableOptions.builder().durability(durability).build());
        FileChannel acks = FileChannel.open(ackFile, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
            StandardOpenOption.APPEND)) {
      TortureOp.Context c = new TortureOp.Context(table, runId, writer, new Random(seed), model);
      for (long seq = 0; watcher.isAlive(); seq++) {
        TortureOp op = TortureOp.choose(ops, model, c.random());
        Map<String, String> plan = op.plan(c, seq);
        // Not fsync'd: it only has to survive the death of this process, which the page cache does.
        write(acks, 'I', seq, op, plan);
        Map<String, String> ack;
        try {
          ack = op.run(c, seq, plan);
        } catch (ConcurrentModificationException | CommitFailedException | CommitOutcomeUnknownException e) {
          write(acks, 'X', seq, op, Map.of("error", e.getClass().getSimpleName()));
          acks.force(true);
          System.err.println("operation " + seq + " (" + op.cliName() + ") abandoned: " + Main.oneLine(e.getMessage()));
          return ABANDONED;
        }
        write(acks, 'A', seq, op, ack);
        acks.force(true);
        op.apply(model, seq, plan);
      }
    }
    return 0;
  }

  private static void awaitEndOfInput() {
    try (InputStream in = System.in) {
      while (in.read() >= 0) {
        // the coordinator never writes; end of input is the signal to stop
      }
    } catch (IOException e) {
      // the coordinator is gone: stop as well
    }
  }

  /** Appends one line to an acknowledgement file. */
  static void write(FileChannel ch, char type, long seq, TortureOp op, Map<String, String> fields)
      throws IOException {
    StringBuilder sb = new StringBuilder().append(type).append('\t').append(seq).append('\t').append(op.cliName());
    fields.forEach((k, v) -> sb.append('\t').append(k).append('=').append(v));
    ByteBuffer b = ByteBuffer.wrap(sb.append('\n').toString().getBytes(StandardCharsets.UTF_8));
    while (b.hasRemaining()) {
      ch.write(b);
    }
  }
}
