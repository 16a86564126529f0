package io.pgmux.server.clients;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import io.pgmux.server.metrics.ClientEntry;
import io.pgmux.testing.DetectLeaks;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@DetectLeaks
class ClientRegistryTest {
    private final ClientRegistry registry = new ClientRegistry(2);
    private final List<EmbeddedChannel> channels = new ArrayList<>();

    @AfterEach
    void closeChannels() {
        channels.forEach(EmbeddedChannel::finishAndReleaseAll);
    }

    @Test
    void admitsUpToMaxClientConnAndCountsEveryConnection() {
        assertThat(registry.admit()).isTrue();
        assertThat(registry.admit()).isTrue();
        assertThat(registry.admit()).as("third socket over max_client_conn 2").isFalse();
        assertThat(registry.connected()).isEqualTo(2);

        registry.leave();
        assertThat(registry.admit()).as("a place was freed").isTrue();

        assertThat(registry.connected()).isEqualTo(2);
        assertThat(registry.received()).isEqualTo(4);
        assertThat(registry.refused()).isEqualTo(1);
    }

    @Test
    void aCancelReachesOnlyTheRegisteredClientWithTheRightSecret() {
        ClientKey key = registry.newKey();
        List<String> cancelled = new ArrayList<>();
        registry.register(key, () -> cancelled.add("first"));

        assertThat(registry.cancel(key.processId(), key.secret() + 1)).isFalse();
        assertThat(registry.cancel(key.processId() + 1, key.secret())).isFalse();
        assertThat(cancelled).isEmpty();

        assertThat(registry.cancel(key.processId(), key.secret())).isTrue();
        assertThat(cancelled).containsExactly("first");

        registry.unregister(key);
        assertThat(registry.cancel(key.processId(), key.secret())).as("after unregister").isFalse();
        assertThat(cancelled).containsExactly("first");
    }

    @Test
    void unregisteringAnOldKeyLeavesTheClientThatHoldsItsProcessIdNow() {
        ClientKey old = new ClientKey(7, 1);
        ClientKey now = new ClientKey(7, 2);
        List<String> cancelled = new ArrayList<>();
        registry.register(now, () -> cancelled.add("now"));

        registry.unregister(old);

        assertThat(registry.cancel(7, 2)).isTrue();
        assertThat(cancelled).containsExactly("now");
    }

    @Test
    void newKeysNeverRepeatAProcessIdInUse() {
        Set<Integer> pids = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            ClientKey key = registry.newKey();
            assertThat(key.processId()).isPositive();
            assertThat(pids.add(key.processId())).isTrue();
            registry.register(key, () -> { });
        }
    }

    @Test
    void loggedInClientsAreCountedPerPoolAndListedForShowClientsUntilTheyClose() {
        EmbeddedChannel first = channel();
        EmbeddedChannel second = channel();
        EmbeddedChannel console = channel();
        EmbeddedChannel other = channel();
        registry.loggedIn(first, "app", "alice", false, "reports");
        registry.loggedIn(second, "app", "alice", false, null);
        registry.loggedIn(console, "pgbouncer", "alice", true, "psql");
        registry.loggedIn(other, "app", "bob", false, "");

        assertThat(registry.meters("app", "alice").clients()).isEqualTo(2);
        assertThat(registry.meters("app", "bob").clients()).isEqualTo(1);
        assertThat(registry.allMeters()).extracting(m -> m.key().user()).containsExactlyInAnyOrder("alice", "bob");
        assertThat(registry.loggedIn()).isEqualTo(4);
        assertThat(registry.logins()).isEqualTo(4);
        List<ClientEntry> listed = registry.loggedInClients();
        assertThat(listed).extracting(ClientEntry::channel).containsExactly(first, second, console, other);
        assertThat(listed).extracting(ClientEntry::applicationName).containsExactly("reports", "", "psql", "");
        assertThat(listed.get(2).meters()).as("a console client counts towards no pool").isNull();
        assertThat(listed.get(0).meters()).isSameAs(registry.meters("app", "alice"));

        first.close();
        console.close();

        assertThat(registry.loggedInClients()).extracting(ClientEntry::channel).containsExactly(second, other);
        assertThat(registry.meters("app", "alice").clients()).isEqualTo(1);
        assertThat(registry.loggedIn()).isEqualTo(2);
        assertThat(registry.logouts()).isEqualTo(2);
        assertThat(registry.logins()).isEqualTo(4);
    }

    private EmbeddedChannel channel() {
        EmbeddedChannel channel = new EmbeddedChannel();
        channels.add(channel);
        return channel;
    }
}
