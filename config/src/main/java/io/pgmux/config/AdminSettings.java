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
 */
public record AdminSettings(List<String> adminUsers, List<String> statsUsers) {

    public AdminSettings {
        adminUsers = List.copyOf(Objects.requireNonNull(adminUsers, "adminUsers"));
        statsUsers = List.copyOf(Objects.requireNonNull(statsUsers, "statsUsers"));
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
