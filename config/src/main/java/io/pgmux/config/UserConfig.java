// One client user allowed to log in to pgmux.
package io.pgmux.config;

import java.util.Objects;

/**
 * An entry of the {@code users} section.
 *
 * <p>Hazard: holds a secret; {@link #toString()} masks it, but the accessor returns it in clear.
 *
 * @param name     the key under {@code users}, the user name clients log in with
 * @param password plain text, {@code md5<32 hex>} or {@code SCRAM-SHA-256$<iter>:<salt>$<StoredKey>:<ServerKey>};
 *                 {@code null} when not configured (only valid with {@code auth_type: trust})
 * @param poolMode pool mode override for this user, or {@code null} to inherit
 * @param pinning  pinning policy override for this user, or {@code null} to inherit
 * @param limits   the limits this user sets for itself; {@code null} means none
 */
public record UserConfig(String name, String password, PoolMode poolMode, PinningPolicy pinning, UserLimits limits) {

    /** @throws NullPointerException if the name is null */
    public UserConfig {
        Objects.requireNonNull(name, "name");
        limits = limits == null ? UserLimits.NONE : limits;
    }

    /** Without limits of its own. */
    public UserConfig(String name, String password, PoolMode poolMode, PinningPolicy pinning) {
        this(name, password, poolMode, pinning, null);
    }

    /** The form of {@link #password()}, so authenticators can tell a plain password from a stored hash or secret. */
    public PasswordKind passwordKind() {
        return PasswordKind.of(password);
    }

    /** Like the record's own, but the password is shown as {@code ***}. */
    @Override
    public String toString() {
        return "UserConfig[name=" + name + ", password=" + (password == null ? "null" : "***")
                + ", poolMode=" + poolMode + ", pinning=" + pinning + ", limits=" + limits + "]";
    }
}
