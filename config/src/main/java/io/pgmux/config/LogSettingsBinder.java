// Binds the top-level log switches (log_connections, log_stats, stats_period, ...) to LogSettings.
package io.pgmux.config;

import java.util.Locale;

/** Reads PgBouncer's log keys from the top level; each takes {@code true}/{@code false} or PgBouncer's 1/0. */
final class LogSettingsBinder {

    private LogSettingsBinder() {
    }

    static LogSettings bind(SectionReader r) {
        LogSettings d = LogSettings.defaults();
        return new LogSettings(
                r.choice("log_connections", d.connections(), LogSettingsBinder::bool),
                r.choice("log_disconnections", d.disconnections(), LogSettingsBinder::bool),
                r.choice("log_pooler_errors", d.poolerErrors(), LogSettingsBinder::bool),
                r.choice("log_stats", d.stats(), LogSettingsBinder::bool),
                r.duration("stats_period", d.statsPeriod(), false));
    }

    static boolean bool(String text, String where) {
        return switch (text.strip().toLowerCase(Locale.ROOT)) {
            case "true", "on", "yes", "1" -> true;
            case "false", "off", "no", "0" -> false;
            default -> throw ConfigException.at(where, "must be true or false, got '" + text + "'");
        };
    }
}
