// Cross-checks the client auth type against the configured user passwords.
package io.pgmux.config;

import java.util.Map;

/**
 * Ensures every user can actually log in with the chosen {@code auth_type}: md5 cannot be verified against a SCRAM
 * secret, and SCRAM cannot be verified against an md5 hash, because both are one-way.
 */
final class CredentialRules {

    private CredentialRules() {
    }

    static void check(AuthType authType, Map<String, UserConfig> users) {
        if (authType == AuthType.TRUST) {
            return;
        }
        if (users.isEmpty()) {
            throw ConfigException.at("users", "at least one user is required when auth_type is "
                    + authType.configName() + " (or set auth_type: trust)");
        }
        for (UserConfig user : users.values()) {
            checkUser(authType, user);
        }
    }

    private static void checkUser(AuthType authType, UserConfig user) {
        String where = "users." + user.name() + ".password";
        PasswordKind kind = user.passwordKind();
        if (kind == PasswordKind.NONE) {
            throw ConfigException.at(where, "is required for user '" + user.name() + "' when auth_type is "
                    + authType.configName());
        }
        if (authType == AuthType.MD5 && kind == PasswordKind.SCRAM_SECRET) {
            throw ConfigException.at(where, "user '" + user.name() + "' has a SCRAM-SHA-256 secret, but auth_type md5"
                    + " needs the plain password or an md5 hash");
        }
        if (authType == AuthType.SCRAM_SHA_256 && kind == PasswordKind.MD5_HASH) {
            throw ConfigException.at(where, "user '" + user.name() + "' has an md5 hash, but auth_type scram-sha-256"
                    + " needs the plain password or a SCRAM-SHA-256 secret");
        }
    }
}
