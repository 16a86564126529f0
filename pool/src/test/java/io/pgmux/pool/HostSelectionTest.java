// Role detection and host selection against scripted fake servers: target_session_attrs as libpq defines it.
package io.pgmux.pool;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.concurrent.Future;
import io.pgmux.config.TargetSessionAttrs;
import io.pgmux.protocol.PgException;
import io.pgmux.protocol.SqlState;
import io.pgmux.testing.DetectLeaks;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@DetectLeaks
@Timeout(value = 30, unit = java.util.concurrent.TimeUnit.SECONDS)
class HostSelectionTest {
    private final FakePoolBed bed = new FakePoolBed();
    private final FakeHosts hosts = new FakeHosts(bed);

    @AfterEach
    void close() {
        hosts.close();
        bed.close();
    }

    @Test
    void readWriteSkipsTheStandbyAndLearnsBothRoles() throws Exception {
        FakeBackend standby = hosts.add("s1", "on", true);
        FakeBackend primary = hosts.add("p1", "off", false);
        Pool pool = pool(FakeHosts.target(TargetSessionAttrs.READ_WRITE, "s1", "p1"));

        ServerConnection server = bed.acquire(pool);

        assertThat(server.target().host()).isEqualTo("p1");
        assertThat(primary.logins()).isEqualTo(1);
        assertThat(standby.logins()).as("the standby was reached and left").isEqualTo(1);
        FakePoolBed.await("the standby's session closed", () -> standby.open() == 0);
        assertThat(roles(pool)).containsExactly("s1:5432 standby up", "p1:5432 primary up");

        pool.release(server, false);
        ServerConnection again = bed.acquire(pool);
        assertThat(again).isSameAs(server);
    }

    @Test
    void readWriteWithOnlyStandbysFailsWithConnectionFailureAndNeverUsesThem() throws Exception {
        FakeBackend standby = hosts.add("s1", "on", true);
        Pool pool = pool(FakeHosts.target(TargetSessionAttrs.PRIMARY, "s1"));

        PgException error = (PgException) FakePoolBed.failureOf(pool.acquire(bed.loop()));

        assertThat(error.sqlState()).isEqualTo(SqlState.CONNECTION_FAILURE);
        assertThat(error.getMessage()).contains("target_session_attrs primary").contains("a standby");
        FakePoolBed.await("the standby's session closed", () -> standby.open() == 0);
        assertThat(standby.statements()).isEmpty();
    }

    @Test
    void serversOlderThan14AreAskedPgIsInRecovery() throws Exception {
        FakeBackend oldStandby = hosts.add("s1", null, true);
        FakeBackend oldPrimary = hosts.add("p1", null, false);
        Pool pool = pool(FakeHosts.target(TargetSessionAttrs.READ_WRITE, "s1", "p1"));

        ServerConnection server = bed.acquire(pool);

        assertThat(server.target().host()).isEqualTo("p1");
        assertThat(oldStandby.statements()).containsExactly(RoleProbe.QUERY);
        assertThat(oldPrimary.statements()).containsExactly(RoleProbe.QUERY);
        assertThat(roles(pool)).containsExactly("s1:5432 standby up", "p1:5432 primary up");
    }

    @Test
    void standbyPoolSpreadsItsBackendsOverTheStandbysRoundRobin() throws Exception {
        hosts.add("p1", "off", false);
        FakeBackend s1 = hosts.add("s1", "on", true);
        FakeBackend s2 = hosts.add("s2", "on", true);
        Pool pool = pool(FakeHosts.target(TargetSessionAttrs.STANDBY, "p1", "s1", "s2"), 8);

        List<ServerConnection> held = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            held.add(bed.acquire(pool));
        }

        assertThat(held).allSatisfy(s -> assertThat(s.target().host()).isIn("s1", "s2"));
        assertThat(s1.open()).isBetween(3, 5);
        assertThat(s2.open()).isBetween(3, 5);
        assertThat(s1.open() + s2.open()).isEqualTo(8);
    }

    @Test
    void preferStandbyFallsBackToThePrimaryOnlyWhenNoStandbyIsUp() throws Exception {
        hosts.add("p1", "off", false);
        hosts.add("s1", "on", true);
        hosts.down("s1", true);
        Pool pool = pool(FakeHosts.target(TargetSessionAttrs.PREFER_STANDBY, "p1", "s1"), 4);

        ServerConnection onPrimary = bed.acquire(pool);
        assertThat(onPrimary.target().host()).isEqualTo("p1");

        hosts.down("s1", false);
        ServerConnection onStandby = bed.acquire(pool);
        assertThat(onStandby.target().host()).isEqualTo("s1");
    }

    @Test
    void aBackendWhoseStandbyWasPromotedIsClosedWhenItComesBack() throws Exception {
        FakeBackend standby = hosts.add("s1", "on", true);
        Pool pool = pool(FakeHosts.target(TargetSessionAttrs.STANDBY, "s1"));
        ServerConnection server = bed.acquire(pool);

        standby.promote();
        FakePoolBed.await("the promotion reported", () -> "off".equals(
                server.reportedParameters().get("in_hot_standby")));
        pool.release(server, false);

        FakePoolBed.await("the backend closed", () -> !server.isOpen());
        assertThat(pool.stats().idle()).isZero();
        assertThat(roles(pool)).containsExactly("s1:5432 primary up");
    }

    private Pool pool(BackendTarget target) {
        return pool(target, 2);
    }

    private Pool pool(BackendTarget target, int size) {
        Pool pool = new Pool(new PoolKey("app", "app"), target, FakePoolBed.limits(size, Duration.ofSeconds(10)),
                hosts, ConnectionBudget.unlimited("database app"), ConnectionBudget.unlimited("user app"),
                () -> null, bed.clock);
        bed.adopt(pool);
        return pool;
    }

    static List<String> roles(Pool pool) {
        return pool.hosts().stream()
                .map(h -> h.address() + " " + h.role().text() + " " + (h.up() ? "up" : "down")).toList();
    }

    static Future<ServerConnection> acquiring(FakePoolBed bed, Pool pool) {
        return pool.acquire(bed.loop());
    }
}
