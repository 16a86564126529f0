// Virtual functions on real pgjdbc connections: a new physical connection per function, for fidelity.
package io.pgmux.loadtest.driver;

import io.pgmux.loadtest.workload.TransactionSpec;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/** Each function opens its own pgjdbc connection, runs the transaction, idles for the think time and closes. */
public final class JdbcFunctionDriver extends BlockingFunctionDriver {
    private final String url;
    private final Properties properties;

    public JdbcFunctionDriver(Target target, Credentials credentials, TransactionSpec transaction, int threads) {
        super(transaction, threads, "loadtest-jdbc");
        this.url = target.jdbcUrl(credentials.database());
        this.properties = JdbcProperties.of(credentials);
    }

    @Override
    public String clientName() {
        return "jdbc";
    }

    @Override
    protected Connection open() throws SQLException {
        return DriverManager.getConnection(url, properties);
    }

    @Override
    protected boolean thinksWhileConnected() {
        return true;
    }
}
