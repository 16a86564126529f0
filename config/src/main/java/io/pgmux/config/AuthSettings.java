// Everything about who may log in and how: client TLS, client authentication rules and credential sources.
package io.pgmux.config;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The authentication and TLS part of the configuration, kept apart from the pool settings so the two can grow
 * independently. The files named here were read while loading; their contents are in the other components.
 *
 * <p>Hazard: {@code authFileSecrets} holds passwords and secrets; {@link #toString()} shows only the user names.
 *
 * @param clientTls           the {@code client_tls_*} keys
 * @param hbaFile             {@code auth_hba_file}, or null: then {@code auth_type} applies to every connection
 * @param hbaRules            the rules of {@code auth_hba_file}, in file order (empty without the file)
 * @param authFile            {@code auth_file}, or null
 * @param authFileSecrets     user name to secret from {@code auth_file}, in file order (empty without the file)
 * @param cleartextWithoutTls {@code auth_cleartext_without_tls}: whether method {@code password} may be used on
 *                            connections without TLS
 * @param authQuery           the global {@code auth_user} and friends; {@code null} is
 *                            {@link AuthQuerySettings#NONE} (no global auth_user)
 * @param serverTls           the {@code server_tls_*} keys
 */
public record AuthSettings(ClientTlsSettings clientTls, Path hbaFile, List<HbaRule> hbaRules, Path authFile,
        Map<String, String> authFileSecrets, boolean cleartextWithoutTls, AuthQuerySettings authQuery,
        ServerTlsSettings serverTls) {

    /** @throws NullPointerException for a null TLS setting or collection */
    public AuthSettings {
        Objects.requireNonNull(clientTls, "clientTls");
        Objects.requireNonNull(serverTls, "serverTls");
        hbaRules = List.copyOf(hbaRules);
        authFileSecrets = Collections.unmodifiableMap(new LinkedHashMap<>(authFileSecrets));
        authQuery = authQuery == null ? AuthQuerySettings.NONE : authQuery;
    }

    /** No TLS, no extra rules: clients authenticate with {@code auth_type} against {@code users}. */
    public static AuthSettings defaults() {
        return new AuthSettings(ClientTlsSettings.disabled(), null, List.of(), null, Map.of(), false, null,
                ServerTlsSettings.defaults());
    }

    /** Like the record's own, but without the secrets. */
    @Override
    public String toString() {
        return "AuthSettings[clientTls=" + clientTls + ", hbaFile=" + hbaFile + ", hbaRules=" + hbaRules.size()
                + ", authFile=" + authFile + ", authFileUsers=" + authFileSecrets.keySet()
                + ", cleartextWithoutTls=" + cleartextWithoutTls + ", authQuery=" + authQuery
                + ", serverTls=" + serverTls + "]";
    }
}
