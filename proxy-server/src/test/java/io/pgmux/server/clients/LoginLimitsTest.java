// Client limits per database and per user: exact counts, a refusal that counts nothing, release on close.
package io.pgmux.server.clients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.embedded.EmbeddedChannel;
import io.pgmux.protocol.PgException;
import io.pgmux.testing.DetectLeaks;
import org.junit.jupiter.api.Test;

@DetectLeaks
class LoginLimitsTest {
    private final LoginLimits limits = new LoginLimits();

    @Test
    void theClientOverADatabasesLimitIsRefusedAndCountsNothing() {
        EmbeddedChannel a = new EmbeddedChannel();
        EmbeddedChannel b = new EmbeddedChannel();
        limits.admit(a, "app", "alice", 2, 0);
        limits.admit(b, "app", "bob", 2, 0);

        assertThatThrownBy(() -> limits.admit(new EmbeddedChannel(), "app", "carol", 2, 0))
                .isInstanceOfSatisfying(PgException.class, e -> assertThat(e.sqlState()).isEqualTo("53300"))
                .hasMessageContaining("client connections exceeded (max_db_client_connections)");
        assertThat(limits.ofDatabase("app")).isEqualTo(2);
        assertThat(limits.ofUser("carol")).as("nothing counted for the refused client").isZero();

        a.close();
        assertThat(limits.ofDatabase("app")).isEqualTo(1);
        limits.admit(new EmbeddedChannel(), "app", "carol", 2, 0);
        assertThat(limits.ofDatabase("app")).isEqualTo(2);
    }

    @Test
    void aUsersLimitSpansDatabasesAndARefusalGivesTheDatabaseCountBack() {
        limits.admit(new EmbeddedChannel(), "app", "alice", 0, 1);
        assertThatThrownBy(() -> limits.admit(new EmbeddedChannel(), "reports", "alice", 0, 1))
                .isInstanceOfSatisfying(PgException.class, e -> assertThat(e.sqlState()).isEqualTo("53300"))
                .hasMessageContaining("client connections exceeded (max_user_client_connections)");
        assertThat(limits.ofDatabase("reports")).isZero();
        assertThat(limits.ofUser("alice")).isEqualTo(1);
    }

    @Test
    void zeroMeansUnlimited() {
        for (int i = 0; i < 100; i++) {
            limits.admit(new EmbeddedChannel(), "app", "alice", 0, 0);
        }
        assertThat(limits.ofDatabase("app")).isEqualTo(100);
    }
}
