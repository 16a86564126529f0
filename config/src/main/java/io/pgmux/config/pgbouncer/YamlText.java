// Writes the converted tree as pgmux YAML, with the conversion's notes and warnings as comments on top.
package io.pgmux.config.pgbouncer;

import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * SnakeYAML's emitter quotes every text that YAML could read as something else ({@code 0777}, {@code yes},
 * {@code 1:30}), so passwords and names come back exactly as written when pgmux reads the file.
 */
final class YamlText {

    /** The order of docs/configuration.md: single keys first, then the sections, databases and users last. */
    private static final List<String> ORDER = List.of("listen", "admin_users", "stats_users", "log_connections",
            "log_disconnections", "log_pooler_errors", "log_stats", "stats_period", "max_message_length",
            "auth_type", "auth_cleartext_without_tls", "auth_file", "auth_hba_file", "auth_user", "auth_dbname",
            "auth_query",
            "client_tls_sslmode", "client_tls_cert_file", "client_tls_key_file", "client_tls_ca_file",
            "client_tls_protocols", "server_tls_sslmode", "server_tls_ca_file", "server_tls_cert_file",
            "server_tls_key_file", "server_tls_protocols", "so_reuseport", "peer_id", "peers", "pool", "timeouts",
            "databases", "users");

    private YamlText() {
    }

    static String write(Map<String, Object> tree, Path source, List<String> notes, List<String> warnings) {
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        options.setIndent(2);
        options.setWidth(120);
        options.setSplitLines(false);
        StringBuilder text = new StringBuilder();
        text.append("# pgmux configuration converted from ").append(source.getFileName()).append('\n');
        comments(text, "Translated", notes);
        comments(text, "Ignored", warnings);
        text.append(new Yaml(options).dump(ordered(tree)));
        return text.toString();
    }

    private static Map<String, Object> ordered(Map<String, Object> tree) {
        Map<String, Object> ordered = new LinkedHashMap<>();
        tree.keySet().stream()
                .sorted(Comparator.comparingInt(key -> ORDER.contains(key) ? ORDER.indexOf(key) : ORDER.size()))
                .forEach(key -> ordered.put(key, tree.get(key)));
        return ordered;
    }

    private static void comments(StringBuilder text, String title, List<String> lines) {
        if (lines.isEmpty()) {
            return;
        }
        text.append("#\n# ").append(title).append(":\n");
        for (String line : lines) {
            text.append("#   ").append(line.replace("\n", " ")).append('\n');
        }
    }
}
