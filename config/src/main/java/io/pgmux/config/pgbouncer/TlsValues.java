// Translates PgBouncer's TLS protocol lists into pgmux's.
package io.pgmux.config.pgbouncer;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * {@code client_tls_protocols} and {@code server_tls_protocols}: PgBouncer takes versions and the words
 * {@code secure}, {@code default}, {@code all} and {@code legacy}, separated by commas, colons or blanks. pgmux
 * enables TLS 1.2 and 1.3 only, so older versions are dropped and a list of nothing but those is an error.
 */
final class TlsValues {

    private TlsValues() {
    }

    static void protocols(IniEntry entry, ConversionTarget out, String key) {
        Set<String> versions = new LinkedHashSet<>();
        for (String word : entry.value().toLowerCase(Locale.ROOT).split("[,:\\s]+")) {
            switch (word.strip()) {
                case "" -> { }
                case "tlsv1.3" -> versions.add("TLSv1.3");
                case "tlsv1.2" -> versions.add("TLSv1.2");
                case "secure", "default", "all", "legacy" -> {
                    versions.add("TLSv1.3");
                    versions.add("TLSv1.2");
                }
                case "tlsv1.0", "tlsv1.1" -> { }
                default -> out.error(entry, "unknown TLS protocol '" + word.strip() + "'");
            }
        }
        if (versions.isEmpty()) {
            out.error(entry, "pgmux supports TLSv1.2 and TLSv1.3 only, got '" + entry.value() + "'");
            return;
        }
        out.top(key, java.util.List.copyOf(versions));
    }
}
