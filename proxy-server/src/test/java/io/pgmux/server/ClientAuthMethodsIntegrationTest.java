package io.pgmux.server;

import static io.pgmux.server.AuthProxy.props;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgmux.protocol.auth.Md5Password;
import io.pgmux.protocol.auth.ScramSecret;
import io.pgmux.server.auth.AuthFailures;
import io.pgmux.testing.DetectLeaks;
import io.pgmux.testing.PostgresFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Client methods chosen per user by an hba file, with credentials from the config and a PgBouncer userlist:
 * pgjdbc and psql with right and wrong passwords, unknown users and databases, TLS-only rules and
 * SCRAM-SHA-256-PLUS. The backend login is the test role throughout, so only pgmux's own checks are exercised.
 */
@DetectLeaks
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ClientAuthMethodsIntegrationTest {
    @TempDir
    static Path dir;
    static AuthProxy proxy;
    static Path caFile;
    static final PostgresFixture pg = PostgresFixture.shared();

    @BeforeAll
    static void start() throws Exception {
        TestCertificates ca = TestCertificates.newAuthority("auth-ca");
        caFile = ca.writeCa(dir);
        TestCertificates.Issued server = ca.issueServer(dir, "server");
        Path userlist = Files.writeString(dir.resolve("userlist.txt"), """
                "bob" "%s"
                "carol" "%s"
                "dave" "dave_pw"
                "eve" "eve_pw"
                """.formatted(Md5Password.storedSecret("bob", "bob_pw"), ScramSecret.fromPassword("carol_pw")));
        Path hba = Files.writeString(dir.resolve("hba.conf"), """
                host      all           alice    127.0.0.1/32  scram-sha-256
                host      all           bob      127.0.0.1/32  md5
                host      all           carol    127.0.0.1/32  md5
                hostssl   all           dave     127.0.0.1/32  password
                hostnossl all           dave     127.0.0.1/32  reject
                host      all           eve      127.0.0.1/32  trust
                host      all           mallory  127.0.0.1/32  reject
                host      all           all      10.0.0.0/8    trust
                hostssl   %s            all      127.0.0.1/32  scram-sha-256
                """.formatted(pg.database()));
        proxy = new AuthProxy("""
                auth_hba_file: %s
                auth_file: %s
                client_tls_sslmode: prefer
                client_tls_cert_file: %s
                client_tls_key_file: %s
                """.formatted(hba, userlist, server.certFile(), server.keyFile()), """
                alice:
                  password: alice_pw
                mallory:
                  password: mallory_pw
                """);
    }

    @AfterAll
    static void stop() {
        proxy.close();
    }

    private static Properties tls() {
        return props("sslmode", "verify-full", "sslrootcert", caFile.toString());
    }

    private static void assertSqlState(ThrowingCallable login, String sqlState, String message) {
        assertThatThrownBy(login).isInstanceOfSatisfying(SQLException.class, e -> {
            assertThat(e.getSQLState()).isEqualTo(sqlState);
            assertThat(e.getMessage()).contains(message);
        });
    }

    @Test
    void scramFromTheConfig() throws Exception {
        assertThat(proxy.selectOne("alice", "alice_pw", new Properties())).isEqualTo(1);
        long before = proxy.server.authFailures().count(AuthFailures.Reason.WRONG_PASSWORD);
        assertSqlState(() -> proxy.selectOne("alice", "nope", new Properties()), "28P01",
                "password authentication failed for user \"alice\"");
        assertThat(proxy.server.authFailures().count(AuthFailures.Reason.WRONG_PASSWORD)).isEqualTo(before + 1);
    }

    @Test
    void md5HashFromTheAuthFile() throws Exception {
        assertThat(proxy.selectOne("bob", "bob_pw", new Properties())).isEqualTo(1);
        assertSqlState(() -> proxy.selectOne("bob", "alice_pw", new Properties()), "28P01",
                "password authentication failed for user \"bob\"");
    }

    @Test
    void md5RuleWithAScramSecretFallsBackToScram() throws Exception {
        assertThat(proxy.selectOne("carol", "carol_pw", new Properties())).isEqualTo(1);
        assertSqlState(() -> proxy.selectOne("carol", "bob_pw", new Properties()), "28P01", "\"carol\"");
    }

    @Test
    void cleartextPasswordOnlyOverTls() throws Exception {
        assertThat(proxy.selectOne("dave", "dave_pw", tls())).isEqualTo(1);
        assertSqlState(() -> proxy.selectOne("dave", "wrong", tls()), "28P01",
                "password authentication failed for user \"dave\"");
        assertSqlState(() -> proxy.selectOne("dave", "dave_pw", new Properties()), "28000",
                "pg_hba.conf rejects connection for host \"127.0.0.1\", user \"dave\", database \""
                        + pg.database() + "\", no encryption");
    }

    @Test
    void trustAndReject() throws Exception {
        assertThat(proxy.selectOne("eve", "anything at all", new Properties())).isEqualTo(1);
        long before = proxy.server.authFailures().count(AuthFailures.Reason.HBA_REJECT);
        assertSqlState(() -> proxy.selectOne("mallory", "mallory_pw", tls()), "28000",
                "pg_hba.conf rejects connection for host \"127.0.0.1\", user \"mallory\", database \""
                        + pg.database() + "\", SSL encryption");
        assertThat(proxy.server.authFailures().count(AuthFailures.Reason.HBA_REJECT)).isEqualTo(before + 1);
    }

    @Test
    void unknownUserLooksLikeAWrongPassword() {
        long before = proxy.server.authFailures().count(AuthFailures.Reason.UNKNOWN_USER);
        assertSqlState(() -> proxy.selectOne("zed", "whatever", tls()), "28P01",
                "password authentication failed for user \"zed\"");
        assertThat(proxy.server.authFailures().count(AuthFailures.Reason.UNKNOWN_USER)).isEqualTo(before + 1);
    }

    @Test
    void noMatchingRule() {
        assertSqlState(() -> proxy.selectOne("zed", "whatever", new Properties()), "28000",
                "no pg_hba.conf entry for host \"127.0.0.1\", user \"zed\", database \"" + pg.database()
                        + "\", no encryption");
    }

    @Test
    void unknownDatabase() {
        assertThatThrownBy(() -> java.sql.DriverManager.getConnection(
                "jdbc:postgresql://127.0.0.1:" + proxy.port() + "/no_such_db", props("user", "alice",
                        "password", "alice_pw", "sslmode", "disable")))
                .isInstanceOfSatisfying(SQLException.class, e -> {
                    assertThat(e.getSQLState()).isEqualTo("3D000");
                    assertThat(e.getMessage()).contains("database \"no_such_db\" does not exist");
                });
    }

    @Test
    void scramSha256PlusWithPgjdbcChannelBindingRequire() throws Exception {
        Properties plus = tls();
        plus.setProperty("channelBinding", "require");
        assertThat(proxy.selectOne("alice", "alice_pw", plus)).isEqualTo(1);
        assertThat(proxy.selectOne("carol", "carol_pw", plus)).isEqualTo(1);
        assertSqlState(() -> proxy.selectOne("alice", "wrong", plus), "28P01", "\"alice\"");
    }

    @Test
    void psqlWithEachMethod() throws Exception {
        Psql.assumeInstalled();
        String base = "host=127.0.0.1 port=" + proxy.port() + " dbname=" + pg.database();
        assertThat(Psql.run(base + " user=alice sslmode=disable", "alice_pw", "SELECT 'scram'").output())
                .isEqualTo("scram");
        assertThat(Psql.run(base + " user=bob sslmode=disable", "bob_pw", "SELECT 'md5'").output())
                .isEqualTo("md5");
        assertThat(Psql.run(base + " user=dave sslmode=require", "dave_pw", "SELECT 'password'").output())
                .isEqualTo("password");
        assertThat(Psql.run(base + " user=eve sslmode=disable", "", "SELECT 'trust'").output())
                .isEqualTo("trust");
        Psql.Result wrong = Psql.run(base + " user=bob sslmode=disable", "nope", "SELECT 1");
        assertThat(wrong.exitCode()).isNotZero();
        assertThat(wrong.output()).contains("password authentication failed for user \"bob\"");
        Psql.Result unknownUser = Psql.run(base + " user=zed sslmode=require", "nope", "SELECT 1");
        assertThat(unknownUser.output()).contains("password authentication failed for user \"zed\"");
        Psql.Result rejected = Psql.run(base + " user=mallory sslmode=disable", "mallory_pw", "SELECT 1");
        assertThat(rejected.output()).contains("pg_hba.conf rejects connection");
        Psql.Result unknownDb = Psql.run("host=127.0.0.1 port=" + proxy.port() + " dbname=nope user=alice "
                + "sslmode=disable", "alice_pw", "SELECT 1");
        assertThat(unknownDb.output()).contains("database \"nope\" does not exist");
    }
}
