package io.datashard.cli;

/**
 * A command ran but its outcome is a failure that is not the user's input (a stress run lost rows, a
 * worker process crashed): the CLI prints the message on one line and exits with code 1.
 */
final class FailureException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  FailureException(String message) {
    super(message);
  }
}
