// Several listen addresses, the Unix socket keys and application_name_add_host: defaults, values, errors.
package io.pgmux.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ClientAddressConfigTest {
    private static final String DATABASES = "databases:\n  app: {host: localhost}\nusers:\n  app: {password: s}\n";

    @Test
    void applicationNameIsLeftAloneByDefault() {
        assertThat(ConfigLoader.fromYaml(DATABASES).clientAddresses().applicationNameAddHost()).isFalse();
    }

    @Test
    void applicationNameAddHostTakesBooleansAndPgBouncersDigits() {
        assertThat(ConfigLoader.fromYaml("application_name_add_host: 1\n" + DATABASES).clientAddresses()
                .applicationNameAddHost()).isTrue();
        assertThat(ConfigLoader.fromYaml("application_name_add_host: true\n" + DATABASES).clientAddresses()
                .applicationNameAddHost()).isTrue();
        assertThatThrownBy(() -> ConfigLoader.fromYaml("application_name_add_host: maybe\n" + DATABASES))
                .isInstanceOf(ConfigException.class).hasMessageContaining("application_name_add_host");
    }

    @Test
    void oneListenAddressAndNoUnixSocketByDefault() {
        PgmuxConfig config = ConfigLoader.fromYaml(DATABASES);
        assertThat(config.listenAddresses()).containsExactly(PgmuxConfig.DEFAULT_LISTEN);
        assertThat(config.clientAddresses().unixSocketDir()).isNull();
        assertThat(config.clientAddresses().unixSocketFile(6432)).isNull();
    }

    @Test
    void listenTakesAYamlListOrCommaSeparatedAddresses() {
        PgmuxConfig list = ConfigLoader.fromYaml("listen: [127.0.0.1:6432, \"[::1]:6432\", 7432]\n" + DATABASES);
        assertThat(list.listen()).isEqualTo(new HostPort("127.0.0.1", 6432));
        assertThat(list.listenAddresses()).extracting(Object::toString)
                .containsExactly("127.0.0.1:6432", "[::1]:6432", "127.0.0.1:7432");
        assertThat(list.clientAddresses().moreListen()).hasSize(2);
        PgmuxConfig commas = ConfigLoader.fromYaml("listen: \"10.0.0.5:6432, [::1]:6432\"\n" + DATABASES);
        assertThat(commas.listenAddresses()).extracting(Object::toString)
                .containsExactly("10.0.0.5:6432", "[::1]:6432");
        assertThatThrownBy(() -> ConfigLoader.fromYaml("listen: [127.0.0.1:1, 127.0.0.1:1]\n" + DATABASES))
                .isInstanceOf(ConfigException.class).hasMessageContaining("listen").hasMessageContaining("twice");
        assertThatThrownBy(() -> ConfigLoader.fromYaml("listen: [127.0.0.1:1, nowhere:99999]\n" + DATABASES))
                .isInstanceOf(ConfigException.class).hasMessageContaining("listen");
    }

    @Test
    void theUnixSocketIsNamedAsPostgresqlNamesIt() {
        ClientAddressSettings socket = ConfigLoader.fromYaml("""
                unix_socket_dir: /var/run/pgmux
                unix_socket_mode: 0770
                unix_socket_group: postgres
                """ + DATABASES).clientAddresses();
        assertThat(socket.unixSocketFile(6432)).isEqualTo(Path.of("/var/run/pgmux/.s.PGSQL.6432"));
        assertThat(socket.unixSocketMode()).isEqualTo(0770);
        assertThat(socket.unixSocketGroup()).isEqualTo("postgres");
        assertThat(ConfigLoader.fromYaml("unix_socket_mode: \"777\"\n" + DATABASES).clientAddresses()
                .unixSocketMode()).isEqualTo(0777);
        assertThatThrownBy(() -> ConfigLoader.fromYaml("unix_socket_mode: 0999\n" + DATABASES))
                .isInstanceOf(ConfigException.class).hasMessageContaining("unix_socket_mode")
                .hasMessageContaining("octal");
    }
}
