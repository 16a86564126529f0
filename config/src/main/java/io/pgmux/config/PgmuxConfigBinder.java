// Binds the whole raw configuration tree to a validated PgmuxConfig.
package io.pgmux.config;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Reads the top-level keys, delegates each section to its binder, then runs the cross-section checks. */
final class PgmuxConfigBinder {

    static final String NO_DATABASES =
            "no databases configured: give --config FILE or --backend postgresql://USER:PASSWORD@HOST:PORT/DB";

    /** A user name as PostgreSQL accepts it in a startup packet: anything without commas or surrounding blanks. */
    private static final Pattern USER_NAME = Pattern.compile("[^,\\s](?:[^,]*[^,\\s])?");

    private PgmuxConfigBinder() {
    }

    static PgmuxConfig bind(ConfigNode root) {
        SectionReader r = new SectionReader(root);
        HostPort listen = r.hostPort("listen", PgmuxConfig.DEFAULT_LISTEN);
        HostPort adminListen = r.hostPort("admin_listen", null);
        TransportType transport = r.choice("transport", TransportType.AUTO, TransportType::parse);
        int workerThreads = r.integer("worker_threads", 0, 0, 4096);
        int maxMessageLength = r.integer("max_message_length", PgmuxConfig.MAX_MESSAGE_LENGTH_LIMIT,
                PgmuxConfig.MIN_MESSAGE_LENGTH, PgmuxConfig.MAX_MESSAGE_LENGTH_LIMIT);
        int maxParsedMessageLength = r.integer("max_parsed_message_length",
                PgmuxConfig.defaultMaxParsedMessageLength(maxMessageLength), PgmuxConfig.MIN_MESSAGE_LENGTH,
                maxMessageLength);
        AuthType authType = r.choice("auth_type", AuthType.MD5, AuthType::parse);
        PoolSettings pool = PoolSettingsBinder.bind(root.section("pool"));
        Timeouts timeouts = TimeoutsBinder.bind(root.section("timeouts"));
        Map<String, DatabaseConfig> databases = DatabasesBinder.bind(root.section("databases"));
        Map<String, UserConfig> users = UsersBinder.bind(root.section("users"));
        AdminSettings admin = new AdminSettings(
                r.names("admin_users", List.of(), USER_NAME, "a list of user names like [admin, ops]"),
                r.names("stats_users", List.of(), USER_NAME, "a list of user names like [monitor]"),
                LogSettingsBinder.bind(r));
        AuthSettings auth = AuthSettingsBinder.bind(r);
        // Unknown keys first: a misspelt "databases" should be reported as a typo, not as "no databases".
        r.finish();
        if (databases.isEmpty()) {
            throw new ConfigException(NO_DATABASES);
        }
        if (authType == AuthType.REJECT) {
            throw ConfigException.at(r.originOf("auth_type"), "reject is only valid in auth_hba_file rules");
        }
        // With an hba file the methods come from its rules; with an auth file or auth_query the users section may
        // be empty.
        boolean usersElsewhere = auth.authFile() != null || auth.authQuery() != null;
        Map<String, UserConfig> merged = AuthSettingsBinder.withAuthFileUsers(users, auth);
        if (auth.hbaFile() == null && !(users.isEmpty() && usersElsewhere)) {
            // The section's users with the secrets they end up with: a user listed only for its settings (as in
            // PgBouncer's [users]) takes its password from the auth file.
            Map<String, UserConfig> sectionUsers = new java.util.LinkedHashMap<>();
            users.keySet().forEach(name -> sectionUsers.put(name, merged.get(name)));
            CredentialRules.check(authType, sectionUsers);
        }
        users = merged;
        AuthSettingsBinder.checkAuthUser(auth, users, r.originOf("auth_user"));
        return new PgmuxConfig(listen, adminListen, transport, workerThreads, maxMessageLength,
                maxParsedMessageLength, authType, pool,
                timeouts, databases, users, admin, auth);
    }
}
