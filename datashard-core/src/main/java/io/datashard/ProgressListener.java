package io.datashard;

/**
 * Receives the progress of a long maintenance operation ({@link Table#optimize()}, {@link
 * Table#vacuum()}, {@link Table#verify(boolean)}), on the thread running it.
 */
@FunctionalInterface
public interface ProgressListener {
  /** Ignores progress. */
  ProgressListener NONE = (phase, done, total) -> { };

  /**
   * Called when a phase starts and as it advances.
   *
   * @param phase what is being done, e.g. {@code "rewriting files"}
   * @param done units done so far in this phase
   * @param total units in this phase
   */
  void progress(String phase, long done, long total);
}
