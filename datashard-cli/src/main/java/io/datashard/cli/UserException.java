package io.datashard.cli;

/**
 * A problem with the user's input or environment (a bad file, a malformed line, a bad option
 * value): the CLI prints its message on one line and exits with code 2.
 */
final class UserException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  UserException(String message) {
    super(message);
  }

  UserException(String message, Throwable cause) {
    super(message, cause);
  }
}
