// Takes back the bookkeeping of a request that had no effect on the backend.
package io.pgmux.server.requests;

/**
 * Undoes what pgmux recorded for a request when the backend failed it or skipped it (after an earlier error of its
 * batch): a Parse that failed created no statement, a Close that was skipped forgot nothing. Runs on the client's
 * event loop, at most once.
 */
@FunctionalInterface
public interface Undo {
    void undo();
}
