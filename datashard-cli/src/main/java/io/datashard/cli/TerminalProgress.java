package io.datashard.cli;

import io.datashard.ProgressListener;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A progress bar on stderr for long maintenance commands, one bar per phase; silent when the
 * process has no terminal (pipes, files, tests), so output stays clean for scripts.
 */
final class TerminalProgress implements ProgressListener, AutoCloseable {
  private final boolean enabled;
  private ProgressBar bar;
  private String phase;

  private TerminalProgress(boolean enabled) {
    this.enabled = enabled;
  }

  /** A listener that draws only when stdin and stdout are a terminal. */
  static TerminalProgress create() {
    return new TerminalProgress(System.console() != null);
  }

  @Override
  public void progress(String phase, long done, long total) {
    if (!enabled) {
      return;
    }
    if (bar == null || !phase.equals(this.phase)) {
      close();
      this.phase = phase;
      bar = new ProgressBarBuilder().setTaskName(phase).setInitialMax(total).setStyle(ProgressBarStyle.ASCII)
          .continuousUpdate().build();
    }
    bar.maxHint(total);
    bar.stepTo(done);
  }

  @Override
  public void close() {
    if (bar != null) {
      bar.close();
      bar = null;
    }
  }
}
