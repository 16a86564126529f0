package io.pgmux.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuthFilesConfigTest {
    private static final String SCRAM = "SCRAM-SHA-256$4096:c2FsdHNhbHRzYWx0c2FsdA==$"
            + "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";

    @TempDir
    Path dir;

    @Test
    void authFileUsersJoinTheUsersSection() throws Exception {
        Path userlist = Files.writeString(dir.resolve("userlist.txt"), """
                ;; PgBouncer userlist
                "alice" "md5a5d7b0d3d3ee3b0ea0c4ff4d9b3fd7e8"
                "bob" "bob ""quoted"" pw" "ignored third field"
                # comment
                "carol" "%s"
                "dave" "from-file"
                """.formatted(SCRAM));
        PgmuxConfig config = ConfigLoader.fromYaml("""
                auth_type: scram-sha-256
                auth_file: %s
                databases:
                  app: {host: db}
                users:
                  dave: {password: from-yaml, pool_mode: session}
                """.formatted(userlist));
        assertThat(config.user("alice").passwordKind()).isEqualTo(PasswordKind.MD5_HASH);
        assertThat(config.user("bob").password()).isEqualTo("bob \"quoted\" pw");
        assertThat(config.user("carol").password()).isEqualTo(SCRAM);
        assertThat(config.user("dave").password()).as("the users section wins").isEqualTo("from-yaml");
        assertThat(config.user("dave").poolMode()).isEqualTo(PoolMode.SESSION);
        assertThat(config.auth().authFileSecrets()).containsKeys("alice", "bob", "carol", "dave");
        assertThat(config.auth().toString()).doesNotContain("from-file").doesNotContain(SCRAM);
    }

    @Test
    void authFileAloneNeedsNoUsersSection() throws Exception {
        Path userlist = Files.writeString(dir.resolve("userlist.txt"), "\"app\" \"secret\"\n");
        PgmuxConfig config = ConfigLoader.fromYaml("auth_file: " + userlist + "\ndatabases:\n  app: {host: db}\n");
        assertThat(config.user("app").password()).isEqualTo("secret");
    }

    @Test
    void badLinesAreReportedWithoutSecrets() throws Exception {
        Path userlist = Files.writeString(dir.resolve("userlist.txt"), "\"ok\" \"pw\"\nbob s3cret-value\n");
        assertThatThrownBy(() -> ConfigLoader.fromYaml("auth_file: " + userlist + "\ndatabases:\n  app: {host: db}\n"))
                .hasMessage(userlist + " line 2: expected \"user\" \"password\"")
                .hasMessageNotContaining("s3cret");
    }

    @Test
    void missingFilesNameTheKey() {
        assertThatThrownBy(() -> ConfigLoader.fromYaml("auth_hba_file: " + dir.resolve("nope")
                + "\ndatabases:\n  app: {host: db}\n")).hasMessageStartingWith("auth_hba_file: cannot read");
    }

    @Test
    void hbaFileAndCleartextSwitchAreRead() throws Exception {
        Path hba = Files.writeString(dir.resolve("hba.conf"), "hostssl all all 0.0.0.0/0 password\n");
        PgmuxConfig config = ConfigLoader.fromYaml("""
                auth_hba_file: %s
                auth_cleartext_without_tls: true
                databases:
                  app: {host: db}
                users:
                  app: {password: md5a5d7b0d3d3ee3b0ea0c4ff4d9b3fd7e8}
                """.formatted(hba));
        assertThat(config.auth().hbaRules()).singleElement()
                .satisfies(rule -> assertThat(rule.method()).isEqualTo(AuthType.PASSWORD));
        assertThat(config.auth().cleartextWithoutTls()).isTrue();
    }

    @Test
    void rejectIsOnlyForHbaRules() {
        assertThatThrownBy(() -> ConfigLoader.fromYaml("auth_type: reject\ndatabases:\n  app: {host: db}\n"))
                .hasMessage("auth_type: reject is only valid in auth_hba_file rules");
    }
}
