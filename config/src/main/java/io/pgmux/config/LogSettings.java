// What pgmux writes to its log, with PgBouncer's switches.
package io.pgmux.config;

import java.time.Duration;
import java.util.Objects;

/**
 * The log switches PgBouncer users know, under the same names and with the same defaults (all on, stats every
 * 60 s). They are read from the configuration in force, so RELOAD changes them for what happens next.
 *
 * @param connections    {@code log_connections}: a line for every client login
 * @param disconnections {@code log_disconnections}: a line for every client that leaves, with the reason
 * @param poolerErrors   {@code log_pooler_errors}: a line for every error pgmux itself sends a client
 * @param stats          {@code log_stats}: a line per database every {@code statsPeriod} with its rates
 * @param statsPeriod    {@code stats_period}: how often, and over how long, the stats line averages
 */
public record LogSettings(boolean connections, boolean disconnections, boolean poolerErrors, boolean stats,
        Duration statsPeriod) {

    /** PgBouncer's default period. */
    public static final Duration DEFAULT_STATS_PERIOD = Duration.ofSeconds(60);

    public LogSettings {
        Objects.requireNonNull(statsPeriod, "statsPeriod");
        if (statsPeriod.isNegative() || statsPeriod.isZero()) {
            throw new IllegalArgumentException("statsPeriod must be > 0, got " + statsPeriod);
        }
    }

    /** Everything on, as in PgBouncer. */
    public static LogSettings defaults() {
        return new LogSettings(true, true, true, true, DEFAULT_STATS_PERIOD);
    }
}
