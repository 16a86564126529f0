// Opens a backend only while it can take a slot of the fleet's budget, kept in PostgreSQL as an advisory lock.
package io.pgmux.pool;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.pgmux.protocol.PgException;
import io.pgmux.protocol.Severity;
import io.pgmux.protocol.SqlState;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * Bounds the backends that every pgmux replica together keeps open to one database ({@code fleet_max_db_connections},
 * N), with PostgreSQL as the only shared state. Each new backend, before any client sees it, takes a session
 * advisory lock on one of N slots ({@value #LOCK_SPACE}, 0..N-1, tried from a random slot on). Advisory locks
 * belong to the database they were taken in, so every database has its own N slots; and a lock lives exactly as
 * long as the backend that holds it, so the slots of a replica that crashed come back as soon as PostgreSQL has
 * seen its connections close, with no lease to expire and no count to correct.
 *
 * <p>When no slot is free the new backend is closed at once and the attempt repeated every
 * {@value #RETRY_MILLIS} ms or so (jittered) until {@code connectTimeout}, all the while counting as one backend
 * logging in for its pool, so clients wait as for a full pool; only then does the pool see a failure (53300).
 *
 * <p>A client's {@code DISCARD ALL}, {@code pg_advisory_unlock_all()} or {@code pg_advisory_unlock} may release its
 * backend's slot (so may a reset query): a backend that was sent such a text checks its slot when it is given back
 * and takes one again ({@link #keepSlot}), or is closed when none is free ({@link FleetSlotDoubt}).
 *
 * <p>Hazard: a backend that has not got its slot yet exists for one round trip, so PostgreSQL may briefly see up to
 * one connection per opening replica above N (leave that headroom below max_connections).
 */
public final class FleetBudgetConnector implements BackendConnector {
    /** The first key of every slot lock: "pgmx" in ASCII, so that the slots stay clear of applications' locks. */
    static final int LOCK_SPACE = 0x70676d78;
    private static final long RETRY_MILLIS = 250;

    private final BackendConnector delegate;
    private final IntSupplier budget;
    private final Duration connectTimeout;

    /**
     * @param budget         the configuration in force: N, or 0 for no fleet budget (read at every opening)
     * @param connectTimeout how long one opening may try for a slot (server_connect_timeout)
     */
    public FleetBudgetConnector(BackendConnector delegate, IntSupplier budget, Duration connectTimeout) {
        this.delegate = delegate;
        this.budget = budget;
        this.connectTimeout = connectTimeout;
    }

    @Override
    public Future<ServerConnection> connect(Pool pool, BackendTarget target, EventLoop loop) {
        if (budget.getAsInt() <= 0) {
            return delegate.connect(pool, target, loop);
        }
        Promise<ServerConnection> promise = loop.newPromise();
        attempt(pool, target, loop, promise, System.nanoTime() + connectTimeout.toNanos());
        return promise;
    }

    private void attempt(Pool pool, BackendTarget target, EventLoop loop, Promise<ServerConnection> promise,
                         long deadline) {
        int slots = budget.getAsInt();
        delegate.connect(pool, target, loop).addListener((Future<ServerConnection> connected) -> {
            if (!connected.isSuccess()) {
                promise.tryFailure(connected.cause());
                return;
            }
            ServerConnection server = connected.getNow();
            if (slots <= 0) {
                promise.trySuccess(server); // the budget was switched off by a reload meanwhile
                return;
            }
            server.execute(List.of(takeSlot(slots))).addListener(locked -> {
                if (locked.isSuccess()) {
                    server.tookFleetSlot(slots);
                    if (!promise.trySuccess(server)) {
                        server.close();
                    }
                    return;
                }
                server.close();
                if (!isNoSlot(locked.cause())) {
                    promise.tryFailure(locked.cause());
                } else if (System.nanoTime() < deadline && !promise.isDone()) {
                    long delay = RETRY_MILLIS / 2 + ThreadLocalRandom.current().nextLong(RETRY_MILLIS);
                    loop.schedule(() -> attempt(pool, target, loop, promise, deadline), delay, TimeUnit.MILLISECONDS);
                } else {
                    promise.tryFailure(new PgException(Severity.FATAL, SqlState.TOO_MANY_CONNECTIONS,
                            "no free slot of fleet_max_db_connections (" + slots + ") for database "
                                    + target.database() + " within " + connectTimeout.toMillis() + " ms"));
                }
            });
        });
    }

    /**
     * One statement: takes the first free slot from a random start, or fails with 53300. EXISTS stops at the first
     * row its subquery returns, and a row is returned only by a lock that was taken, so at most one slot is held.
     */
    static String takeSlot(int slots) {
        int start = ThreadLocalRandom.current().nextInt(slots);
        return "DO $pgmux$ BEGIN IF NOT EXISTS (SELECT 1 FROM generate_series(0, " + (slots - 1) + ") AS s"
                + " WHERE pg_try_advisory_lock(" + LOCK_SPACE + ", (s + " + start + ") % " + slots + ")) THEN"
                + " RAISE EXCEPTION 'no free fleet slot' USING ERRCODE = '" + SqlState.TOO_MANY_CONNECTIONS + "';"
                + " END IF; END $pgmux$";
    }

    /**
     * One statement for a backend that held a slot and may have lost it: nothing when it still holds one (pg_locks
     * shows its own locks), else it takes a free one as {@link #takeSlot} does, or fails with 53300.
     */
    static String keepSlot(int slots) {
        int start = ThreadLocalRandom.current().nextInt(slots);
        return "DO $pgmux$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted"
                + " AND pid = pg_backend_pid() AND classid = " + LOCK_SPACE + " AND objsubid = 2)"
                + " AND NOT EXISTS (SELECT 1 FROM generate_series(0, " + (slots - 1) + ") AS s"
                + " WHERE pg_try_advisory_lock(" + LOCK_SPACE + ", (s + " + start + ") % " + slots + ")) THEN"
                + " RAISE EXCEPTION 'no free fleet slot' USING ERRCODE = '" + SqlState.TOO_MANY_CONNECTIONS + "';"
                + " END IF; END $pgmux$";
    }

    private static boolean isNoSlot(Throwable cause) {
        return cause instanceof PgException e && SqlState.TOO_MANY_CONNECTIONS.equals(e.sqlState());
    }
}
