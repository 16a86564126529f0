package io.pgmux.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgmux.testing.DetectLeaks;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The console queries of the Prometheus community's pgbouncer_exporter (and SHOW CLIENTS and STATS_TOTALS) answer
 * with PgBouncer 1.25's column names and types, read from PgBouncer 1.25.2's own console (RowDescription type
 * names). pgmux may add columns of its own after PgBouncer's; exporters read columns by name.
 */
@DetectLeaks
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ExporterQueriesIntegrationTest {
    private static final Map<String, String> PGBOUNCER_1_25 = new LinkedHashMap<>();

    static {
        PGBOUNCER_1_25.put("STATS", "database/text total_server_assignment_count/numeric total_xact_count/numeric "
                + "total_query_count/numeric total_received/numeric total_sent/numeric total_xact_time/numeric "
                + "total_query_time/numeric total_wait_time/numeric total_client_parse_count/numeric "
                + "total_server_parse_count/numeric total_bind_count/numeric avg_server_assignment_count/numeric "
                + "avg_xact_count/numeric avg_query_count/numeric avg_recv/numeric avg_sent/numeric "
                + "avg_xact_time/numeric avg_query_time/numeric avg_wait_time/numeric "
                + "avg_client_parse_count/numeric avg_server_parse_count/numeric avg_bind_count/numeric");
        PGBOUNCER_1_25.put("POOLS", "database/text user/text cl_active/int4 cl_waiting/int4 "
                + "cl_active_cancel_req/int4 cl_waiting_cancel_req/int4 sv_active/int4 sv_active_cancel/int4 "
                + "sv_being_canceled/int4 sv_idle/int4 sv_used/int4 sv_tested/int4 sv_login/int4 maxwait/int4 "
                + "maxwait_us/int4 pool_mode/text load_balance_hosts/text");
        PGBOUNCER_1_25.put("DATABASES", "name/text host/text port/int4 database/text force_user/text "
                + "pool_size/int4 min_pool_size/int4 reserve_pool_size/int4 server_lifetime/int4 pool_mode/text "
                + "load_balance_hosts/text max_connections/int4 current_connections/int4 "
                + "max_client_connections/int4 current_client_connections/int4 paused/int4 disabled/int4");
        PGBOUNCER_1_25.put("CONFIG", "key/text value/text default/text changeable/text");
        PGBOUNCER_1_25.put("LISTS", "list/text items/int4");
        PGBOUNCER_1_25.put("VERSION", "version/text");
        PGBOUNCER_1_25.put("CLIENTS", "type/text user/text database/text replication/text state/text addr/text "
                + "port/int4 local_addr/text local_port/int4 connect_time/text request_time/text wait/int4 "
                + "wait_us/int4 close_needed/int4 ptr/text link/text remote_pid/int4 tls/text "
                + "application_name/text prepared_statements/int4 id/int4");
        PGBOUNCER_1_25.put("STATS_TOTALS", "database/text server_assignment_count/numeric xact_count/numeric "
                + "query_count/numeric bytes_received/numeric bytes_sent/numeric xact_time/numeric "
                + "query_time/numeric wait_time/numeric client_parse_count/numeric server_parse_count/numeric "
                + "bind_count/numeric");
        PGBOUNCER_1_25.put("TOTALS", "name/text value/numeric");
        PGBOUNCER_1_25.put("MEM", "name/text size/int8 used/int8 free/int8 memtotal/int8"); // int4 in PgBouncer
        PGBOUNCER_1_25.put("SOCKETS", "type/text user/text database/text replication/text state/text addr/text "
                + "port/int4 local_addr/text local_port/int4 connect_time/text request_time/text wait/int4 "
                + "wait_us/int4 close_needed/int4 ptr/text link/text remote_pid/int4 tls/text "
                + "application_name/text prepared_statements/int4 id/int4 recv_pos/int4 pkt_pos/int4 "
                + "pkt_remain/int4 send_pos/int4 send_remain/int4 pkt_avail/int4 send_avail/int4");
    }

    private OpsProxy proxy;

    @BeforeEach
    void start() throws Exception {
        proxy = OpsProxy.start("transaction", 2, "");
    }

    @AfterEach
    void stop() {
        proxy.close();
    }

    @Test
    void exporterQueriesGetPgBouncersColumnNamesAndTypes() throws Exception {
        try (Connection app = proxy.connect(); Statement s = app.createStatement()) {
            s.execute("SELECT 1");
            try (Connection console = console(); Statement c = console.createStatement()) {
                for (Map.Entry<String, String> show : PGBOUNCER_1_25.entrySet()) {
                    Map<String, String> actual = new LinkedHashMap<>();
                    try (ResultSet rs = c.executeQuery("SHOW " + show.getKey())) {
                        ResultSetMetaData meta = rs.getMetaData();
                        for (int i = 1; i <= meta.getColumnCount(); i++) {
                            actual.put(meta.getColumnName(i), meta.getColumnTypeName(i));
                        }
                        while (rs.next()) {
                            for (int i = 1; i <= meta.getColumnCount(); i++) {
                                readAsItsType(rs, i, meta.getColumnTypeName(i));
                            }
                        }
                    }
                    for (String column : show.getValue().split(" ")) {
                        String[] nameType = column.split("/");
                        assertThat(actual).as("SHOW %s", show.getKey()).containsEntry(nameType[0], nameType[1]);
                    }
                }
            }
        }
    }

    @Test
    void showConfigListsEveryKey() throws Exception {
        try (Connection console = console(); Statement c = console.createStatement()) {
            List<String> keys = AdminConsoleIntegrationTest.rows(c, "SHOW CONFIG").stream().map(r -> r.get("key"))
                    .toList();
            assertThat(keys).contains("listen", "max_client_conn", "max_prepared_statements", "auth_file",
                    "auth_hba_file", "auth_user", "auth_query", "auth_query_cache_ttl", "auth_cleartext_without_tls",
                    "client_tls_sslmode", "client_tls_cert_file", "client_tls_key_file", "client_tls_ca_file",
                    "client_tls_protocols", "client_tls_ciphers", "server_tls_sslmode", "server_tls_ca_file",
                    "server_tls_cert_file", "server_tls_key_file", "server_tls_protocols", "log_connections",
                    "log_disconnections", "log_pooler_errors", "log_stats", "stats_period");
            assertThat(AdminConsoleIntegrationTest.rows(c, "SHOW CONFIG")).anySatisfy(r -> assertThat(r)
                    .containsEntry("key", "log_stats").containsEntry("value", "1").containsEntry("changeable", "yes"));
            Map<String, Map<String, String>> byKey = new HashMap<>();
            AdminConsoleIntegrationTest.rows(c, "SHOW CONFIG").forEach(r -> byKey.put(r.get("key"), r));
            assertThat(byKey.get("shutdown_grace")).as("shutdown_grace").containsEntry("value", "0")
                    .containsEntry("default", "0").containsEntry("changeable", "yes");
            assertThat(byKey.get("so_reuseport")).as("so_reuseport").containsEntry("value", "0")
                    .containsEntry("default", "0").containsEntry("changeable", "no");
            assertThat(byKey.get("peer_id")).as("peer_id").containsEntry("value", "0")
                    .containsEntry("changeable", "no");
            assertThat(byKey.get("peers")).as("peers").containsEntry("value", "").containsEntry("changeable", "yes");
            assertThat(byKey.get("fleet_max_db_connections")).as("fleet_max_db_connections")
                    .containsEntry("value", "0").containsEntry("changeable", "yes");
        }
    }

    @Test
    void showConfigShowsTheFleetKeysAsConfigured() throws Exception {
        proxy.yaml.set(proxy.yaml.get() + "shutdown_grace: 7s\nfleet_max_db_connections: 9\n");
        try (Connection console = console(); Statement c = console.createStatement()) {
            c.execute("RELOAD");
            Map<String, Map<String, String>> byKey = new HashMap<>();
            AdminConsoleIntegrationTest.rows(c, "SHOW CONFIG").forEach(r -> byKey.put(r.get("key"), r));
            assertThat(byKey.get("shutdown_grace")).containsEntry("value", "7");
            assertThat(byKey.get("fleet_max_db_connections")).containsEntry("value", "9");
        }
    }

    @Test
    void clientsShowTheirRealStateAndLinkAndKillClientDisconnectsOne() throws Exception {
        try (Connection inTx = proxy.connect(); Statement tx = inTx.createStatement();
                Connection idle = proxy.connect(); Statement idleStatement = idle.createStatement();
                Connection console = console(); Statement c = console.createStatement()) {
            idleStatement.execute("SELECT 1");
            inTx.setAutoCommit(false);
            tx.execute("SELECT 1");
            List<Map<String, String>> clients = AdminConsoleIntegrationTest.rows(c, "SHOW CLIENTS").stream()
                    .filter(r -> r.get("database").equals(proxy.pg.database())).toList();
            assertThat(clients).extracting(r -> r.get("state")).containsExactlyInAnyOrder("active", "idle");
            Map<String, String> active = clients.stream().filter(r -> r.get("state").equals("active")).findFirst()
                    .orElseThrow();
            Map<String, String> server = AdminConsoleIntegrationTest.firstRow(c, "SHOW SERVERS");
            assertThat(active.get("link")).as("the server it holds").isEqualTo(server.get("ptr"));

            String idleId = clients.stream().filter(r -> r.get("state").equals("idle")).findFirst().orElseThrow()
                    .get("id");
            c.execute("KILL_CLIENT " + idleId);
            assertThatThrownBy(() -> idleStatement.execute("SELECT 2")).isInstanceOf(SQLException.class);
            tx.execute("SELECT 3"); // the other client goes on
            inTx.commit();
            assertThatThrownBy(() -> c.execute("KILL_CLIENT 999999")).isInstanceOf(SQLException.class)
                    .hasMessageContaining("no client with id 999999");
        }
    }

    /** What an exporter does with a value: parse it as the declared type. */
    private static void readAsItsType(ResultSet rs, int column, String type) throws SQLException {
        switch (type) {
            case "int4" -> rs.getInt(column);
            case "int8" -> rs.getLong(column);
            case "numeric" -> rs.getBigDecimal(column);
            default -> rs.getString(column);
        }
    }

    private Connection console() throws SQLException {
        return proxy.connect("pgbouncer", proxy.pg.user(), proxy.pg.password());
    }
}
