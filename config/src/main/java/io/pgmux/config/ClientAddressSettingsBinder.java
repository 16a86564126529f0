// Binds the top-level application_name_add_host key to ClientAddressSettings.
package io.pgmux.config;

/** Reads the top-level client address keys; switches take {@code true}/{@code false} or PgBouncer's 1/0. */
final class ClientAddressSettingsBinder {

    private ClientAddressSettingsBinder() {
    }

    static ClientAddressSettings bind(SectionReader r) {
        ClientAddressSettings d = ClientAddressSettings.defaults();
        return new ClientAddressSettings(
                r.choice("application_name_add_host", d.applicationNameAddHost(), LogSettingsBinder::bool));
    }
}
