package io.datashard.internal.maintenance;

import io.datashard.TableOptions;
import io.datashard.internal.commit.Committer;
import io.datashard.internal.log.TableLog;
import io.datashard.internal.log.TableState;
import io.datashard.internal.table.DataFiles;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * What a maintenance job needs of a table handle.
 *
 * @param refresh returns the handle's newest state, looking for new versions
 * @param onCommit records a commit made by a job (metrics, cached state, checkpoints, checksums)
 * @param localRoot the table's local root for absolute data paths, or null if not local
 */
public record TableContext(String location, TableLog log, TableOptions options, DataFiles dataFiles,
    Supplier<TableState> refresh, Consumer<Committer.Outcome> onCommit, String localRoot) {}
