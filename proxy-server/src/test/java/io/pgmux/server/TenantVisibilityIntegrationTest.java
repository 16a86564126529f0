// Tenants on /metrics and in SHOW TENANTS: waiting, admitted, shed by reason; at most max_tenants, then "other".
package io.pgmux.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgmux.config.ConfigLoader;
import io.pgmux.testing.DetectLeaks;
import io.pgmux.testing.PostgresFixture;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@DetectLeaks
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TenantVisibilityIntegrationTest {

    @Test
    void tenantsAreCountedPerReasonAndBoundedByMaxTenants() throws Exception {
        PostgresFixture pg = PostgresFixture.shared();
        String yaml = OpsProxy.yaml("transaction", 1, "", pg.host(), pg.port()).replace("  default_pool_size: 1\n",
                "  default_pool_size: 1\n  tenant_queueing: fair\n  max_tenants: 3\n");
        try (OpsProxy proxy = OpsProxy.start(yaml, ConfigLoader::fromYaml)) {
            try (Connection holder = connect(proxy, "holder", null);
                 Connection late = connect(proxy, "late", "-c pgmux.wait_deadline=300ms")) {
                holder.setAutoCommit(false);
                query(holder);
                assertThatThrownBy(() -> query(late)).isInstanceOfSatisfying(SQLException.class,
                        e -> assertThat(e.getSQLState()).isEqualTo("57014"));
                holder.commit();
            }
            for (String tenant : new String[] {"web", "x1", "x2"}) {
                try (Connection c = connect(proxy, tenant, null)) {
                    query(c);
                }
            }

            Scrape metrics = proxy.scrape();
            Set<String> tenants = new TreeSet<>();
            metrics.samples().stream().filter(s -> s.name().equals("pgmux_tenant_admitted_total"))
                    .forEach(s -> tenants.add(s.labels().get("tenant")));
            assertThat(tenants).as("max_tenants bounds the series; the rest share other")
                    .containsExactly("holder", "late", "other", "web");
            assertThat(metrics.value("pgmux_tenant_admitted_total", "tenant", "other")).isEqualTo(2);
            assertThat(metrics.value("pgmux_tenant_shed_total", "tenant", "late", "reason", "deadline_passed"))
                    .isEqualTo(1);
            assertThat(metrics.value("pgmux_tenant_admitted_total", "tenant", "late")).isZero();
            assertThat(metrics.value("pgmux_tenant_wait_seconds_count", "tenant", "web")).isEqualTo(1);

            Map<String, Map<String, String>> rows = showTenants(proxy);
            assertThat(rows.keySet()).containsExactlyInAnyOrder("holder", "late", "web", "other");
            assertThat(rows.get("late")).containsEntry("shed_deadline_passed", "1").containsEntry("admitted", "0")
                    .containsEntry("cl_waiting", "0");
            assertThat(rows.get("other")).containsEntry("admitted", "2").containsEntry("sv_active", "0");
        }
    }

    private static Connection connect(OpsProxy proxy, String applicationName, String options) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", proxy.pg.user());
        p.setProperty("password", proxy.pg.password());
        p.setProperty("ApplicationName", applicationName);
        p.setProperty("assumeMinServerVersion", "10"); // application_name in the startup packet
        if (options != null) {
            p.setProperty("options", options);
        }
        return java.sql.DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + proxy.port() + "/"
                + proxy.pg.database(), p);
    }

    private static void query(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) {
            rs.next();
        }
    }

    private static Map<String, Map<String, String>> showTenants(OpsProxy proxy) throws SQLException {
        Map<String, Map<String, String>> rows = new HashMap<>();
        try (Connection console = proxy.connect("pgbouncer", proxy.pg.user(), proxy.pg.password());
             Statement s = console.createStatement(); ResultSet rs = s.executeQuery("SHOW TENANTS")) {
            while (rs.next()) {
                Map<String, String> row = new HashMap<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    row.put(rs.getMetaData().getColumnName(i), rs.getString(i));
                }
                rows.put(rs.getString("tenant"), row);
            }
        }
        return rows;
    }
}
