package io.pgmux.server.session;

import io.pgmux.protocol.StartupMessage;
import io.pgmux.protocol.SqlState;
import io.pgmux.server.clients.ClientErrors;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The run-time parameters one client asked for (in its StartupMessage, or later with SET as PostgreSQL reports
 * through ParameterStatus). They belong to the client, not to a backend: each backend the client is given is
 * brought in line with them first. Confined to the client's event loop.
 */
public final class SessionParameters {
    /** Startup keys that are not run-time parameters. */
    private static final Set<String> NOT_PARAMETERS = Set.of("user", "database", "options", "replication");
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.]*");

    private final Map<String, String> values = new LinkedHashMap<>();

    public static SessionParameters fromStartup(StartupMessage startup) {
        SessionParameters parameters = new SessionParameters();
        startup.parameters().forEach((name, value) -> {
            if (!NOT_PARAMETERS.contains(name)) {
                parameters.put(name, value);
            }
        });
        String options = startup.parameters().get("options");
        if (options != null && !options.isBlank()) {
            parameters.putOptions(options);
        }
        return parameters;
    }

    /** Only "-c name=value" and "--name=value" options can follow a client across backends. */
    private void putOptions(String options) {
        String[] words = options.trim().split("\\s+");
        for (int i = 0; i < words.length; i++) {
            String setting;
            if (words[i].equals("-c") && i + 1 < words.length) {
                setting = words[++i];
            } else if (words[i].startsWith("-c")) {
                setting = words[i].substring(2);
            } else if (words[i].startsWith("--")) {
                setting = words[i].substring(2);
            } else {
                throw ClientErrors.fatal(SqlState.FEATURE_NOT_SUPPORTED,
                        "unsupported startup option \"" + words[i] + "\": only -c name=value is supported");
            }
            int eq = setting.indexOf('=');
            if (eq <= 0) {
                throw ClientErrors.protocolViolation("invalid startup option \"" + setting + "\"");
            }
            put(setting.substring(0, eq).replace('-', '_'), setting.substring(eq + 1));
        }
    }

    void put(String name, String value) {
        if (!NAME.matcher(name).matches()) {
            throw ClientErrors.protocolViolation("invalid parameter name \"" + name + "\"");
        }
        values.put(name, value);
    }

    public Map<String, String> values() {
        return values;
    }
}
