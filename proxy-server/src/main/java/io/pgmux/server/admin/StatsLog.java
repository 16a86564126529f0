// log_stats: every stats_period, one line per database with PgBouncer's rates.
package io.pgmux.server.admin;

import io.netty.util.concurrent.EventExecutor;
import io.pgmux.config.LogSettings;
import io.pgmux.server.logging.LogSafe;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends a {@link StatsPeriod} every {@code stats_period} and, with {@code log_stats} on, logs for each database with
 * traffic the line PgBouncer writes ({@code stats: 12 xacts/s, 30 queries/s, ...}). It schedules itself again with
 * the period in force, so RELOAD changes the next period; the executor's shutdown ends it.
 */
public final class StatsLog implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(StatsLog.class);

    private final ServerControl control;
    private final EventExecutor executor;

    private StatsLog(ServerControl control, EventExecutor executor) {
        this.control = control;
        this.executor = executor;
    }

    /** Starts the periods on {@code executor}, which must not be an event loop that carries clients. */
    public static void start(ServerControl control, EventExecutor executor) {
        new StatsLog(control, executor).scheduleNext();
    }

    @Override
    public void run() {
        try {
            StatsPeriod.Completed period = control.statsPeriod().roll(System.currentTimeMillis());
            if (control.config().admin().logging().stats()) {
                for (Map.Entry<String, DatabaseTotals> e : period.figures().entrySet()) {
                    DatabaseTotals d = e.getValue();
                    if (d.xacts + d.queries + d.received > 0) {
                        log.info("stats: {}: {}", LogSafe.escape(e.getKey()), line(d, period.seconds()));
                    }
                }
            }
        } catch (RuntimeException e) {
            log.warn("stats period failed", e);
        } finally {
            scheduleNext();
        }
    }

    /** PgBouncer's wording, so that scripts reading its log read this one. */
    static String line(DatabaseTotals d, double seconds) {
        Object[] a = d.averages(seconds);
        return a[0] + " xacts/s, " + a[1] + " queries/s, " + a[8] + " client parses/s, " + a[9]
                + " server parses/s, 0 binds/s, in " + a[3] + " B/s, out " + a[4] + " B/s, xact " + a[5]
                + " us, query " + a[6] + " us, wait " + a[7] + " us";
    }

    private void scheduleNext() {
        if (executor.isShuttingDown()) {
            return;
        }
        LogSettings settings = control.config().admin().logging();
        executor.schedule(this, settings.statsPeriod().toMillis(), TimeUnit.MILLISECONDS);
    }
}
