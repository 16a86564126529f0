// Who may use the admin console, and how pgmux logs.
package io.pgmux.config;

import java.util.List;
import java.util.Objects;

/**
 * Operations settings: the users allowed on the admin console (the virtual database {@code pgbouncer}, alias
 * {@code pgmux}) and the log layout. Admin and stats users authenticate like any other user, so each must also be
 * listed under {@code users} (or {@code auth_type} must be {@code trust}).
 *
 * @param adminUsers {@code admin_users}: may run every console command, including PAUSE, RELOAD and SHUTDOWN
 * @param statsUsers {@code stats_users}: may run the read-only SHOW commands only
 * @param logging    {@code log_connections}, {@code log_stats} and the other log switches
 */
public record AdminSettings(List<String> adminUsers, List<String> statsUsers, LogSettings logging) {

    public AdminSettings {
        adminUsers = List.copyOf(Objects.requireNonNull(adminUsers, "adminUsers"));
        statsUsers = List.copyOf(Objects.requireNonNull(statsUsers, "statsUsers"));
        logging = logging == null ? LogSettings.defaults() : logging;
    }

    /** Console users with the default log switches. */
    public AdminSettings(List<String> adminUsers, List<String> statsUsers) {
        this(adminUsers, statsUsers, LogSettings.defaults());
    }

    /** No console users: the console refuses everyone. */
    public static AdminSettings none() {
        return new AdminSettings(List.of(), List.of());
    }

    public boolean isAdmin(String user) {
        return adminUsers.contains(user);
    }

    /** Admin users may also do everything a stats user may. */
    public boolean maySee(String user) {
        return adminUsers.contains(user) || statsUsers.contains(user);
    }
}
