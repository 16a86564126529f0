// Binds the top-level authentication and TLS keys to AuthSettings.
package io.pgmux.config;

/** Reads the top-level keys about client TLS and authentication; the caller reports unknown keys afterwards. */
final class AuthSettingsBinder {

    private AuthSettingsBinder() {
    }

    static AuthSettings bind(SectionReader root) {
        return new AuthSettings(ClientTlsBinder.bind(root));
    }
}
