// pgjdbc connection properties derived from the run's credentials and timeouts.
package io.pgmux.loadtest.driver;

import java.util.Properties;

/** Properties for pgjdbc: login, timeouts in whole seconds (pgjdbc's unit), no TLS, a recognizable name. */
public final class JdbcProperties {
    private JdbcProperties() {
    }

    public static Properties of(Credentials credentials) {
        Properties p = new Properties();
        p.setProperty("user", credentials.user());
        if (credentials.password() != null) {
            p.setProperty("password", credentials.password());
        }
        p.setProperty("connectTimeout", String.valueOf(seconds(credentials.connectTimeoutMillis())));
        p.setProperty("loginTimeout", String.valueOf(seconds(credentials.connectTimeoutMillis())));
        p.setProperty("socketTimeout", String.valueOf(seconds(credentials.transactionTimeoutMillis())));
        p.setProperty("sslmode", "disable");
        p.setProperty("ApplicationName", "pgmux-loadtest");
        return p;
    }

    private static long seconds(long millis) {
        return Math.max(1, (millis + 999) / 1000);
    }
}
