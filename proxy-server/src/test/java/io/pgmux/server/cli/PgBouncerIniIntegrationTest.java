package io.pgmux.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgmux.config.PgmuxConfig;
import io.pgmux.config.PoolMode;
import io.pgmux.server.PgmuxServer;
import io.pgmux.testing.DetectLeaks;
import io.pgmux.testing.FreePorts;
import io.pgmux.testing.PostgresFixture;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** A PgBouncer user's files, as they are: pgmux runs from them, and pgmux convert prints their YAML. */
@DetectLeaks
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PgBouncerIniIntegrationTest {

    private final PostgresFixture pg = PostgresFixture.shared();

    @TempDir
    Path dir;

    private Path writeIni(int port) throws Exception {
        Files.writeString(dir.resolve("userlist.txt"), "\"%s\" \"%s\"\n".formatted(pg.user(), pg.password()));
        return Files.writeString(dir.resolve("pgbouncer.ini"), """
                [databases]
                appdb = host=%s port=%d dbname=%s

                [users]
                %s = pool_mode=transaction

                [pgbouncer]
                logfile = /var/log/pgbouncer/pgbouncer.log
                listen_addr = 127.0.0.1
                listen_port = %d
                auth_type = md5
                auth_file = userlist.txt
                admin_users = %s
                pool_mode = session
                default_pool_size = 2
                """.formatted(pg.host(), pg.port(), pg.database(), pg.user(), port, pg.user()));
    }

    @Test
    void pgmuxRunsFromAPgBouncerIniAndPgjdbcConnectsThroughIt() throws Exception {
        int port = FreePorts.find();
        PgmuxCommand command = new PgmuxCommand();
        new CommandLine(command).parseArgs("--pgbouncer-ini", writeIni(port).toString());
        PgmuxConfig config = command.load(null);
        assertThat(config.poolMode("appdb", pg.user())).as("[users] wins over [pgbouncer]")
                .isEqualTo(PoolMode.TRANSACTION);

        try (PgmuxServer server = new PgmuxServer(config).start()) {
            assertThat(server.port()).isEqualTo(port);
            Properties login = new Properties();
            login.setProperty("user", pg.user());
            login.setProperty("password", pg.password());
            String base = "jdbc:postgresql://127.0.0.1:" + port + "/";
            try (Connection app = DriverManager.getConnection(base + "appdb", login);
                    Statement s = app.createStatement();
                    ResultSet rs = s.executeQuery("SELECT current_database()")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo(pg.database());
            }
            login.setProperty("preferQueryMode", "simple");
            try (Connection console = DriverManager.getConnection(base + "pgbouncer", login);
                    Statement c = console.createStatement();
                    ResultSet pools = c.executeQuery("SHOW POOLS")) {
                assertThat(pools.next()).isTrue();
                assertThat(pools.getString("database")).isEqualTo("appdb");
                assertThat(pools.getString("pool_mode")).isEqualTo("transaction");
            }
        }
    }

    @Test
    void convertPrintsYamlAndNamesWhatItIgnores() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = run(out, err, "convert", writeIni(FreePorts.find()).toString());

        assertThat(status).as(err.toString()).isZero();
        assertThat(out.toString()).contains("appdb:", "mode: session", "default_pool_size: 2",
                "auth_file: " + dir.resolve("userlist.txt"));
        assertThat(err.toString()).contains("pgmux: warning: pgbouncer.ini line 8: logfile is ignored");
    }

    @Test
    void convertListsEveryProblemWithoutAStackTrace() throws Exception {
        Path ini = Files.writeString(dir.resolve("broken.ini"), """
                [databases]
                app = host=db prot=5432
                [pgbouncer]
                pool_mode = transactional
                max_client_con = 10
                """);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = run(out, err, "convert", ini.toString());

        assertThat(status).isEqualTo(2);
        assertThat(out.toString()).isEmpty();
        assertThat(err.toString()).contains("line 2: database app: unknown key 'prot'",
                "line 5: unknown PgBouncer setting 'max_client_con'").doesNotContain("at io.pgmux");
    }

    @Test
    void convertPrintsTheYamlEvenWhenItsFilesAreNotHere() throws Exception {
        Path ini = Files.writeString(dir.resolve("elsewhere.ini"), """
                [databases]
                app = host=db
                [pgbouncer]
                auth_file = /etc/pgbouncer/no-such-userlist.txt
                """);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = run(out, err, "convert", ini.toString());

        assertThat(status).isEqualTo(2);
        assertThat(out.toString()).contains("auth_file: /etc/pgbouncer/no-such-userlist.txt");
        assertThat(err.toString()).contains("pgmux: the converted configuration does not load here: ")
                .contains("no-such-userlist.txt");
    }

    private static int run(StringWriter out, StringWriter err, String... args) {
        CommandLine cli = new CommandLine(new PgmuxCommand());
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        return cli.execute(args);
    }
}
