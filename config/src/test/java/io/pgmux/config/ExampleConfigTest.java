// Verifies that the example configuration and the YAML examples in the documentation load and match the defaults.
package io.pgmux.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ExampleConfigTest {

    private static final Path EXAMPLE = Path.of("..", "examples", "pgmux.yaml");
    private static final Path DOCS = Path.of("..", "docs", "configuration.md");
    private static final Pattern YAML_BLOCK = Pattern.compile("```yaml\\n(.*?)```", Pattern.DOTALL);

    @Test
    void exampleFileLoads() {
        PgmuxConfig config = ConfigLoader.load(EXAMPLE, Map.of(), QuickStartSettings.none());
        assertThat(config.listen()).isEqualTo(new HostPort("127.0.0.1", 6432));
        assertThat(config.adminListen()).isEqualTo(new HostPort("127.0.0.1", 9930));
        assertThat(config.authType()).isEqualTo(AuthType.MD5);
        assertThat(config.pool().mode()).isEqualTo(PoolMode.TRANSACTION);
        assertThat(config.databases()).containsKeys("app", "reporting");
        assertThat(config.poolMode("reporting", "analyst")).isEqualTo(PoolMode.SESSION);
        assertThat(config.user("app").passwordKind()).isEqualTo(PasswordKind.MD5_HASH);
        assertThat(config.pool().trackExtraParameters()).containsExactly("search_path", "statement_timeout");
        assertThat(config.pinningPolicy("app", "batch")).isEqualTo(PinningPolicy.REFUSE);
        assertThat(config.pinningPolicy("app", "app")).isEqualTo(PinningPolicy.PIN);
    }

    @Test
    void documentedExamplesLoadAndTheFullOneShowsTheDefaults() throws IOException {
        List<String> blocks = yamlBlocks(Files.readString(DOCS));
        assertThat(blocks).hasSize(2);
        PgmuxConfig minimal = ConfigLoader.fromYaml(blocks.get(0));
        assertThat(minimal.database("app").host()).isEqualTo("127.0.0.1");
        PgmuxConfig full = ConfigLoader.fromYaml(blocks.get(1));
        assertThat(full.pool()).isEqualTo(PoolSettings.defaults());
        assertThat(full.admission()).isEqualTo(AdmissionSettings.defaults());
        assertThat(full.timeouts()).isEqualTo(Timeouts.defaults());
        assertThat(full.listen()).isEqualTo(minimal.listen());
        assertThat(full.maxMessageLength()).isEqualTo(minimal.maxMessageLength());
        assertThat(full.maxParsedMessageLength()).isEqualTo(minimal.maxParsedMessageLength());
        assertThat(full.transport()).isEqualTo(minimal.transport());
        assertThat(full.authType()).isEqualTo(minimal.authType());
    }

    private static List<String> yamlBlocks(String markdown) {
        List<String> blocks = new ArrayList<>();
        Matcher matcher = YAML_BLOCK.matcher(markdown);
        while (matcher.find()) {
            blocks.add(matcher.group(1));
        }
        return blocks;
    }
}
