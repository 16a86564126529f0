// Uses an already running PostgreSQL named by the PGMUX_TEST_PG_URL environment variable.
package io.pgmux.testing;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Optional;

/**
 * An existing server given as {@code postgresql://user:password@host:port/db}, whose user must be a
 * superuser. The test roles are created there, but its pg_hba.conf is left alone: whether TCP logins
 * need a password is up to whoever runs that server.
 */
final class ExternalPostgres implements RunningPostgres {

    static final String URL_VARIABLE = "PGMUX_TEST_PG_URL";
    private static final int DEFAULT_PORT = 5432;

    private final String host;
    private final int port;

    private ExternalPostgres(String host, int port) {
        this.host = host;
        this.port = port;
    }

    /** Connects to the server named by the environment and provisions it, or returns empty if unset. */
    static Optional<RunningPostgres> fromEnvironment() throws SQLException {
        String url = System.getenv(URL_VARIABLE);
        if (url == null || url.isBlank()) {
            return Optional.empty();
        }
        URI uri = URI.create(url.trim());
        if (!"postgresql".equals(uri.getScheme()) && !"postgres".equals(uri.getScheme())) {
            throw new IllegalArgumentException(URL_VARIABLE + " must look like postgresql://user:password@host:port/db");
        }
        String host = uri.getHost();
        int port = uri.getPort() > 0 ? uri.getPort() : DEFAULT_PORT;
        String database = uri.getPath() == null || uri.getPath().length() <= 1 ? "postgres" : uri.getPath().substring(1);
        String[] credentials = userInfo(uri);
        String jdbcUrl = "jdbc:postgresql://" + host + ":" + port + "/" + database;
        try (Connection admin = DriverManager.getConnection(jdbcUrl, credentials[0], credentials[1])) {
            TestRoles.provision(admin);
        }
        return Optional.of(new ExternalPostgres(host, port));
    }

    private static String[] userInfo(URI uri) {
        String raw = uri.getRawUserInfo();
        if (raw == null || raw.isEmpty()) {
            throw new IllegalArgumentException(URL_VARIABLE + " must include user:password@");
        }
        int colon = raw.indexOf(':');
        String user = colon < 0 ? raw : raw.substring(0, colon);
        String password = colon < 0 ? "" : raw.substring(colon + 1);
        return new String[] {decode(user), decode(password)};
    }

    private static String decode(String part) {
        return URLDecoder.decode(part.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    @Override
    public String host() {
        return host;
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public String source() {
        return "external";
    }

    @Override
    public void stop() {
        // Not started here, so not stopped here.
    }
}
