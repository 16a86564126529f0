// Everything about who may log in and how: client TLS, client authentication rules and credential sources.
package io.pgmux.config;

import java.util.Objects;

/**
 * The authentication and TLS part of the configuration, kept apart from the pool settings so the two can grow
 * independently.
 *
 * @param clientTls the {@code client_tls_*} keys
 */
public record AuthSettings(ClientTlsSettings clientTls) {

    /** @throws NullPointerException for a null component */
    public AuthSettings {
        Objects.requireNonNull(clientTls, "clientTls");
    }

    /** No TLS, no extra rules: clients authenticate with {@code auth_type} against {@code users}. */
    public static AuthSettings defaults() {
        return new AuthSettings(ClientTlsSettings.disabled());
    }
}
