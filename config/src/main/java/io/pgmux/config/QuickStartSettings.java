// Settings given as command-line flags for a quick start without a configuration file.
package io.pgmux.config;

/**
 * Command-line "quick start" flags; every component is {@code null} when the flag was not given. Flags override the
 * environment, which overrides the configuration file. Values are validated by {@link ConfigLoader}, whose errors
 * name the flag (e.g. {@code "--pool-size: must be >= 1, got 0"}).
 *
 * <p>Hazard: {@code backendUrl} may contain a password; {@link #toString()} masks the whole URL.
 *
 * @param backendUrl    {@code --backend postgresql://USER:PASSWORD@HOST:PORT/DB}: adds database DB and client user USER
 * @param listen        {@code --listen HOST:PORT}: sets {@code listen}
 * @param poolMode      {@code --pool-mode}: sets {@code pool.mode}
 * @param poolSize      {@code --pool-size}: sets {@code pool.default_pool_size}
 * @param maxClientConn {@code --max-client-conn}: sets {@code pool.max_client_conn}
 * @param adminListen   {@code --admin-listen HOST:PORT}: sets {@code admin_listen}
 * @param adminUsers    {@code --admin-users a,b}: sets {@code admin_users}
 * @param statsUsers    {@code --stats-users c}: sets {@code stats_users}
 */
public record QuickStartSettings(String backendUrl, String listen, PoolMode poolMode, Integer poolSize,
        Integer maxClientConn, String adminListen, String adminUsers, String statsUsers) {

    /** The flags of the first releases, without the admin console users. */
    public QuickStartSettings(String backendUrl, String listen, PoolMode poolMode, Integer poolSize,
            Integer maxClientConn, String adminListen) {
        this(backendUrl, listen, poolMode, poolSize, maxClientConn, adminListen, null, null);
    }

    /** No flags given. */
    public static QuickStartSettings none() {
        return new QuickStartSettings(null, null, null, null, null, null, null, null);
    }

    /** Like the record's own, but a given backend URL is shown as {@code ***} because it may hold a password. */
    @Override
    public String toString() {
        return "QuickStartSettings[backendUrl=" + (backendUrl == null ? "null" : "***") + ", listen=" + listen
                + ", poolMode=" + poolMode + ", poolSize=" + poolSize + ", maxClientConn=" + maxClientConn
                + ", adminListen=" + adminListen + ", adminUsers=" + adminUsers + ", statsUsers=" + statsUsers + "]";
    }
}
