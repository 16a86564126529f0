// Binds the `users` section to UserConfig entries.
package io.pgmux.config;

import java.util.LinkedHashMap;
import java.util.Map;

/** Reads every entry under {@code users}, keeping their order, and checks that stored secrets are well formed. */
final class UsersBinder {

    private UsersBinder() {
    }

    static Map<String, UserConfig> bind(ConfigNode section) {
        Map<String, UserConfig> users = new LinkedHashMap<>();
        for (String name : section.keys()) {
            if (name.isBlank()) {
                throw ConfigException.at(section.path(), "user name must not be empty");
            }
            users.put(name, bindOne(name, section.section(name)));
        }
        return users;
    }

    private static UserConfig bindOne(String name, ConfigNode node) {
        SectionReader r = new SectionReader(node);
        String password = r.string("password", null);
        if (PasswordKind.of(password) == PasswordKind.SCRAM_SECRET && !ScramSecrets.isWellFormed(password)) {
            throw ConfigException.at(r.originOf("password"), "malformed SCRAM-SHA-256 secret for user '" + name
                    + "', expected SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>");
        }
        UserConfig user = new UserConfig(name, password, r.choice("pool_mode", null, PoolMode::parse),
                r.choice("pinning", null, PinningPolicy::parse),
                new UserLimits(r.optionalInteger("max_user_connections", 0, Integer.MAX_VALUE),
                        r.optionalInteger("max_user_client_connections", 0, Integer.MAX_VALUE),
                        r.optionalInteger("pool_size", 1, Integer.MAX_VALUE),
                        r.optionalInteger("reserve_pool_size", 0, Integer.MAX_VALUE),
                        r.duration("query_timeout", null, true),
                        r.duration("idle_transaction_timeout", null, true),
                        r.duration("client_idle_timeout", null, true)));
        r.finish();
        return user;
    }
}
