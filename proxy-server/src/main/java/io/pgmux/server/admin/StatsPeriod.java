// stats_period: the figures of the last completed period, for SHOW STATS averages and the log_stats line.
package io.pgmux.server.admin;

import java.util.Map;

/**
 * Keeps the snapshot taken at the start of the current period and the per-database figures of the last completed
 * one, as PgBouncer does for its averages. Until a first period has completed, averages are taken over the time since
 * start. {@link #roll} runs on one scheduler thread; readers (the console, on event loops) take the published map.
 */
final class StatsPeriod {
    /** A completed period: the figures of each database and how long it lasted. */
    record Completed(Map<String, DatabaseTotals> figures, double seconds) {
    }

    private final ServerControl control;
    private Map<String, DatabaseTotals> periodStart;
    private long periodStartMillis;
    private volatile Completed last;

    StatsPeriod(ServerControl control) {
        this.control = control;
        this.periodStartMillis = control.startedAtMillis();
    }

    /** Ends the current period at {@code nowMillis} and starts the next; returns the period just ended. */
    synchronized Completed roll(long nowMillis) {
        Map<String, DatabaseTotals> now = DatabaseTotals.collect(control);
        Map<String, DatabaseTotals> figures = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, DatabaseTotals> e : now.entrySet()) {
            figures.put(e.getKey(), e.getValue().minus(periodStart == null ? null : periodStart.get(e.getKey())));
        }
        Completed completed = new Completed(figures, Math.max(0.001, (nowMillis - periodStartMillis) / 1000.0));
        periodStart = now;
        periodStartMillis = nowMillis;
        last = completed;
        return completed;
    }

    /** The averages of all databases together, as SHOW TOTALS gives them; like {@link #averages} otherwise. */
    Object[] averagesOfAll(DatabaseTotals sinceStart, long nowMillis) {
        Completed completed = last;
        if (completed == null) {
            return sinceStart.averages(Math.max(1, (nowMillis - control.startedAtMillis()) / 1000.0));
        }
        DatabaseTotals all = new DatabaseTotals();
        for (DatabaseTotals figures : completed.figures().values()) {
            all = all.plus(figures);
        }
        return all.averages(completed.seconds());
    }

    /** The averages of {@code database} over the last completed period, or since start before there is one. */
    Object[] averages(String database, DatabaseTotals sinceStart, long nowMillis) {
        Completed completed = last;
        if (completed == null) {
            return sinceStart.averages(Math.max(1, (nowMillis - control.startedAtMillis()) / 1000.0));
        }
        DatabaseTotals figures = completed.figures().get(database);
        return (figures == null ? new DatabaseTotals() : figures).averages(completed.seconds());
    }
}
