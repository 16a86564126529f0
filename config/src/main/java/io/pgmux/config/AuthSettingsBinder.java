// Binds the top-level authentication and TLS keys to AuthSettings.
package io.pgmux.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the top-level keys about client TLS and authentication, and the auth and hba files they name; the caller
 * reports unknown keys afterwards.
 */
final class AuthSettingsBinder {

    private AuthSettingsBinder() {
    }

    static AuthSettings bind(SectionReader root) {
        Path hbaFile = path(root, "auth_hba_file");
        Path authFile = path(root, "auth_file");
        boolean cleartext = root.choice("auth_cleartext_without_tls", false, AuthSettingsBinder::bool);
        List<HbaRule> rules = hbaFile == null ? List.of()
                : HbaFileParser.parse(read(hbaFile, root.originOf("auth_hba_file")), hbaFile.toString());
        Map<String, String> secrets = authFile == null ? Map.of()
                : AuthFileParser.parse(read(authFile, root.originOf("auth_file")), authFile.toString());
        return new AuthSettings(ClientTlsBinder.bind(root), hbaFile, rules, authFile, secrets, cleartext,
                authQuery(root), serverTls(root));
    }

    private static ServerTlsSettings serverTls(SectionReader r) {
        ServerTlsMode mode = r.choice("server_tls_sslmode", ServerTlsMode.PREFER, ServerTlsMode::parse);
        Path ca = path(r, "server_tls_ca_file");
        Path cert = path(r, "server_tls_cert_file");
        Path key = path(r, "server_tls_key_file");
        List<String> protocols = r.names("server_tls_protocols", ClientTlsSettings.DEFAULT_PROTOCOLS,
                java.util.regex.Pattern.compile("TLSv1\\.[23]"), "a list of TLS versions from TLSv1.2, TLSv1.3");
        if (protocols.isEmpty()) {
            throw ConfigException.at(r.originOf("server_tls_protocols"), "must name at least one TLS version");
        }
        if ((cert == null) != (key == null)) {
            throw ConfigException.at(r.originOf(cert == null ? "server_tls_cert_file" : "server_tls_key_file"),
                    "is required when the other of server_tls_cert_file and server_tls_key_file is set");
        }
        return new ServerTlsSettings(mode, ca, cert, key, protocols);
    }

    private static AuthQuerySettings authQuery(SectionReader r) {
        String user = r.string("auth_user", null);
        String query = r.string("auth_query", AuthQuerySettings.DEFAULT_QUERY);
        var ttl = r.duration("auth_query_cache_ttl", AuthQuerySettings.DEFAULT_CACHE_TTL, false);
        String dbname = r.string("auth_dbname", null);
        checkQuery(query, r.originOf("auth_query"));
        return new AuthQuerySettings(user == null || user.isBlank() ? null : user.trim(), query, ttl,
                dbname == null || dbname.isBlank() ? null : dbname.trim());
    }

    static void checkQuery(String query, String origin) {
        if (!query.contains("$1")) {
            throw ConfigException.at(origin, "must use $1 for the user name");
        }
    }

    /** auth_user must be able to log in with a plain password, which only a configured user has. */
    static void checkAuthUser(AuthSettings auth, Map<String, UserConfig> users, String origin) {
        if (auth.authQuery().enabled()) {
            checkAuthUser(auth.authQuery().user(), users, origin);
        }
    }

    /**
     * A database's own auth_user must be such a user too, and auth_dbname, global or its own, must name a database
     * entry: the query is sent to that entry's server.
     */
    static void checkDatabaseAuth(AuthSettings auth, Map<String, DatabaseConfig> databases,
                                  Map<String, UserConfig> users, String globalDbnameOrigin) {
        String global = auth.authQuery().dbname();
        if (global != null && !databases.containsKey(global)) {
            throw ConfigException.at(globalDbnameOrigin, "names no entry of databases: '" + global + "'");
        }
        for (DatabaseConfig db : databases.values()) {
            String where = "databases." + db.name();
            if (db.auth().authUser() != null) {
                checkAuthUser(db.auth().authUser(), users, where + ".auth_user");
            }
            String dbname = db.auth().authDbname();
            if (dbname != null && !databases.containsKey(dbname)) {
                throw ConfigException.at(where + ".auth_dbname", "names no entry of databases: '" + dbname + "'");
            }
        }
    }

    private static void checkAuthUser(String name, Map<String, UserConfig> users, String origin) {
        UserConfig user = users.get(name);
        if (user == null || user.passwordKind() != PasswordKind.PLAIN) {
            throw ConfigException.at(origin, "user '" + name + "' must be in users or auth_file"
                    + " with a plain-text password, which pgmux uses to run auth_query");
        }
    }

    /**
     * The {@code users} section plus the auth file's users: a user in both keeps its settings and takes the file's
     * secret only when the section gives no password.
     */
    static Map<String, UserConfig> withAuthFileUsers(Map<String, UserConfig> users, AuthSettings auth) {
        Map<String, UserConfig> merged = new LinkedHashMap<>(users);
        auth.authFileSecrets().forEach((name, secret) -> merged.merge(name, new UserConfig(name, secret, null, null),
                (configured, fromFile) -> configured.password() != null ? configured
                        : new UserConfig(name, secret, configured.poolMode(), configured.pinning(),
                                configured.limits())));
        return merged;
    }

    private static Path path(SectionReader r, String key) {
        String text = r.string(key, null);
        return text == null || text.isBlank() ? null : Path.of(text.trim());
    }

    private static boolean bool(String text, String where) {
        return switch (text.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "true", "on", "yes", "1" -> true;
            case "false", "off", "no", "0" -> false;
            default -> throw ConfigException.at(where, "must be true or false, got '" + text + "'");
        };
    }

    private static String read(Path file, String key) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw ConfigException.at(key, "cannot read " + file + ": " + e.getMessage());
        }
    }
}
