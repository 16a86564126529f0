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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntSupplier;

/**
 * Bounds the backends that every pgmux replica together keeps open to one database ({@code fleet_max_db_connections},
 * N), with PostgreSQL as the only shared state. Each new backend, before any client sees it, takes a session
 * advisory lock on one of N slots ({@value #LOCK_SPACE}, 0..N-1, tried from a random slot on). Advisory locks
 * belong to the database they were taken in, so every database has its own N slots; and a lock lives exactly as
 * long as the backend that holds it, so the slots of a replica that crashed come back as soon as PostgreSQL has
 * seen its connections close, with no lease to expire and no count to correct.
 *
 * <p>Openings of one database try for a slot one at a time ({@link FleetSlotQueue}). When no slot is free the new
 * backend is closed at once and the opening waits, retried about every {@value FleetSlotQueue#RETRY_MILLIS} ms, until
 * {@code connectTimeout}; all the while it counts as one backend logging in for its pool, so clients wait as for a
 * full pool; only then does the pool see a failure (53300).
 *
 * <p>A client's {@code DISCARD ALL}, {@code pg_advisory_unlock_all()} or {@code pg_advisory_unlock} may release its
 * backend's slot (so may a reset query): a backend that was sent such a text checks its slot when it is given back
 * and takes one again ({@link #keepSlot}), or is closed when none is free ({@link FleetSlotDoubt}).
 *
 * <p>Hazard: a backend that has not got its slot yet exists for one round trip, so PostgreSQL may briefly see up to
 * one connection per replica and database above N (leave that headroom below max_connections).
 */
public final class FleetBudgetConnector implements BackendConnector {
    /** The first key of every slot lock: "pgmx" in ASCII, so that the slots stay clear of applications' locks. */
    static final int LOCK_SPACE = 0x70676d78;

    private final BackendConnector delegate;
    private final IntSupplier budget;
    private final Duration connectTimeout;
    /** Per database (each has its own slots): which openings may try for a slot now. */
    private final ConcurrentMap<String, FleetSlotQueue> queues = new ConcurrentHashMap<>();

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
        FleetSlotQueue queue = queues.computeIfAbsent(target.database(), database -> new FleetSlotQueue());
        queue.submit(new FleetSlotQueue.Opening(loop, promise, System.nanoTime() + connectTimeout.toNanos(),
                opening -> attempt(pool, target, queue, opening),
                opening -> opening.promise().tryFailure(noSlot(target))));
        return promise;
    }

    /** One try: a new backend, then the slot statement; the queue hears how it went, whatever the promise's state. */
    private void attempt(Pool pool, BackendTarget target, FleetSlotQueue queue, FleetSlotQueue.Opening opening) {
        int slots = budget.getAsInt();
        Promise<ServerConnection> promise = opening.promise();
        delegate.connect(pool, target, opening.loop()).addListener((Future<ServerConnection> connected) -> {
            if (!connected.isSuccess()) {
                promise.tryFailure(connected.cause());
                queue.failed(opening.loop());
                return;
            }
            ServerConnection server = connected.getNow();
            if (slots <= 0) {
                queue.granted(opening.loop()); // the budget was switched off by a reload meanwhile
                if (!promise.trySuccess(server)) {
                    server.close();
                }
                return;
            }
            server.execute(List.of(takeSlot(slots))).addListener(locked -> {
                if (locked.isSuccess()) {
                    server.tookFleetSlot(slots);
                    if (!promise.trySuccess(server)) {
                        server.close(); // the slot goes with it
                    }
                    queue.granted(opening.loop());
                    return;
                }
                server.close();
                if (!isNoSlot(locked.cause())) {
                    promise.tryFailure(locked.cause());
                    queue.failed(opening.loop());
                } else if (System.nanoTime() < opening.deadlineNanos() && !promise.isDone()) {
                    queue.refused(opening);
                } else {
                    promise.tryFailure(noSlot(target));
                    queue.failed(opening.loop());
                }
            });
        });
    }

    private PgException noSlot(BackendTarget target) {
        return new PgException(Severity.FATAL, SqlState.TOO_MANY_CONNECTIONS, "no free slot of"
                + " fleet_max_db_connections (" + budget.getAsInt() + ") for database " + target.database()
                + " within " + connectTimeout.toMillis() + " ms");
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
