// Entry point: builds the effective configuration from the YAML file, the environment and the flags.
package io.pgmux.config;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Builds a validated {@link PgmuxConfig}. Sources, lowest precedence first: the YAML file (optional), environment
 * variables ({@code PGMUX_*}), command-line flags. Each source replaces individual keys of the one below; a backend
 * URL adds (or replaces by name) one database and one user.
 *
 * <p>Thread-safe and stateless. Every problem is reported as a {@link ConfigException} naming the key path, variable
 * or flag; the first problem found stops loading.
 */
public final class ConfigLoader {

    private ConfigLoader() {
    }

    /**
     * Loads the effective configuration.
     *
     * @param yamlFile    configuration file, or {@code null} to use only the environment and flags
     * @param environment the process environment (normally {@code System.getenv()}); only {@code PGMUX_*} keys are read
     * @param flags       quick-start flags; {@code null} is the same as {@link QuickStartSettings#none()}
     * @throws ConfigException if the file cannot be read or any value is invalid
     */
    public static PgmuxConfig load(Path yamlFile, Map<String, String> environment, QuickStartSettings flags) {
        return load(yamlFile, environment, flags, ClientTlsFlags.none());
    }

    /** Like {@link #load(Path, Map, QuickStartSettings)}, with the {@code --client-tls-*} flags too. */
    public static PgmuxConfig load(Path yamlFile, Map<String, String> environment, QuickStartSettings flags,
            ClientTlsFlags tlsFlags) {
        ConfigNode root = yamlFile == null ? ConfigNode.root() : YamlTreeReader.read(readFile(yamlFile), yamlFile.toString());
        EnvironmentOverlay.apply(root, environment == null ? Map.of() : environment);
        FlagOverlay.apply(root, flags == null ? QuickStartSettings.none() : flags);
        ClientTlsOverlay.apply(root, environment == null ? Map.of() : environment,
                tlsFlags == null ? ClientTlsFlags.none() : tlsFlags);
        return PgmuxConfigBinder.bind(root);
    }

    /**
     * Like {@link #load(Path, Map, QuickStartSettings, ClientTlsFlags)}, with YAML text that is already in memory
     * (such as a converted PgBouncer ini file) in the place of the file.
     *
     * @param sourceName names the text in syntax errors
     */
    public static PgmuxConfig loadYaml(String yaml, String sourceName, Map<String, String> environment,
            QuickStartSettings flags, ClientTlsFlags tlsFlags) {
        ConfigNode root = YamlTreeReader.read(yaml, sourceName);
        EnvironmentOverlay.apply(root, environment == null ? Map.of() : environment);
        FlagOverlay.apply(root, flags == null ? QuickStartSettings.none() : flags);
        ClientTlsOverlay.apply(root, environment == null ? Map.of() : environment,
                tlsFlags == null ? ClientTlsFlags.none() : tlsFlags);
        return PgmuxConfigBinder.bind(root);
    }

    /** Loads configuration from YAML text alone, without environment or flags; convenient for tests. */
    public static PgmuxConfig fromYaml(String yaml) {
        return PgmuxConfigBinder.bind(YamlTreeReader.read(yaml, "configuration"));
    }

    private static String readFile(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ConfigException("configuration file not found: " + file, e);
        } catch (CharacterCodingException e) {
            throw new ConfigException(file + ": not valid UTF-8 text", e);
        } catch (IOException e) {
            throw new ConfigException("cannot read configuration file " + file + ": " + e.getMessage(), e);
        }
    }
}
