package io.pgmux.config.pgbouncer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgmux.config.AuthType;
import io.pgmux.config.ConfigException;
import io.pgmux.config.ConfigLoader;
import io.pgmux.config.HostPort;
import io.pgmux.config.PasswordKind;
import io.pgmux.config.PgmuxConfig;
import io.pgmux.config.PoolMode;
import io.pgmux.config.QuickStartSettings;
import io.pgmux.config.ServerTlsMode;
import io.pgmux.config.TargetSessionAttrs;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Converts realistic PgBouncer files and loads the result through pgmux's own loader. */
class PgBouncerIniTest {

    @TempDir
    Path dir;

    private static Path fixture() throws URISyntaxException {
        return Path.of(PgBouncerIniTest.class.getResource("/pgbouncer/pgbouncer.ini").toURI());
    }

    private static PgmuxConfig load(PgBouncerConversion conversion) {
        return ConfigLoader.loadYaml(conversion.yaml(), "converted", Map.of(), QuickStartSettings.none(), null);
    }

    @Test
    void productionFileWithIncludeAuthFileAndHbaFileRunsAsPgmuxConfiguration() throws Exception {
        PgBouncerConversion conversion = PgBouncerIni.convert(fixture());
        PgmuxConfig config = load(conversion);

        assertThat(config.listen().toString()).isEqualTo("0.0.0.0:6432");
        assertThat(config.databases()).containsOnlyKeys("app", "app_batch", "reporting", "ha", "local_db",
                "odd.name", "*");
        assertThat(config.database("anything_else").host()).as("the fallback database").isEqualTo("10.0.1.10");
        assertThat(config.database("anything_else").dbname()).isEqualTo("anything_else");
        assertThat(config.database("app").host()).isEqualTo("10.0.1.10");
        assertThat(config.database("app").dbname()).isEqualTo("app_production");
        assertThat(config.database("app").user()).isEqualTo("app_rw");
        assertThat(config.database("app").password()).as("quoted, with '' and #").isEqualTo("s3cr'et #1");
        assertThat(config.database("app").poolSize()).isEqualTo(40);
        assertThat(config.database("reporting").poolMode()).isEqualTo(PoolMode.SESSION);
        assertThat(config.database("reporting").connectQuery()).isEqualTo("SELECT 1");
        assertThat(config.minPoolSize("app_batch")).isEqualTo(3);
        assertThat(config.reservePoolSize("app_batch")).as("PgBouncer's reserve_pool").isEqualTo(2);
        assertThat(config.maxDbConnections("app_batch")).isEqualTo(60);
        assertThat(config.maxDbClientConnections("app_batch")).isEqualTo(500);
        assertThat(config.serverLifetime("app_batch")).isEqualTo(Duration.ofSeconds(1800));
        assertThat(config.database("app_batch").serverParameters()).containsExactly(
                Map.entry("client_encoding", "UTF8"), Map.entry("DateStyle", "ISO, DMY"), Map.entry("TimeZone", "UTC"));
        assertThat(config.serverLifetime("app")).as("0 in [pgbouncer] keeps pgmux's default")
                .isEqualTo(Duration.ofSeconds(3600));
        assertThat(config.minPoolSize("app")).as("the [pgbouncer] value").isEqualTo(2);
        assertThat(config.maxDbConnections("app")).isEqualTo(100);
        assertThat(config.database("ha").hosts()).as("host=10.0.2.1,10.0.2.2 with its one port")
                .containsExactly(new HostPort("10.0.2.1", 6543), new HostPort("10.0.2.2", 6543));
        assertThat(config.database("local_db").host()).isEqualTo("127.0.0.1");
        assertThat(config.database("odd.name").dbname()).as("from the %include").isEqualTo("odd");

        assertThat(config.user("app").passwordKind()).as("from auth_file").isEqualTo(PasswordKind.MD5_HASH);
        assertThat(config.user("analyst").password()).isEqualTo("analyst-secret");
        assertThat(config.user("analyst").poolMode()).isEqualTo(PoolMode.SESSION);
        assertThat(config.maxUserConnections("analyst")).isEqualTo(4);
        assertThat(config.maxUserClientConnections("analyst")).isEqualTo(10);
        assertThat(config.poolSize("app", "analyst")).as("the user's wins over the database's 40").isEqualTo(3);
        assertThat(config.reservePoolSize("app", "analyst")).isEqualTo(1);
        assertThat(config.poolSize("app", "batch")).isEqualTo(40);
        assertThat(config.timeoutsFor("batch").queryTimeout()).as("the user's own").isEqualTo(Duration.ofSeconds(30));
        assertThat(config.timeoutsFor("analyst").queryTimeout()).isZero();
        assertThat(config.maxUserConnections("batch")).as("the [pgbouncer] value").isZero();
        assertThat(config.user("batch").poolMode()).isEqualTo(PoolMode.STATEMENT);
        assertThat(config.auth().hbaRules()).as("the local line is for the Unix socket").hasSize(4);
        assertThat(config.clientAddresses().unixSocketDir()).isEqualTo(Path.of("/var/run/postgresql"));
        assertThat(config.admin().adminUsers()).containsExactly("ops");
        assertThat(config.admin().statsUsers()).containsExactly("monitor", "ops");

        assertThat(config.pool().mode()).isEqualTo(PoolMode.TRANSACTION);
        assertThat(config.pool().maxClientConn()).isEqualTo(2000);
        assertThat(config.pool().defaultPoolSize()).isEqualTo(25);
        assertThat(config.pool().minPoolSize()).isEqualTo(2);
        assertThat(config.pool().reservePoolSize()).isEqualTo(5);
        assertThat(config.pool().reservePoolTimeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(config.pool().maxDbConnections()).isEqualTo(100);
        assertThat(config.pool().maxPreparedStatements()).isEqualTo(100);
        assertThat(config.pool().trackExtraParameters()).containsExactly("search_path", "intervalstyle");
        assertThat(config.timeouts().serverIdleTimeout()).isEqualTo(Duration.ofSeconds(300));
        assertThat(config.timeouts().queryWaitTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(config.timeouts().idleTransactionTimeout()).isEqualTo(Duration.ofSeconds(120));
        assertThat(config.timeouts().serverCheckDelay()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.timeouts().queryTimeout()).isEqualTo(Duration.ZERO);
        assertThat(config.timeouts().transactionTimeout()).isEqualTo(Duration.ofSeconds(300));
        assertThat(config.tcp().enabled()).isTrue();
        assertThat(config.tcp().idle()).isEqualTo(Duration.ofSeconds(60));
        assertThat(config.timeouts().serverLifetime()).as("0 keeps pgmux's default")
                .isEqualTo(Duration.ofSeconds(3600));
        assertThat(config.auth().serverTls().mode()).isEqualTo(ServerTlsMode.PREFER);
        assertThat(config.maxMessageLength()).isEqualTo(1 << 30);
        assertThat(config.admin().logging().connections()).isFalse();
        assertThat(config.admin().logging().disconnections()).isTrue();
        assertThat(config.admin().logging().statsPeriod()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.fleet().soReuseport()).isTrue();
        assertThat(config.fleet().peerId()).isEqualTo(1);
        assertThat(config.fleet().peers()).containsExactly(Map.entry(1, new HostPort("10.0.0.21", 6432)),
                Map.entry(2, new HostPort("10.0.0.22", 6432)));
    }

    @Test
    void everySettingWithoutEffectIsNamedInAWarningAndEveryTranslationInANote() throws Exception {
        PgBouncerConversion conversion = PgBouncerIni.convert(fixture());

        assertThat(conversion.warnings()).anySatisfy(w -> assertThat(w).startsWith("pgbouncer.ini line 22: logfile"));
        assertThat(String.join("\n", conversion.warnings()))
                .contains("pidfile is ignored",
                        "server_lifetime = 0",
                        "database local_db: no host", "peer 2: pool_size is ignored")
                .doesNotContain("database ha", "load_balance_hosts", "[peers]", "peer_id", "so_reuseport",
                        "query_timeout is ignored", "max_user_connections is ignored",
                        "min_pool_size is ignored", "reserve_pool is ignored", "max_db_connections is ignored",
                        "client_connections is ignored",
                        "connect_query is ignored", "tcp_keepidle is ignored", "no fallback database");
        assertThat(String.join("\n", conversion.notes()))
                .contains("server_tls_sslmode: allow becomes prefer", "listen_addr: * (every address)",
                        "reserve_pool_timeout", "max_packet_size", "server_check_query: <empty>",
                        "database ha: host 10.0.2.1,10.0.2.2 becomes hosts [10.0.2.1:6543, 10.0.2.2:6543]");
        assertThat(conversion.yaml()).startsWith("# pgmux configuration converted from pgbouncer.ini")
                .contains("#   pgbouncer.ini line 22: logfile is ignored");
    }

    @Test
    void everySettingAtPgBouncersDefaultConvertsAndLoads() throws Exception {
        Path defaults = Path.of(PgBouncerIniTest.class.getResource("/pgbouncer/defaults.ini").toURI());
        PgBouncerConversion conversion = PgBouncerIni.convert(defaults);
        // No user can log in with md5 and no auth_file, in PgBouncer as in pgmux: trust comes from the environment.
        PgmuxConfig config = ConfigLoader.loadYaml(conversion.yaml(), "converted", Map.of("PGMUX_AUTH_TYPE", "trust"),
                QuickStartSettings.none(), null);

        assertThat(config.pool().mode()).isEqualTo(PoolMode.SESSION);
        assertThat(config.pool().maxClientConn()).isEqualTo(100);
        assertThat(config.pool().maxPreparedStatements()).isEqualTo(200);
        assertThat(config.auth().authFile()).as("an empty file name is not set").isNull();
        assertThat(config.auth().clientTls().certFile()).isNull();
        assertThat(config.timeouts().queryWaitTimeout()).isEqualTo(Duration.ofSeconds(120));
        assertThat(config.admin().logging().statsPeriod()).isEqualTo(Duration.ofSeconds(60));
        assertThat(String.join("\n", conversion.warnings())).contains(
                "tcp_defer_accept is ignored", "scram_iterations is ignored", "listen_addr is not set")
                .doesNotContain("conffile", "verbose");
    }

    @Test
    void settingsOfLaterPgBouncersAreIgnoredWithAWarning() {
        PgBouncerConversion conversion = convert("""
                [databases]
                app = host=db
                [pgbouncer]
                pool_idle_timeout = 60
                """);
        assertThat(conversion.warnings()).anySatisfy(w -> assertThat(w).contains("pool_idle_timeout is ignored"));
    }

    @Test
    void pgbouncerDefaultsThatPgmuxDoesNotShareAreWrittenOut() {
        PgmuxConfig config = load(convert("""
                [databases]
                app = host=db
                [pgbouncer]
                auth_type = trust
                listen_addr = 127.0.0.1
                """));
        assertThat(config.pool().mode()).as("PgBouncer's default").isEqualTo(PoolMode.SESSION);
        assertThat(config.pool().maxClientConn()).as("PgBouncer's default").isEqualTo(100);
        assertThat(config.listen().port()).isEqualTo(6432);
        assertThat(config.authType()).isEqualTo(AuthType.TRUST);
    }

    @Test
    void plainAuthenticationBecomesPasswordAllowedWithoutTls() throws Exception {
        Files.writeString(dir.resolve("users.txt"), "\"app\" \"secret\"\n");
        PgmuxConfig config = load(convert("""
                [databases]
                app = host=db
                [users]
                app = pool_mode=statement
                [pgbouncer]
                listen_addr = ::1
                listen_port = 7432
                auth_type = plain
                auth_file = users.txt
                """));
        assertThat(config.authType()).isEqualTo(AuthType.PASSWORD);
        assertThat(config.auth().cleartextWithoutTls()).isTrue();
        assertThat(config.user("app").password()).as("[users] gives settings, auth_file the password")
                .isEqualTo("secret");
        assertThat(config.user("app").poolMode()).isEqualTo(PoolMode.STATEMENT);
        assertThat(config.listen().toString()).isEqualTo("[::1]:7432");
    }

    @Test
    void everyListenAddressIsKeptAndASocketOnlyFileListensOnLoopbackToo() {
        PgBouncerConversion several = convert("""
                [databases]
                app = host=db
                [pgbouncer]
                auth_type = trust
                listen_addr = 10.0.0.5, 127.0.0.1, ::1
                """);
        PgmuxConfig config = load(several);
        assertThat(config.listenAddresses()).extracting(Object::toString)
                .containsExactly("10.0.0.5:6432", "127.0.0.1:6432", "[::1]:6432");
        assertThat(String.join("\n", several.warnings())).doesNotContain("listen_addr");

        PgBouncerConversion socketOnly = convert("""
                [databases]
                app = host=db
                """);
        assertThat(socketOnly.yaml()).contains("listen: 127.0.0.1:6432");
        assertThat(socketOnly.warnings()).anySatisfy(w -> assertThat(w).startsWith("listen_addr is not set"));
    }

    @Test
    void theUnixSocketKeysAreAppliedWithPgBouncersDefaultDirectory() {
        PgmuxConfig socket = load(convert("""
                [databases]
                app = host=db
                [pgbouncer]
                auth_type = trust
                listen_addr = 127.0.0.1
                listen_port = 7432
                unix_socket_dir = /var/run/pgbouncer
                unix_socket_mode = 0770
                unix_socket_group = postgres
                """));
        assertThat(socket.clientAddresses().unixSocketFile(7432))
                .isEqualTo(Path.of("/var/run/pgbouncer/.s.PGSQL.7432"));
        assertThat(socket.clientAddresses().unixSocketMode()).isEqualTo(0770);
        assertThat(socket.clientAddresses().unixSocketGroup()).isEqualTo("postgres");

        PgmuxConfig unset = load(convert("""
                [databases]
                app = host=db
                [pgbouncer]
                auth_type = trust
                listen_addr = 127.0.0.1
                """));
        assertThat(unset.clientAddresses().unixSocketDir()).as("PgBouncer's default").isEqualTo(Path.of("/tmp"));
        assertThat(unset.clientAddresses().unixSocketMode()).isEqualTo(0777);

        PgmuxConfig off = load(convert("""
                [databases]
                app = host=db
                [pgbouncer]
                auth_type = trust
                listen_addr = 127.0.0.1
                unix_socket_dir =
                """));
        assertThat(off.clientAddresses().unixSocketDir()).as("empty: no socket, as in PgBouncer").isNull();
    }

    @Test
    void perDatabaseAuthUserDatabaseAndQueryAreApplied() throws Exception {
        Files.writeString(dir.resolve("users.txt"), "\"auth_a\" \"a\"\n\"auth_b\" \"b\"\n");
        PgBouncerConversion conversion = convert("""
                [databases]
                app = host=db auth_user=auth_b auth_dbname=meta auth_query='SELECT u, p FROM t WHERE u=$1'
                meta = host=db
                other = host=db auth_user=
                [pgbouncer]
                listen_addr = 127.0.0.1
                auth_file = users.txt
                auth_user = auth_a
                auth_dbname = meta
                """);
        PgmuxConfig config = load(conversion);
        assertThat(config.database("app").auth())
                .isEqualTo(new io.pgmux.config.DatabaseAuth("auth_b", "meta", "SELECT u, p FROM t WHERE u=$1"));
        assertThat(config.database("other").auth().authUser()).as("empty: the [pgbouncer] value").isNull();
        assertThat(config.auth().authQuery().dbname()).isEqualTo("meta");
        assertThat(String.join("\n", conversion.warnings())).doesNotContain("auth_user", "auth_dbname", "auth_query");
    }

    @Test
    void pgBouncersDefaultAuthQueryIsWrittenOutWhereAnAuthUserLooksUsersUp() throws Exception {
        Files.writeString(dir.resolve("users.txt"), "\"auth_a\" \"a\"\n");
        String pgBouncers = "SELECT rolname, CASE WHEN rolvaliduntil < now() THEN NULL ELSE rolpassword END "
                + "FROM pg_authid WHERE rolname=$1 AND rolcanlogin";
        PgmuxConfig global = load(convert("""
                [databases]
                app = host=db
                [pgbouncer]
                auth_file = users.txt
                auth_user = auth_a
                """));
        assertThat(global.auth().authQuery().query()).as("PgBouncer 1.25's default").isEqualTo(pgBouncers);

        PgBouncerConversion perDatabase = convert("""
                [databases]
                app = host=db auth_user=auth_a
                [pgbouncer]
                auth_file = users.txt
                """);
        assertThat(perDatabase.yaml()).contains("auth_query: SELECT rolname, CASE WHEN rolvaliduntil");
        load(perDatabase);

        PgBouncerConversion own = convert("""
                [databases]
                app = host=db
                [pgbouncer]
                auth_file = users.txt
                auth_user = auth_a
                auth_query = SELECT u, p FROM users WHERE u=$1
                """);
        assertThat(load(own).auth().authQuery().query()).isEqualTo("SELECT u, p FROM users WHERE u=$1");

        assertThat(convert("""
                [databases]
                app = host=db
                [pgbouncer]
                auth_file = users.txt
                """).yaml()).as("no auth_user: no lookup, no query").doesNotContain("auth_query");
    }

    @Test
    void reservePoolSizeTheLaterNameOfADatabasesReservePoolIsApplied() {
        PgmuxConfig config = load(convert("""
                [databases]
                app = host=db reserve_pool_size=4
                [pgbouncer]
                auth_type = trust
                """));
        assertThat(config.reservePoolSize("app")).isEqualTo(4);
    }

    @Test
    void clientVerifyFullBecomesVerifyCaWhichIsWhatPgBouncerChecks() {
        PgBouncerConversion full = convert("""
                [databases]
                app = host=db
                [pgbouncer]
                client_tls_sslmode = verify-full
                """);
        assertThat(full.yaml()).contains("client_tls_sslmode: verify-ca").doesNotContain("verify-full\n");
        assertThat(full.notes()).containsExactly("pgbouncer.ini line 4: client_tls_sslmode: verify-full becomes "
                + "verify-ca: PgBouncer checks a client certificate alike for both, while pgmux's verify-full also "
                + "wants its common name to be the user name");

        PgBouncerConversion require = convert("""
                [databases]
                app = host=db
                [pgbouncer]
                client_tls_sslmode = require
                """);
        assertThat(require.yaml()).contains("client_tls_sslmode: require");
        assertThat(require.notes()).isEmpty();
    }

    @Test
    void applicationNameAddHostIsApplied() {
        PgBouncerConversion conversion = convert("""
                [databases]
                app = host=db
                [pgbouncer]
                auth_type = trust
                listen_addr = 127.0.0.1
                application_name_add_host = 1
                """);
        assertThat(load(conversion).clientAddresses().applicationNameAddHost()).isTrue();
        assertThat(String.join("\n", conversion.warnings())).doesNotContain("application_name_add_host");
    }

    @Test
    void serverRoundRobinIsAppliedWithoutAWarning() {
        PgBouncerConversion conversion = convert("""
                [databases]
                app = host=db
                [pgbouncer]
                auth_type = trust
                listen_addr = 127.0.0.1
                server_round_robin = 1
                """);
        assertThat(load(conversion).pool().serverRoundRobin()).isTrue();
        assertThat(String.join("\n", conversion.warnings())).doesNotContain("server_round_robin");
        assertThat(load(convert("""
                [databases]
                app = host=db
                [pgbouncer]
                auth_type = trust
                listen_addr = 127.0.0.1
                """)).pool().serverRoundRobin()).as("PgBouncer's default, LIFO").isFalse();
    }

    @Test
    void aHostListBecomesHostsEachWithTheEntrysOnePort() {
        PgBouncerConversion conversion = convert("""
                [databases]
                app = host=db1,db2,2001:db8::7 port=5433 dbname=app
                one = host=db1
                * = host='db1, db2'
                sock = host=/var/run/postgresql,127.0.0.1
                [pgbouncer]
                auth_type = trust
                listen_addr = 127.0.0.1
                """);
        PgmuxConfig config = load(conversion);
        assertThat(config.database("app").hosts()).containsExactly(new HostPort("db1", 5433),
                new HostPort("db2", 5433), new HostPort("2001:db8::7", 5433));
        assertThat(config.database("one").hosts()).containsExactly(new HostPort("db1", 5432));
        assertThat(config.database("anything").hosts()).as("the fallback database")
                .containsExactly(new HostPort("db1", 5432), new HostPort("db2", 5432));
        assertThat(config.database("sock").hosts()).as("the socket directory becomes loopback, once")
                .containsExactly(new HostPort("127.0.0.1", 5432));
        assertThat(config.database("app").targetSessionAttrs()).isEqualTo(TargetSessionAttrs.ANY);
        assertThat(String.join("\n", conversion.notes())).contains(
                "line 2: database app: host db1,db2,2001:db8::7 becomes hosts [db1:5433, db2:5433, "
                        + "[2001:db8::7]:5433]; pgmux opens each new backend on the host with the fewest");
        assertThat(String.join("\n", conversion.warnings()))
                .contains("database sock: host /var/run/postgresql is a Unix socket directory",
                        "database sock: host 127.0.0.1 is listed once only")
                .doesNotContain("database app", "one host");
    }

    @Test
    void loadBalanceHostsDisableIsWarnedAboutUnlessThePrimaryAloneIsUsed() {
        PgBouncerConversion conversion = convert("""
                [databases]
                spread = host=db1,db2 load_balance_hosts=round-robin
                ordered = host=db1,db2 load_balance_hosts=disable
                primary = host=db1,db2 load_balance_hosts=disable target_session_attrs=read-write
                single = host=db1 load_balance_hosts=disable
                [pgbouncer]
                auth_type = trust
                listen_addr = 127.0.0.1
                """);
        PgmuxConfig config = load(conversion);
        assertThat(config.database("primary").targetSessionAttrs()).isEqualTo(TargetSessionAttrs.READ_WRITE);
        assertThat(config.database("ordered").hosts()).hasSize(2);
        assertThat(conversion.warnings()).singleElement().asString()
                .isEqualTo("pgbouncer.ini line 3: database ordered: load_balance_hosts = disable is ignored: pgmux "
                        + "spreads backends over every host; to keep to one server and follow it when it fails "
                        + "over, set target_session_attrs: read-write (the primary)");
    }

    @Test
    void badHostListsPortsAndBalanceModesAreErrors() {
        assertThatThrownBy(() -> convert("""
                [databases]
                a = host=db1,,db2
                b = host=db1,db2 port=5432,5433
                c = host=db1,db2 load_balance_hosts=random
                d = host=db1 target_session_attrs=writable
                """))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("line 2: database a: host 'db1,,db2' has an empty item")
                .hasMessageContaining("line 3: b port: PgBouncer takes one port, used for every host of the list, "
                        + "got '5432,5433'")
                .hasMessageContaining("line 4: database c: load_balance_hosts must be round-robin or disable, "
                        + "got 'random'")
                .hasMessageContaining("line 5: database d: target_session_attrs: must be one of any");
    }

    @Test
    void peersAndPeerIdLetACancelRequestReachTheReplicaOfItsClient() {
        PgBouncerConversion conversion = convert("""
                [databases]
                app = host=db
                [pgbouncer]
                auth_type = trust
                listen_addr = 10.0.0.23, 127.0.0.1
                listen_port = 6433
                peer_id = 3
                [peers]
                1 = host=10.0.0.21 port=6432
                2 = host=fd00::22 pool_size=8
                4 = host=/tmp/pgbouncer-4 port=5555
                """);
        PgmuxConfig config = load(conversion);
        assertThat(config.fleet().peerId()).isEqualTo(3);
        assertThat(config.fleet().peers()).as("this replica added, the Unix socket peer left out")
                .containsExactly(Map.entry(1, new HostPort("10.0.0.21", 6432)),
                        Map.entry(2, new HostPort("fd00::22", 6432)), Map.entry(3, new HostPort("10.0.0.23", 6433)));
        assertThat(conversion.notes()).contains("pgbouncer.ini line 7: peer_id: [peers] has no entry for this "
                + "replica (3), which pgmux lists too: it is 10.0.0.23:6433, the first listen address");
        assertThat(String.join("\n", conversion.warnings())).contains(
                "line 10: peer 2: pool_size is ignored",
                "line 11: peer 4 is ignored: it is reached through a Unix socket")
                .doesNotContain("[peers] section is ignored", "pgmux has no peers");
    }

    @Test
    void withoutPeerIdPeeringStaysOffAsInPgBouncer() {
        PgBouncerConversion conversion = convert("""
                [databases]
                app = host=db
                [pgbouncer]
                auth_type = trust
                [peers]
                1 = host=10.0.0.21
                2 = host=10.0.0.22
                """);
        assertThat(load(conversion).fleet().hasPeers()).isFalse();
        assertThat(conversion.yaml()).doesNotContain("peers:", "peer_id:");
        assertThat(conversion.warnings()).contains("pgbouncer.ini line 6: the [peers] section is ignored: peer_id is "
                + "not set (0), which turns peering off in PgBouncer too");

        PgBouncerConversion alone = convert("""
                [databases]
                app = host=db
                [pgbouncer]
                auth_type = trust
                peer_id = 2
                """);
        assertThat(load(alone).fleet().hasPeers()).isFalse();
        assertThat(alone.warnings()).anySatisfy(w -> assertThat(w).startsWith(
                "pgbouncer.ini line 5: peer_id is ignored: there is no [peers] section"));
    }

    @Test
    void peerIdsPgmuxCannotCarryAndBadPeerLinesAreErrors() {
        assertThatThrownBy(() -> convert("""
                [databases]
                app = host=db
                [pgbouncer]
                peer_id = 300
                [peers]
                300 = host=10.0.0.1
                x = host=10.0.0.2
                5 = host=10.0.0.5 prot=6432
                6 = host=10.0.0.6 port=70000
                """))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("line 4: peer id 300 is above pgmux's 255: its cancel keys carry the id in 8 "
                        + "bits")
                .hasMessageContaining("line 7: a [peers] key must be a peer id, got 'x'")
                .hasMessageContaining("line 8: peer 5: unknown key 'prot'")
                .hasMessageContaining("line 9: peer 6 port: must be 1..65535, got 70000");
        assertThatThrownBy(() -> convert("""
                [databases]
                app = host=db
                [pgbouncer]
                peer_id = 20000
                """)).hasMessageContaining("line 4: peer id must be 0..16383, got 20000");
    }

    @Test
    void everyMistakeIsReportedAtOnceWithItsLine() {
        assertThatThrownBy(() -> convert("""
                stray = 1
                [databases]
                app = host=db pool_siz=3
                bad = host='unterminated
                [users]
                ann = pool_mod=session
                [pgbouncer]
                default_pool_size = many
                listen_prot = 6432
                auth_type = ldap
                query_wait_timeout = soon
                [pgbouncr]
                x = 1
                """))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("line 1: setting outside any section")
                .hasMessageContaining("line 3: database app: unknown key 'pool_siz'")
                .hasMessageContaining("line 4: bad: the quoted value of host has no closing quote")
                .hasMessageContaining("line 6: user ann: unknown key 'pool_mod'")
                .hasMessageContaining("line 8: default_pool_size: must be an integer, got 'many'")
                .hasMessageContaining("line 9: unknown PgBouncer setting 'listen_prot'")
                .hasMessageContaining("line 10: auth_type: ldap authentication is not supported")
                .hasMessageContaining("line 11: query_wait_timeout: must be a number of seconds, got 'soon'")
                .hasMessageContaining("line 13: unknown section [pgbouncr]");
    }

    @Test
    void hbaWithoutItsFileAndAMissingIncludeAreErrors() {
        assertThatThrownBy(() -> convert("""
                [databases]
                app = host=db
                %include missing.ini
                [pgbouncer]
                auth_type = hba
                """))
                .hasMessageContaining("line 3: PgBouncer configuration file not found")
                .hasMessageContaining("auth_type: hba needs auth_hba_file");
    }

    @Test
    void includeLoopsStop() throws Exception {
        Files.writeString(dir.resolve("loop.ini"), "%include loop.ini\n");
        assertThatThrownBy(() -> PgBouncerIni.convert(Files.writeString(dir.resolve("main.ini"), """
                [databases]
                app = host=db
                %include loop.ini
                """))).hasMessageContaining("nested more than 10 deep");
    }

    @Test
    void timesInSecondsBecomeDurations() {
        PgmuxConfig config = load(convert("""
                [databases]
                app = host=db
                [pgbouncer]
                auth_type = trust
                query_timeout = 2.5
                client_idle_timeout = 600
                query_wait_notify = 0
                server_check_delay = 0
                """));
        assertThat(config.timeouts().queryTimeout()).isEqualTo(Duration.ofMillis(2500));
        assertThat(config.timeouts().clientIdleTimeout()).isEqualTo(Duration.ofMinutes(10));
        assertThat(config.timeouts().queryWaitNotify()).isEqualTo(Duration.ZERO);
        assertThat(config.timeouts().serverCheckDelay()).isEqualTo(Duration.ZERO);
    }

    @Test
    void textsThatYamlWouldReadAsOtherTypesStayTexts() {
        PgmuxConfig config = load(convert("""
                [databases]
                app = host=db user=yes password=0777
                [pgbouncer]
                auth_type = trust
                """));
        assertThat(config.database("app").user()).isEqualTo("yes");
        assertThat(config.database("app").password()).isEqualTo("0777");
    }

    private PgBouncerConversion convert(String ini) {
        return PgBouncerIni.convert(dir.resolve("pgbouncer.ini"), ini);
    }
}
