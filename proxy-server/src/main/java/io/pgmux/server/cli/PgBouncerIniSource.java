// Builds the running configuration from a pgbouncer.ini, with the environment and flags on top.
package io.pgmux.server.cli;

import io.pgmux.config.ClientTlsFlags;
import io.pgmux.config.ConfigLoader;
import io.pgmux.config.PgmuxConfig;
import io.pgmux.config.QuickStartSettings;
import io.pgmux.config.pgbouncer.PgBouncerConversion;
import io.pgmux.config.pgbouncer.PgBouncerIni;
import java.nio.file.Path;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code --pgbouncer-ini FILE}: converts the file as {@code pgmux convert} does and loads the result as if it were
 * the YAML file of {@code --config}. Each load (start-up, and every reload) logs what the conversion translated at
 * INFO and what it ignored at WARN, so that a setting without effect is never silently dropped.
 */
final class PgBouncerIniSource {

    private static final Logger log = LoggerFactory.getLogger(PgBouncerIniSource.class);

    private PgBouncerIniSource() {
    }

    /** @throws io.pgmux.config.ConfigException listing every problem of the file, or the first of the result */
    static PgmuxConfig load(Path iniFile, Map<String, String> environment, QuickStartSettings flags,
            ClientTlsFlags tlsFlags) {
        PgBouncerConversion conversion = PgBouncerIni.convert(iniFile);
        conversion.notes().forEach(note -> log.info("{}", note));
        conversion.warnings().forEach(warning -> log.warn("{}", warning));
        return ConfigLoader.loadYaml(conversion.yaml(), iniFile + " (converted)", environment, flags, tlsFlags);
    }
}
