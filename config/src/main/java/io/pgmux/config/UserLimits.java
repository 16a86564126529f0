// The limits one user overrides, as PgBouncer's per-user settings do.
package io.pgmux.config;

/**
 * What a {@code users} entry sets for itself instead of taking the {@code pool} section's value. Each {@code null}
 * means "inherit".
 *
 * @param maxUserConnections   {@code max_user_connections}: backends logged in as this user over all databases,
 *                             0 = unlimited; applies where the user is the server login (a database without its own
 *                             {@code user}, or one whose {@code user} names it)
 * @param maxClientConnections {@code max_user_client_connections}: clients logged in as this user at once,
 *                             0 = unlimited
 */
public record UserLimits(Integer maxUserConnections, Integer maxClientConnections) {

    /** Nothing overridden. */
    public static final UserLimits NONE = new UserLimits(null, null);

    /** @throws IllegalArgumentException for a negative value */
    public UserLimits {
        if (maxUserConnections != null && maxUserConnections < 0
                || maxClientConnections != null && maxClientConnections < 0) {
            throw new IllegalArgumentException("user limits must be >= 0");
        }
    }
}
