// application_name_add_host: PostgreSQL sees each client's address and port after its application_name.
package io.pgmux.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgmux.testing.DetectLeaks;
import io.pgmux.testing.PostgresFixture;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@DetectLeaks
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ApplicationNameAddHostIntegrationTest {
    private static final PostgresFixture PG = PostgresFixture.shared();
    /** What the client's own backend reports, and what pg_stat_activity shows for it. */
    private static final String SEEN = "SELECT current_setting('application_name') || '|' || "
            + "(SELECT application_name FROM pg_stat_activity WHERE pid = pg_backend_pid())";

    @Test
    void eachClientSharingOneBackendIsSeenWithItsOwnAddressAndPort() throws Exception {
        try (TestProxy proxy = TestProxy.start("transaction", 1, "md5", "", "", "application_name_add_host: 1");
             RawClient named = new RawClient(proxy.port());
             RawClient unnamed = new RawClient(proxy.port())) {
            named.login(PG.user(), PG.password(), PG.database(), Map.of("application_name", "billing"));
            unnamed.login(PG.user(), PG.password(), PG.database());
            String namedExpected = "billing - 127.0.0.1:" + named.socket.getLocalPort();
            String unnamedExpected = "app - 127.0.0.1:" + unnamed.socket.getLocalPort();
            for (int round = 0; round < 3; round++) {
                assertThat(named.queryValue(SEEN)).isEqualTo(namedExpected + "|" + namedExpected);
                assertThat(unnamed.queryValue(SEEN)).isEqualTo(unnamedExpected + "|" + unnamedExpected);
            }
        }
    }

    @Test
    void offByDefaultTheNameIsTheClientsOwn() throws Exception {
        try (TestProxy proxy = TestProxy.start("transaction", 1, "md5", "", "");
             RawClient named = new RawClient(proxy.port())) {
            named.login(PG.user(), PG.password(), PG.database(), Map.of("application_name", "billing"));
            assertThat(named.queryValue(SEEN)).isEqualTo("billing|billing");
        }
    }
}
