package io.pgmux.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgmux.testing.DetectLeaks;
import io.pgmux.testing.FreePorts;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** RELOAD of databases: a changed server drains gracefully, an added database serves, a removed one refuses. */
@DetectLeaks
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ReloadIntegrationTest {

    @Test
    void changedServerDrainsTheOpenTransactionThenUsesTheNewAddress() throws Exception {
        try (OpsProxy proxy = OpsProxy.start("transaction", 2, "");
             TcpRelay relay = new TcpRelay(FreePorts.find(), proxy.pg.host(), proxy.pg.port())) {
            relay.start();
            try (Connection inTx = proxy.connect(); Statement tx = inTx.createStatement();
                 Connection console = proxy.connect("pgmux", proxy.pg.user(), proxy.pg.password());
                 Statement c = console.createStatement()) {
                inTx.setAutoCommit(false);
                tx.execute("SELECT 1");
                proxy.yaml.set(proxy.yaml.get().replace("port: " + proxy.pg.port(), "port: " + relay.port()));
                c.execute("RELOAD");
                Map<String, String> old = AdminConsoleIntegrationTest.firstRow(c, "SHOW SERVERS");
                assertThat(old).containsEntry("state", "active").containsEntry("close_needed", "1");
                tx.execute("SELECT 2"); // the transaction goes on, on the old backend
                inTx.commit();
                c.execute("WAIT_CLOSE");
                try (ResultSet rs = tx.executeQuery("SELECT 3")) { // a new backend, through the new address
                    rs.next();
                    assertThat(rs.getInt(1)).isEqualTo(3);
                }
                inTx.commit();
                // SHOW SERVERS' port is the backend socket's remote port: only the relay's is left.
                assertThat(AdminConsoleIntegrationTest.rows(c, "SHOW SERVERS")).isNotEmpty()
                        .allSatisfy(r -> assertThat(r).containsEntry("port", String.valueOf(relay.port())));
                assertThat(AdminConsoleIntegrationTest.firstRow(c, "SHOW DATABASES"))
                        .containsEntry("port", String.valueOf(relay.port()));
            }
        }
    }

    @Test
    void addedDatabaseServesAndRemovedOneRefusesNewClients() throws Exception {
        try (OpsProxy proxy = OpsProxy.start("transaction", 2, "")) {
            String base = proxy.yaml.get();
            String withOther = base.replace("databases:\n", "databases:\n  other:\n    host: " + proxy.pg.host()
                    + "\n    port: " + proxy.pg.port() + "\n    dbname: " + proxy.pg.database() + "\n");
            assertThatThrownBy(() -> proxy.connect("other", proxy.pg.user(), proxy.pg.password()))
                    .isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("3D000"));
            proxy.yaml.set(withOther);
            proxy.server.reload();
            Connection kept = proxy.connect("other", proxy.pg.user(), proxy.pg.password());
            try (Statement s = kept.createStatement(); ResultSet rs = s.executeQuery("SELECT current_database()")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo(proxy.pg.database());
                proxy.yaml.set(base);
                proxy.server.reload();
                assertThatThrownBy(() -> proxy.connect("other", proxy.pg.user(), proxy.pg.password()))
                        .isInstanceOf(SQLException.class)
                        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("3D000"));
                try (ResultSet again = s.executeQuery("SELECT 1")) { // the connected client keeps its session
                    assertThat(again.next()).isTrue();
                }
            } finally {
                kept.close();
            }
        }
    }
}
