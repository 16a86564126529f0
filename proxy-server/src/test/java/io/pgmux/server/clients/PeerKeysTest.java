package io.pgmux.server.clients;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgmux.testing.DetectLeaks;
import org.junit.jupiter.api.Test;

@DetectLeaks
class PeerKeysTest {

    @Test
    void keysNameTheirIssuerAndStayPositive() {
        PeerKeys keys = new PeerKeys(true, 255);
        for (int sequence : new int[] {1, 2, 0x7FFFFF, 0x800000, Integer.MAX_VALUE, -1}) {
            int pid = keys.processId(sequence);
            assertThat(pid).isPositive();
            assertThat(PeerKeys.peerOf(pid)).isEqualTo(255);
            assertThat(PeerKeys.forwarded(pid)).isFalse();
        }
        assertThat(PeerKeys.peerOf(new PeerKeys(true, 3).processId(42))).isEqualTo(3);
    }

    @Test
    void peerZeroIsAPeerToo() {
        int pid = new PeerKeys(true, 0).processId(0x800001);
        assertThat(pid).isEqualTo(1);
        assertThat(PeerKeys.peerOf(pid)).isZero();
    }

    @Test
    void withoutPeersTheSequenceIsTheWholeProcessId() {
        assertThat(PeerKeys.NONE.processId(123_456_789)).isEqualTo(123_456_789);
        assertThat(PeerKeys.NONE.processId(-1)).isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void theForwardedMarkComesOffAgain() {
        int pid = new PeerKeys(true, 7).processId(99);
        int forwarded = PeerKeys.markForwarded(pid);
        assertThat(PeerKeys.forwarded(forwarded)).isTrue();
        assertThat(PeerKeys.peerOf(forwarded)).isEqualTo(7);
        assertThat(PeerKeys.unmarked(forwarded)).isEqualTo(pid);
    }

    @Test
    void theRegistryHandsOutKeysOfItsPeer() {
        ClientRegistry registry = new ClientRegistry(10, new PeerKeys(true, 5));
        ClientKey key = registry.newKey();
        assertThat(PeerKeys.peerOf(key.processId())).isEqualTo(5);
        boolean[] cancelled = new boolean[1];
        registry.register(key, () -> cancelled[0] = true);
        assertThat(registry.cancel(key.processId(), key.secret())).isTrue();
        assertThat(cancelled[0]).isTrue();
    }
}
