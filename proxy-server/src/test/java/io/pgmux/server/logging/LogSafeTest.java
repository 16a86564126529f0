package io.pgmux.server.logging;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LogSafeTest {
    @Test
    void controlCharactersAreEscapedAndTheRestKept() {
        assertThat(LogSafe.escape("a\nb\rc\td")).isEqualTo("a\\nb\\rc\\td");
        assertThat(LogSafe.escape("\u0000\u001b\u007f\u0085\u009f\u2028\u2029"))
                .isEqualTo("\\u0000\\u001b\\u007f\\u0085\\u009f\\u2028\\u2029");
        assertThat(LogSafe.escape("plain \"text\" \\ é ü 日本")).isEqualTo("plain \"text\" \\ é ü 日本");
    }

    @Test
    void textWithoutControlCharactersIsReturnedAsIs() {
        String text = "SELECT 1";
        assertThat(LogSafe.escape(text)).isSameAs(text);
        assertThat(LogSafe.escape(null)).isNull();
    }

    @Test
    void escapingTwiceIsEscapingOnce() {
        String once = LogSafe.escape("x\ny\u0001");
        assertThat(LogSafe.escape(once)).isEqualTo(once);
    }
}
