package io.datashard;

/** Whether commits are forced to stable storage before they are acknowledged. */
public enum Durability {
  /**
   * Every data file, log entry and directory change is fsync'd before the commit returns: an
   * acknowledged commit survives a power loss. The default.
   */
  SYNC,
  /**
   * Nothing is fsync'd: an acknowledged commit survives a process crash but may be lost (with
   * everything after it) on a power loss or kernel crash. For tests and reloadable bulk loads.
   */
  NO_SYNC
}
