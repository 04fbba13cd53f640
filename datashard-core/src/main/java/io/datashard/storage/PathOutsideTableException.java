package io.datashard.storage;

import java.io.IOException;

/** A path would lead outside the table root (through {@code ..}, an absolute path or a symbolic link); nothing was accessed. */
public class PathOutsideTableException extends IOException {
  private static final long serialVersionUID = 1L;

  /** @param message names the path and the table root */
  public PathOutsideTableException(String message) {
    super(message);
  }
}
