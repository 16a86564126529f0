package io.pgmux.pool;

import java.time.Duration;

/**
 * The settings one pool enforces.
 *
 * @param maxSize          most backends open at once (default_pool_size)
 * @param queryWaitTimeout how long a client may wait for a backend before it gets an error
 * @param resetQuery       run when a session-mode client leaves (server_reset_query); empty for none
 */
public record PoolLimits(int maxSize, Duration queryWaitTimeout, String resetQuery) {
}
