// Parses auth_file: PgBouncer's userlist.txt format.
package io.pgmux.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads lines of the form {@code "user" "secret"}, where the secret is a plain password, an md5 hash or a SCRAM
 * secret; further fields are ignored, as PgBouncer does. Empty lines and lines starting with {@code ;} or
 * {@code #} are comments. Hazard: the result holds secrets; errors never quote them.
 */
final class AuthFileParser {

    private AuthFileParser() {
    }

    /** User name to secret, in file order; a repeated user keeps its last line. */
    static Map<String, String> parse(String text, String origin) {
        Map<String, String> users = new LinkedHashMap<>();
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith(";") || line.startsWith("#")) {
                continue;
            }
            String where = origin + " line " + (i + 1);
            List<ConfigFileTokens.Token> tokens = ConfigFileTokens.split(line, where);
            if (tokens.size() < 2 || !tokens.get(0).quoted() || !tokens.get(1).quoted()) {
                throw new ConfigException(where + ": expected \"user\" \"password\"");
            }
            String user = tokens.get(0).text();
            String secret = tokens.get(1).text();
            if (user.isEmpty()) {
                throw new ConfigException(where + ": user name must not be empty");
            }
            if (PasswordKind.of(secret) == PasswordKind.SCRAM_SECRET && !ScramSecrets.isWellFormed(secret)) {
                throw new ConfigException(where + ": malformed SCRAM-SHA-256 secret for user '" + user + "'");
            }
            users.put(user, secret);
        }
        return users;
    }
}
