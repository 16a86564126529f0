package io.pgmux.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgmux.config.ConfigLoader;
import io.pgmux.config.PgmuxConfig;
import io.pgmux.testing.DetectLeaks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The restart-only keys of the code are those the reload table of docs/admin-console.md lists as such. */
@DetectLeaks
class RestartOnlyKeysTest {
    private static final Path DOC = Path.of("..", "docs", "admin-console.md");
    private static final Pattern KEY = Pattern.compile("`([a-z_]+)`");

    @Test
    void theDocumentedRestartOnlyKeysAreExactlyTheOnesTheReloadKeeps() throws IOException {
        assertThat(keysOfRows(true)).containsExactlyInAnyOrderElementsOf(RestartOnlyKeys.shortNames());
    }

    @Test
    void noKeyDocumentedAsReloadedIsKeptByTheReload() throws IOException {
        List<String> reloaded = keysOfRows(false);
        assertThat(reloaded).contains("client_idle_timeout", "idle_transaction_timeout", "query_timeout",
                "query_wait_notify", "default_pool_size");
        assertThat(reloaded).noneMatch(RestartOnlyKeys::isRestartOnly);
    }

    @Test
    void aChangedRestartOnlyKeyIsReportedAndAReloadableOneIsNot() {
        PgmuxConfig before = ConfigLoader.fromYaml(yaml(""));
        PgmuxConfig after = ConfigLoader.fromYaml(yaml("""
                timeouts:
                  server_connect_timeout: 7s
                  client_idle_timeout: 30s
                  query_timeout: 5s
                """));
        assertThat(RestartOnlyKeys.changed(before, after))
                .singleElement().asString().startsWith("timeouts.server_connect_timeout changed but needs a restart");
    }

    /** The backticked keys of the reload table's rows that need a restart ({@code restart}) or of the others. */
    private static List<String> keysOfRows(boolean restart) throws IOException {
        String doc = Files.readString(DOC);
        String section = doc.substring(doc.indexOf("## Reload"), doc.indexOf("## Shutdown"));
        List<String> keys = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String line : section.lines().filter(l -> l.startsWith("| ") && !l.startsWith("| what")).toList()) {
            String[] cells = line.split("\\|");
            if (cells[2].strip().startsWith("need a restart") == restart) {
                Matcher m = KEY.matcher(cells[1]);
                while (m.find()) {
                    if (seen.add(m.group(1))) {
                        keys.add(m.group(1));
                    }
                }
            }
        }
        return keys;
    }

    private static String yaml(String extra) {
        return """
                listen: 127.0.0.1:0
                %s
                databases:
                  app:
                    host: 127.0.0.1
                    port: 5432
                users:
                  app:
                    password: secret
                """.formatted(extra);
    }
}
