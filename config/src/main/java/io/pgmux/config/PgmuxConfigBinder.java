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
        ConfigErrors errors = new ConfigErrors();
        List<HostPort> listenAddresses = errors.attempt(() -> ClientAddressSettingsBinder.listen(r),
                List.of(PgmuxConfig.DEFAULT_LISTEN));
        HostPort listen = listenAddresses.get(0);
        HostPort adminListen = errors.attempt(() -> r.hostPort("admin_listen", null), null);
        TransportType transport = errors.attempt(
                () -> r.choice("transport", TransportType.AUTO, TransportType::parse), TransportType.AUTO);
        int workerThreads = errors.attempt(() -> r.integer("worker_threads", 0, 0, 4096), 0);
        int maxMessageLength = errors.attempt(() -> r.integer("max_message_length",
                PgmuxConfig.MAX_MESSAGE_LENGTH_LIMIT, PgmuxConfig.MIN_MESSAGE_LENGTH,
                PgmuxConfig.MAX_MESSAGE_LENGTH_LIMIT), PgmuxConfig.MAX_MESSAGE_LENGTH_LIMIT);
        int maxParsedMessageLength = errors.attempt(() -> r.integer("max_parsed_message_length",
                PgmuxConfig.defaultMaxParsedMessageLength(maxMessageLength), PgmuxConfig.MIN_MESSAGE_LENGTH,
                maxMessageLength), PgmuxConfig.defaultMaxParsedMessageLength(maxMessageLength));
        AuthType authType = errors.attempt(() -> r.choice("auth_type", AuthType.MD5, AuthType::parse), AuthType.MD5);
        ConfigNode poolSection = errors.attempt(() -> root.section("pool"), null);
        // Before the pool section's own binder, whose unknown-key check must know these keys were read.
        AdmissionSettings admission = poolSection == null ? AdmissionSettings.defaults()
                : errors.attempt(() -> AdmissionSettingsBinder.bind(poolSection), AdmissionSettings.defaults());
        PoolSettings pool = poolSection == null ? PoolSettings.defaults()
                : errors.attempt(() -> PoolSettingsBinder.bind(poolSection), PoolSettings.defaults());
        Timeouts timeouts = errors.attempt(() -> TimeoutsBinder.bind(root.section("timeouts")), Timeouts.defaults());
        Map<String, DatabaseConfig> databases = errors.attempt(() -> DatabasesBinder.bind(root.section("databases")),
                null);
        Map<String, UserConfig> bound = errors.attempt(() -> UsersBinder.bind(root.section("users")), Map.of());
        List<String> adminUsers = errors.attempt(() -> r.names("admin_users", List.of(), USER_NAME,
                "a list of user names like [admin, ops]"), List.of());
        List<String> statsUsers = errors.attempt(() -> r.names("stats_users", List.of(), USER_NAME,
                "a list of user names like [monitor]"), List.of());
        // These two read several keys each: one that fails leaves the keys after it unread, which the unknown-key
        // check below would then report as typos.
        LogSettings logging = errors.attempt(() -> LogSettingsBinder.bind(r), null);
        AuthSettings auth = errors.attempt(() -> AuthSettingsBinder.bind(r), null);
        FleetSettings fleet = errors.attempt(() -> FleetSettingsBinder.bind(r), null);
        WebTransportSettings web = errors.attempt(() -> WebTransportSettingsBinder.bind(r), null);
        TcpKeepalive tcp = errors.attempt(() -> TcpKeepaliveBinder.bind(r), null);
        ClientAddressSettings clientAddresses = errors.attempt(
                () -> ClientAddressSettingsBinder.bind(r, listenAddresses), null);
        boolean allKeysRead = logging != null && auth != null && fleet != null && web != null && tcp != null
                && clientAddresses != null;
        AdminSettings admin = new AdminSettings(adminUsers, statsUsers, logging);
        // Unknown keys first: a misspelt "databases" should be reported as a typo, not as "no databases".
        if (allKeysRead && !errors.check(r::finish)) {
            errors.throwIfAny();
        }
        if (databases != null && databases.isEmpty()) {
            errors.check(() -> {
                throw new ConfigException(NO_DATABASES);
            });
        }
        if (authType == AuthType.REJECT) {
            errors.check(() -> {
                throw ConfigException.at(r.originOf("auth_type"), "reject is only valid in auth_hba_file rules");
            });
        }
        errors.throwIfAny();
        Map<String, UserConfig> users = bound;
        // With an hba file the methods come from its rules; with an auth file or auth_query the users section may
        // be empty.
        boolean usersElsewhere = auth.authFile() != null || auth.authQuery().enabled()
                || databases.values().stream().anyMatch(db -> db.auth().authUser() != null);
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
        AuthSettingsBinder.checkDatabaseAuth(auth, databases, users, r.originOf("auth_dbname"));
        return new PgmuxConfig(listen, adminListen, transport, workerThreads, maxMessageLength,
                maxParsedMessageLength, authType, pool,
                timeouts, databases, users, admin, auth, fleet, web, tcp, admission, clientAddresses);
    }
}
