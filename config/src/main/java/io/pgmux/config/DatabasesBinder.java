// Binds the `databases` section to DatabaseConfig entries.
package io.pgmux.config;

import java.util.LinkedHashMap;
import java.util.Map;

/** Reads and validates every entry under {@code databases}, keeping their order. */
final class DatabasesBinder {

    private static final int DEFAULT_PORT = 5432;

    private DatabasesBinder() {
    }

    static Map<String, DatabaseConfig> bind(ConfigNode section) {
        Map<String, DatabaseConfig> databases = new LinkedHashMap<>();
        for (String name : section.keys()) {
            if (name.isBlank()) {
                throw ConfigException.at(section.path(), "database name must not be empty");
            }
            databases.put(name, bindOne(name, section.section(name)));
        }
        return databases;
    }

    private static DatabaseConfig bindOne(String name, ConfigNode node) {
        SectionReader r = new SectionReader(node);
        DatabaseConfig database = new DatabaseConfig(
                name,
                r.requiredString("host"),
                r.integer("port", DEFAULT_PORT, 1, 65535),
                nonBlank(r, "dbname", name),
                nonBlank(r, "user", null),
                r.string("password", null),
                r.choice("pool_mode", null, PoolMode::parse),
                r.optionalInteger("pool_size", 1, Integer.MAX_VALUE),
                r.choice("pinning", null, PinningPolicy::parse));
        r.finish();
        return database;
    }

    /** Names may be omitted, but an empty one is always a mistake. */
    private static String nonBlank(SectionReader r, String key, String fallback) {
        String value = r.string(key, fallback);
        if (value != null && value.isBlank()) {
            throw ConfigException.at(r.originOf(key), "must not be empty");
        }
        return value;
    }
}
