// Binds the listen addresses, the unix_socket_* keys and application_name_add_host.
package io.pgmux.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads {@code listen} (one address, a YAML list, or a comma-separated list as PgBouncer's listen_addr), the Unix
 * socket keys and application_name_add_host from the top level. Switches take {@code true}/{@code false} or 1/0.
 */
final class ClientAddressSettingsBinder {

    private ClientAddressSettingsBinder() {
    }

    /** Every address of {@code listen}, at least one: {@link PgmuxConfig#DEFAULT_LISTEN} when not set. */
    static List<HostPort> listen(SectionReader r) {
        ConfigList list = r.node().list("listen");
        if (list == null) {
            return List.of(PgmuxConfig.DEFAULT_LISTEN);
        }
        if (list.items().isEmpty()) {
            throw ConfigException.at(list.origin(), "must name at least one address");
        }
        List<HostPort> addresses = new ArrayList<>();
        for (String item : list.items()) {
            HostPort address = HostPort.parse(item, list.origin());
            if (addresses.contains(address)) {
                throw ConfigException.at(list.origin(), "lists " + address + " twice");
            }
            addresses.add(address);
        }
        return List.copyOf(addresses);
    }

    /** @param listen the addresses {@link #listen} read; those after the first are kept here */
    static ClientAddressSettings bind(SectionReader r, List<HostPort> listen) {
        ClientAddressSettings d = ClientAddressSettings.defaults();
        String dir = r.string("unix_socket_dir", null);
        return new ClientAddressSettings(
                listen.size() > 1 ? listen.subList(1, listen.size()) : List.of(),
                dir == null || dir.isBlank() ? null : Path.of(dir.strip()),
                r.choice("unix_socket_mode", d.unixSocketMode(), ClientAddressSettingsBinder::mode),
                blankToNull(r.string("unix_socket_group", null)),
                r.choice("application_name_add_host", d.applicationNameAddHost(), LogSettingsBinder::bool));
    }

    /** Permission bits in octal, as chmod and PgBouncer write them ({@code 0777}, {@code 770}). */
    static int mode(String text, String where) {
        String digits = text.strip();
        if (!digits.matches("0?[0-7]{1,3}")) {
            throw ConfigException.at(where, "must be octal permission bits like 0777 or 0770, got '" + text + "'");
        }
        return Integer.parseInt(digits, 8);
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.strip();
    }
}
