// The metrics scrape keeps only wait/exhaustion series and survives a missing endpoint.
package io.pgmux.loadtest.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class PrometheusProbeTest {

    @Test
    void keepsMatchingSeriesWithLabels() {
        PrometheusProbe probe = new PrometheusProbe("http://127.0.0.1:1/metrics", PrometheusProbe.DEFAULT_FRAGMENTS);
        String body = "# HELP pgmux_pool_exhausted_total x\n# TYPE pgmux_pool_exhausted_total counter\n"
                + "pgmux_pool_exhausted_total{pool=\"app\"} 12\n"
                + "pgmux_clients_waiting 3\n"
                + "pgmux_bytes_total 99\n"
                + "pgmux_wait_seconds_sum garbage\n";
        assertThat(probe.parse(body)).containsOnlyKeys("pgmux_pool_exhausted_total{pool=\"app\"}",
                "pgmux_clients_waiting").containsEntry("pgmux_clients_waiting", 3.0);
    }

    @Test
    void anAbsentEndpointYieldsNothingAndSaysWhy() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = socket.getLocalPort();
        }
        PrometheusProbe probe = new PrometheusProbe("http://127.0.0.1:" + port + "/metrics",
                PrometheusProbe.DEFAULT_FRAGMENTS);
        assertThat(probe.sample()).isEmpty();
        assertThat(probe.lastProblem()).contains("cannot scrape");
    }
}
