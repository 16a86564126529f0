// Entry point: converts a PgBouncer ini file (with %include, auth_file and auth_hba_file) to pgmux YAML.
package io.pgmux.config.pgbouncer;

import io.pgmux.config.ConfigException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a {@code pgbouncer.ini} and writes the pgmux configuration that behaves the same, as far as pgmux can:
 * [pgbouncer] through {@link PgBouncerSettings}, [databases] through {@link DatabaseEntries}, [users] through
 * {@link UserEntries}, [peers] through {@link PeerEntries}. auth_file and auth_hba_file are not copied: pgmux reads
 * PgBouncer's formats itself, so the YAML names the same files (made absolute).
 *
 * <p>Stateless and thread-safe. Every problem in the file is reported in one {@link ConfigException}, one line each.
 */
public final class PgBouncerIni {

    /** Settings whose empty value is not the default: no reset query, no check query, no tracked parameters. */
    private static final java.util.Set<String> EMPTY_MEANS_SOMETHING = java.util.Set.of("server_reset_query",
            "server_check_query", "track_extra_parameters");

    private PgBouncerIni() {
    }

    /**
     * Converts {@code iniFile}.
     *
     * @throws ConfigException listing every problem found, when the file cannot be used as it is
     */
    public static PgBouncerConversion convert(Path iniFile) {
        List<String> errors = new ArrayList<>();
        return convert(iniFile, IniReader.read(iniFile, errors), errors);
    }

    /** Converts ini text already in memory; {@code iniFile} only names it and anchors relative file names. */
    public static PgBouncerConversion convert(Path iniFile, String text) {
        List<String> errors = new ArrayList<>();
        return convert(iniFile, IniReader.read(iniFile, text, errors), errors);
    }

    private static PgBouncerConversion convert(Path iniFile, List<IniEntry> entries, List<String> errors) {
        ConversionTarget out = new ConversionTarget(errors);
        Map<String, IniEntry> general = new LinkedHashMap<>();
        List<IniEntry> peers = new ArrayList<>();
        for (IniEntry entry : entries) {
            switch (entry.section()) {
                case "pgbouncer" -> general.put(entry.key().toLowerCase(Locale.ROOT), entry);
                case "databases" -> DatabaseEntries.apply(entry, out);
                case "users" -> UserEntries.apply(entry, out);
                case "peers" -> peers.add(entry);
                default -> out.error(entry.where() + ": unknown section [" + entry.section() + "]");
            }
        }
        for (IniEntry entry : general.values()) {
            PgBouncerSettings.Setting setting = PgBouncerSettings.find(entry.key());
            if (setting != null && entry.value().isBlank() && !EMPTY_MEANS_SOMETHING.contains(setting.name())) {
                continue; // as in PgBouncer, an empty value is the default ("not set" for files and names)
            }
            if (setting == null && PgBouncerSettings.isNewerThan125(entry.key())) {
                out.warn(entry, "a setting of PgBouncer releases after 1.25, which pgmux does not know");
            } else if (setting == null) {
                out.error(entry.where() + ": unknown PgBouncer setting '" + entry.key() + "'");
            } else {
                PgBouncerSettings.apply(setting, entry, out);
            }
        }
        ListenAndAuth.apply(general, out);
        PeerEntries.apply(peers, general.get("peer_id"), out);
        if (!out.hasTop("databases")) {
            out.error(iniFile.getFileName() + ": no [databases] entries");
        }
        if (!errors.isEmpty()) {
            throw new ConfigException(iniFile.getFileName() + " cannot be used as it is:\n  "
                    + String.join("\n  ", errors));
        }
        String yaml = YamlText.write(out.tree(), iniFile, out.notes(), out.warnings());
        return new PgBouncerConversion(yaml, out.notes(), out.warnings());
    }
}
