// The user, password and database of the connection string a request names (Neon-Connection-String).
package io.pgmux.server.transport.http;

import io.pgmux.protocol.SqlState;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * A {@code postgresql://user:password@host/database} URL, as the driver sends it whole in the
 * {@code Neon-Connection-String} header. Host, port and options are ignored: the request runs on the pool of
 * (database, user). Never logged: it carries the password.
 */
record ConnectionUrl(String user, String password, String database) {

    @Override
    public String toString() {
        return "ConnectionUrl[user=" + user + ", database=" + database + "]";
    }

    /** @throws HttpFailure (400, 28000) when the header is missing or names no user or database */
    static ConnectionUrl parse(String header) {
        if (header == null || header.isBlank()) {
            throw refused("the Neon-Connection-String header is missing");
        }
        URI uri;
        try {
            uri = new URI(header.trim());
        } catch (URISyntaxException e) {
            throw refused("the connection string is not a postgresql:// URL");
        }
        if (!"postgresql".equals(uri.getScheme()) && !"postgres".equals(uri.getScheme())) {
            throw refused("the connection string is not a postgresql:// URL");
        }
        String userInfo = uri.getRawUserInfo();
        String path = uri.getRawPath();
        if (userInfo == null || path == null || path.length() < 2) {
            throw refused("the connection string must name a user and a database");
        }
        int colon = userInfo.indexOf(':');
        String user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
        String password = colon < 0 ? null : decode(userInfo.substring(colon + 1));
        return new ConnectionUrl(user, password, decode(path.substring(1)));
    }

    private static String decode(String part) {
        return URLDecoder.decode(part.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static HttpFailure refused(String message) {
        return HttpFailure.of(SqlState.INVALID_AUTHORIZATION_SPECIFICATION, message);
    }
}
