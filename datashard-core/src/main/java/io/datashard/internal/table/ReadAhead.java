package io.datashard.internal.table;

import io.datashard.CloseableIterator;
import java.lang.ref.Cleaner;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Reads a list of sources (data files) on a few threads and returns their elements in source order,
 * exactly as reading them one after another would, but with later sources read while earlier ones
 * are consumed.
 *
 * <p>Memory stays bounded whatever the number of sources: at most {@code 2 * threads} sources are
 * taken ahead of the consumer, and each holds at most {@value #QUEUED_BATCHES} batches of {@value
 * #BATCH} elements. A failure reading a source is thrown by {@link #hasNext()} when the consumer
 * reaches that source, so errors surface where a sequential read would raise them.
 *
 * <p>The threads stop when the iterator is closed, exhausted, or becomes unreachable without being
 * closed (a {@link Cleaner} stops them then).
 *
 * @param <S> the source type
 * @param <T> the element type
 */
final class ReadAhead<S, T> implements CloseableIterator<T> {
  static final int BATCH = 256;
  static final int QUEUED_BATCHES = 4;
  private static final Cleaner CLEANER = Cleaner.create();

  /** What the threads share; it must not refer to the iterator, or the cleaner could never run. */
  private static final class Shared<S, T> implements Runnable {
    final List<S> sources;
    final Function<S, CloseableIterator<T>> open;
    final AtomicInteger nextSource = new AtomicInteger();
    /** Sources that may be taken ahead of the one being consumed. */
    final Semaphore window;
    final ConcurrentHashMap<Integer, BlockingQueue<Object>> queues = new ConcurrentHashMap<>();
    final ExecutorService pool;
    volatile boolean stopped;

    Shared(List<S> sources, Function<S, CloseableIterator<T>> open, int threads, String name) {
      this.sources = sources;
      this.open = open;
      this.window = new Semaphore(2 * threads);
      AtomicInteger n = new AtomicInteger();
      this.pool = Executors.newFixedThreadPool(threads, r -> {
        Thread t = new Thread(r, name + "-" + n.incrementAndGet());
        t.setDaemon(true);
        return t;
      });
      for (int i = 0; i < threads; i++) {
        pool.execute(this::work);
      }
      pool.shutdown();
    }

    BlockingQueue<Object> queue(int source) {
      return queues.computeIfAbsent(source, k -> new ArrayBlockingQueue<>(QUEUED_BATCHES + 1));
    }

    /** Takes sources in order and queues their elements in batches, then an end or failure marker. */
    private void work() {
      try {
        while (!stopped) {
          window.acquire();
          int i = nextSource.getAndIncrement();
          if (i >= sources.size()) {
            return;
          }
          BlockingQueue<Object> queue = queue(i);
          try (CloseableIterator<T> it = open.apply(sources.get(i))) {
            List<T> batch = new ArrayList<>(BATCH);
            while (!stopped && it.hasNext()) {
              batch.add(it.next());
              if (batch.size() == BATCH) {
                queue.put(batch);
                batch = new ArrayList<>(BATCH);
              }
            }
            if (!batch.isEmpty()) {
              queue.put(batch);
            }
            queue.put(End.END);
          } catch (RuntimeException | Error e) {
            queue.put(new Failure(e));
          }
        }
      } catch (InterruptedException e) {
        // Stopped: the consumer has gone.
        Thread.currentThread().interrupt();
      }
    }

    /** Stops the threads; run on close, or by the cleaner if the iterator was dropped unclosed. */
    @Override
    public void run() {
      stopped = true;
      pool.shutdownNow();
      queues.clear();
    }
  }

  private enum End { END }

  private record Failure(Throwable error) {}

  private final Shared<S, T> shared;
  private final Consumer<S> onStart;
  private final Cleaner.Cleanable cleanable;
  private int source = -1;
  private BlockingQueue<Object> queue;
  private Iterator<T> batch = Collections.emptyIterator();
  private boolean done;

  /**
   * Starts reading.
   *
   * @param sources what to read, in order
   * @param open opens a source's elements; called on the reading threads
   * @param onStart called on the consumer's thread when the consumer reaches a source
   * @param threads how many threads read (at least 1)
   * @param name the threads' name prefix
   */
  ReadAhead(List<S> sources, Function<S, CloseableIterator<T>> open, Consumer<S> onStart, int threads, String name) {
    this.shared = new Shared<>(List.copyOf(sources), open, threads, name);
    this.onStart = onStart;
    this.cleanable = CLEANER.register(this, shared);
  }

  @Override
  public boolean hasNext() {
    while (!done && !batch.hasNext()) {
      if (queue == null) {
        if (source + 1 >= shared.sources.size()) {
          close();
          return false;
        }
        source++;
        onStart.accept(shared.sources.get(source));
        queue = shared.queue(source);
      }
      Object item;
      try {
        item = queue.take();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        close();
        throw new IllegalStateException("interrupted while waiting for a data file to be read", e);
      }
      if (item == End.END) {
        shared.queues.remove(source);
        queue = null;
        shared.window.release();
      } else if (item instanceof Failure f) {
        close();
        if (f.error() instanceof RuntimeException r) {
          throw r;
        }
        throw (Error) f.error();
      } else {
        @SuppressWarnings("unchecked")
        List<T> rows = (List<T>) item;
        batch = rows.iterator();
      }
    }
    return !done && batch.hasNext();
  }

  @Override
  public T next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    return batch.next();
  }

  @Override
  public void close() {
    done = true;
    batch = Collections.emptyIterator();
    cleanable.clean();
  }
}
