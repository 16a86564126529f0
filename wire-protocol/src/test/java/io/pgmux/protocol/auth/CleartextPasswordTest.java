package io.pgmux.protocol.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CleartextPasswordTest {

    @Test
    void plainPassword() {
        assertThat(CleartextPassword.verify("u", "s3cret", "s3cret")).isTrue();
        assertThat(CleartextPassword.verify("u", "s3cret", "s3cret ")).isFalse();
        assertThat(CleartextPassword.verify("u", "s3cret", "")).isFalse();
    }

    @Test
    void md5Secret() {
        String stored = Md5Password.storedSecret("alice", "pw");
        assertThat(CleartextPassword.verify("alice", stored, "pw")).isTrue();
        assertThat(CleartextPassword.verify("bob", stored, "pw")).as("the user name is salted in").isFalse();
        assertThat(CleartextPassword.verify("alice", stored, stored)).as("the hash is no password").isFalse();
    }

    @Test
    void scramSecret() {
        String stored = ScramSecret.fromPassword("pw").toString();
        assertThat(CleartextPassword.verify("alice", stored, "pw")).isTrue();
        assertThat(CleartextPassword.verify("alice", stored, "pW")).isFalse();
    }

    @Test
    void missingOrHugeInputIsFalse() {
        assertThat(CleartextPassword.verify("u", null, "x")).isFalse();
        assertThat(CleartextPassword.verify("u", "x", null)).isFalse();
        assertThat(CleartextPassword.verify("u", "x".repeat(2000), "x".repeat(2000))).isFalse();
    }
}
