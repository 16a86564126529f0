// Several listen addresses and the Unix socket, through pgmux to PostgreSQL: raw protocol clients on each.
package io.pgmux.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgmux.config.ConfigLoader;
import io.pgmux.testing.DetectLeaks;
import io.pgmux.testing.PostgresFixture;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DetectLeaks
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ListenAddressesIntegrationTest {
    private static final PostgresFixture PG = PostgresFixture.shared();

    @TempDir
    Path dir;
    private PgmuxServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    /**
     * pgmux on {@code listen}, with a Unix socket in {@link #dir} (mode 0770), and an hba file that lets clients of
     * the socket in without a password (local ... trust) while TCP clients must give theirs (host ... md5).
     */
    private PgmuxServer start(String listen, String extra) throws Exception {
        Path hba = Files.writeString(dir.resolve("hba.conf"), """
                local  all  all                trust
                host   all  all  127.0.0.1/32  md5
                host   all  all  ::1/128       md5
                """);
        server = new PgmuxServer(ConfigLoader.fromYaml("""
                listen: %s
                unix_socket_dir: %s
                unix_socket_mode: "0770"
                auth_hba_file: %s
                admin_users: [%s]
                %s
                pool: {mode: transaction, default_pool_size: 2}
                timeouts: {query_wait_timeout: 60s}
                databases:
                  %s: {host: %s, port: %d, user: %s, password: "%s"}
                users:
                  %s: {password: "%s"}
                """.formatted(listen, dir, hba, PG.user(), extra, PG.database(), PG.host(), PG.port(), PG.user(),
                PG.password(), PG.user(), PG.password()))).start();
        return server;
    }

    /** A raw protocol client on the Unix socket, through java.nio's UNIX SocketChannel. */
    private static RawClient overUnixSocket(Path socket) throws IOException {
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        channel.connect(UnixDomainSocketAddress.of(socket));
        return new RawClient(Channels.newInputStream(channel), Channels.newOutputStream(channel), channel);
    }

    @Test
    void aClientOfTheUnixSocketReachesPostgresqlThroughTheLocalRule() throws Exception {
        start("127.0.0.1:0", "application_name_add_host: 1");
        Path socket = server.unixSocketFile();
        assertThat(socket).isEqualTo(dir.resolve(".s.PGSQL." + server.port()));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket))).isEqualTo("rwxrwx---");

        try (RawClient local = overUnixSocket(socket)) {
            // As PostgreSQL: TLS is refused on the socket, and the client goes on in plain text.
            local.send(new byte[] {0, 0, 0, 8, 4, (byte) 0xd2, 0x16, 0x2f});
            assertThat(local.in.read()).isEqualTo('N');
            local.login(PG.user(), "not needed: local trust", PG.database(), Map.of("application_name", "cron"));
            assertThat(local.queryValue("SELECT current_user || '@' || current_database()"))
                    .isEqualTo(PG.user() + "@" + PG.database());
            assertThat(local.queryValue("SELECT current_setting('application_name')")).isEqualTo("cron - unix");

            try (RawClient console = overUnixSocket(socket)) {
                console.login(PG.user(), "", "pgbouncer");
                console.sendQuery("SHOW CLIENTS");
                String rows = readRows(console);
                assertThat(rows).contains(PG.user() + "|" + PG.database() + "|none|idle|unix|0|");
            }
        }
        try (RawClient tcp = new RawClient(server.port())) {
            tcp.sendStartup(PG.user(), PG.database());
            RawClient.Message request = tcp.readUntil('R');
            assertThat(java.nio.ByteBuffer.wrap(request.body()).getInt()).as("host lines ask TCP clients for md5")
                    .isEqualTo(5);
        }
    }

    @Test
    void psqlFindsTheSocketByDirectoryAndPort() throws Exception {
        Psql.assumeInstalled();
        start("127.0.0.1:0", "");
        Psql.Result result = Psql.run("host=" + dir + " port=" + server.port() + " dbname=" + PG.database()
                + " user=" + PG.user(), "", "SELECT current_user");
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).isEqualTo(PG.user());
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll", "io_uring"})
    void everyTransportServesTheUnixSocket(String transport) throws Exception {
        boolean available = switch (transport) {
            case "epoll" -> io.netty.channel.epoll.Epoll.isAvailable();
            case "io_uring" -> io.netty.channel.uring.IoUring.isAvailable();
            default -> true;
        };
        Assumptions.assumeTrue(available, transport + " does not load on this machine");
        start("127.0.0.1:0", "transport: " + transport);
        assertThat(server.transportName()).isEqualTo(transport);
        try (RawClient local = overUnixSocket(server.unixSocketFile())) {
            local.login(PG.user(), "", PG.database());
            assertThat(local.queryValue("SELECT 'over ' || '" + transport + "'")).isEqualTo("over " + transport);
        }
    }

    @Test
    void everyListenAddressServesClientsAndTheSocketFileGoesWithPgmux() throws Exception {
        String second = ipv6Loopback() ? "[::1]:0" : "127.0.0.2:0";
        start("[127.0.0.1:0, \"" + second + "\"]", "");
        List<InetSocketAddress> bound = server.listenAddresses();
        assertThat(bound).hasSize(2);
        assertThat(bound.get(0).getAddress().getHostAddress()).isEqualTo("127.0.0.1");
        for (InetSocketAddress address : bound) {
            try (RawClient client = new RawClient(new Socket(address.getAddress(), address.getPort()))) {
                client.login(PG.user(), PG.password(), PG.database());
                assertThat(client.queryValue("SELECT 40 + 2")).isEqualTo("42");
            }
        }
        Path socket = server.unixSocketFile();
        server.close();
        server = null;
        assertThat(socket).doesNotExist();
    }

    @Test
    void aStaleSocketFileIsReplacedButALiveOneIsNot() throws Exception {
        int port = freePort();
        Path socket = dir.resolve(".s.PGSQL." + port);
        try (ServerSocketChannel other = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            other.bind(UnixDomainSocketAddress.of(socket));
            assertThatThrownBy(() -> start("127.0.0.1:" + port, ""))
                    .isInstanceOf(ListenFailure.class)
                    .hasMessage("cannot listen on " + socket + " for clients: address already in use (another pgmux "
                            + "or PgBouncer?)");
        }
        assertThat(socket).as("the other server's file is left alone").exists();
        // The other server is gone and its file stays behind: nothing answers on it any more.
        start("127.0.0.1:" + port, "");
        try (RawClient local = overUnixSocket(server.unixSocketFile())) {
            local.login(PG.user(), "", PG.database());
            assertThat(local.queryValue("SELECT 1")).isEqualTo("1");
        }
    }

    private static boolean ipv6Loopback() {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName("::1"))) {
            return probe.getInetAddress() instanceof Inet6Address;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    /** The DataRows up to ReadyForQuery, one line each, columns joined by '|' (NULL as empty). */
    private static String readRows(RawClient client) throws IOException {
        StringBuilder rows = new StringBuilder();
        RawClient.Message m;
        while ((m = client.read()) != null && m.type() != 'Z') {
            if (m.type() != 'D') {
                continue;
            }
            java.nio.ByteBuffer body = java.nio.ByteBuffer.wrap(m.body());
            int columns = body.getShort();
            for (int i = 0; i < columns; i++) {
                int length = body.getInt();
                if (length > 0) {
                    rows.append(new String(m.body(), body.position(), length, StandardCharsets.UTF_8));
                    body.position(body.position() + length);
                }
                rows.append(i + 1 < columns ? "|" : "\n");
            }
        }
        return rows.toString();
    }
}
