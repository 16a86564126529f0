// Verifies the accepted address forms and the error messages for bad ones.
package io.pgmux.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class HostPortTest {

    @ParameterizedTest
    @CsvSource({
        "127.0.0.1:6432, 127.0.0.1, 6432, 127.0.0.1:6432",
        "localhost:6432, localhost, 6432, localhost:6432",
        "'[::1]:6432', ::1, 6432, '[::1]:6432'",
        ":6432, 127.0.0.1, 6432, 127.0.0.1:6432",
        "6432, 127.0.0.1, 6432, 127.0.0.1:6432",
        "0.0.0.0:0, 0.0.0.0, 0, 0.0.0.0:0",
    })
    void parsesAcceptedForms(String text, String host, int port, String printed) {
        HostPort parsed = HostPort.parse(text, "listen");
        assertThat(parsed).isEqualTo(new HostPort(host, port));
        assertThat(parsed.toString()).isEqualTo(printed);
        assertThat(HostPort.parse(parsed.toString(), "listen")).isEqualTo(parsed);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "localhost", "host:", "host:port", "::1", "[::1]", "[]:5", "a b:5", "h:-1"})
    void rejectsBadFormsNamingTheKey(String text) {
        assertThatThrownBy(() -> HostPort.parse(text, "admin_listen"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("admin_listen");
    }

    @ParameterizedTest
    @ValueSource(strings = {"65536", "h:70000"})
    void rejectsPortsOutOfRange(String text) {
        assertThatThrownBy(() -> HostPort.parse(text, "listen"))
                .hasMessageStartingWith("listen port: must be 0..65535, got ");
    }
}
